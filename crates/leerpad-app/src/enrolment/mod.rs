//! Enrolment in a course run, paid from the learning account: the learner asks for a place,
//! the provider answers, the learner confirms (the price is held on their account), the
//! provider declares the start and the completion (the hold is paid), and deadlines in Dutch
//! working days end what nobody answered (`leerpad_domain::enrolment`, the rules).
//!
//! Money moves in the ledger under keys made from the enrolment and the step
//! (`enrolment:{id}:v{version}:hold`, `…:pay`, `…:release`), before the enrolment's new state is written
//! over the version it was decided on. A step that is repeated (a double click, a retry after
//! a crash between the two writes) finds the ledger's first answer and moves nothing twice; a
//! hold whose enrolment was never moved on expires at its deadline.

use crate::error::{AppError, AppResult};
use leerpad_domain::advice::advisors::local_day;
use leerpad_domain::catalogue::ports::CatalogueStore;
use leerpad_domain::clock::Clock;
use leerpad_domain::enrolment::ports::{EnrolmentChange, EnrolmentStore, NewEnrolment};
use leerpad_domain::enrolment::{
    Actor, Enrolment, EnrolmentError, MAX_OPEN_REQUESTS, Settlement, Step, first_deadline, take,
};
use leerpad_domain::ledger::ports::LedgerStore;
use leerpad_domain::ledger::{
    AccountKind, Command, HoldState, LedgerError, learner_account_name, learner_key,
};
use leerpad_domain::policy::{Action, Principal};
use leerpad_domain::shared::{FieldError, OfferId, ProviderId};
use std::sync::Arc;

/// The ports enrolment uses.
pub struct EnrolmentPorts {
    pub enrolments: Arc<dyn EnrolmentStore>,
    /// Every step is written to the audit log.
    pub audit: Arc<dyn leerpad_domain::accounts::ports::AuditStore>,
    pub catalogue: Arc<dyn CatalogueStore>,
    pub ledger: Arc<dyn LedgerStore>,
    /// A completed course plans its survey invitations.
    pub jobs: Arc<dyn leerpad_domain::jobs::ports::JobStore>,
    /// A course suspended by its ratings takes no new requests.
    pub quality: Arc<dyn leerpad_domain::quality::ports::QualityStore>,
}

pub struct Enrolments {
    ports: EnrolmentPorts,
    clock: Arc<dyn Clock>,
}

impl From<EnrolmentError> for AppError {
    fn from(e: EnrolmentError) -> AppError {
        match e {
            EnrolmentError::Invalid { field, message } => {
                let code = match field {
                    "price" => "enrolment-error-price",
                    "starts_on" => "enrolment-error-dates",
                    "reason" => "enrolment-error-reason",
                    "proof" => "enrolment-error-proof",
                    _ => "enrolment-error-field",
                };
                AppError::InvalidFields(vec![FieldError::new(field, message).coded(code, vec![])])
            }
            other => {
                let (code, args): (&'static str, Vec<(&'static str, String)>) = match &other {
                    EnrolmentError::WrongStatus { status } => (
                        "enrolment-refused-status",
                        vec![("status", status.as_str().to_owned())],
                    ),
                    EnrolmentError::WrongActor(who) => {
                        ("enrolment-refused-actor", vec![("who", (*who).to_owned())])
                    }
                    EnrolmentError::TooLate { deadline } => (
                        "enrolment-refused-too-late",
                        vec![("date", deadline.to_string())],
                    ),
                    EnrolmentError::NotYet { deadline } => (
                        "enrolment-refused-not-yet",
                        vec![("date", deadline.to_string())],
                    ),
                    EnrolmentError::WithdrawalOver => ("enrolment-refused-withdrawal", vec![]),
                    EnrolmentError::NotStarted => ("enrolment-refused-not-started", vec![]),
                    EnrolmentError::Invalid { .. } => ("enrolment-error-field", vec![]),
                };
                AppError::Refused {
                    code,
                    args,
                    message: other.to_string(),
                }
            }
        }
    }
}

/// A provider's money in the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderMoney {
    /// Owed for completed courses, paid in the next payout run.
    pub owed: leerpad_domain::shared::Money,
    /// Held on learners' accounts for confirmed enrolments (paid once completed).
    pub coming: leerpad_domain::shared::Money,
    /// Paid out to the provider's bank so far.
    pub paid_out: leerpad_domain::shared::Money,
    pub next_payout: leerpad_domain::shared::Date,
}

/// The provider's ledger account key.
pub fn provider_key(provider: ProviderId) -> String {
    format!("provider:{provider}")
}

impl Enrolments {
    pub fn new(ports: EnrolmentPorts, clock: Arc<dyn Clock>) -> Enrolments {
        Enrolments { ports, clock }
    }

    fn today(&self) -> AppResult<leerpad_domain::shared::Date> {
        local_day(self.clock.now()).ok_or_else(|| AppError::Internal("today's date".into()))
    }

    /// Ask for a place on a run of an offer.
    pub async fn request(
        &self,
        principal: &Principal,
        offer: OfferId,
        run: &str,
    ) -> AppResult<Enrolment> {
        principal.authorize(Action::ManageOwnAccount)?;
        let o = self
            .ports
            .catalogue
            .offer(offer.get())
            .await?
            .ok_or(AppError::NotFound("offer"))?;
        if !o.content.runs.iter().any(|r| r.id == run) {
            return Err(AppError::InvalidFields(vec![
                FieldError::new("run", format!("the offer has no run '{run}'"))
                    .coded("enrolment-error-run", vec![]),
            ]));
        }
        if self.ports.quality.rating_of(offer).await?.standing()
            == leerpad_domain::quality::Standing::Suspended
        {
            return Err(AppError::InvalidFields(vec![
                FieldError::new(
                    "offer",
                    "this course is suspended because participants rated it very low; \
                     it takes no new requests until a programme manager has looked at it",
                )
                .coded("enrolment-error-suspended", vec![]),
            ]));
        }
        let today = self.today()?;
        let e = self
            .ports
            .enrolments
            .request_enrolment(
                NewEnrolment {
                    learner: principal.user_id,
                    offer,
                    provider: o.provider_id,
                    run,
                    deadline: first_deadline(today),
                    at: self.clock.now(),
                },
                MAX_OPEN_REQUESTS,
            )
            .await?;
        self.audit(Some(principal.user_id), &e, "request").await?;
        Ok(e)
    }

    /// Write a step to the audit log: who took it, whose enrolment, what it became.
    async fn audit(
        &self,
        by: Option<leerpad_domain::shared::UserId>,
        e: &Enrolment,
        step: &str,
    ) -> AppResult<()> {
        self.ports
            .audit
            .append_audit(&leerpad_domain::AuditEntry {
                at: self.clock.now(),
                event: leerpad_domain::AuditEvent::EnrolmentStep,
                actor_user_id: by,
                subject_user_id: Some(e.learner),
                ip: None,
                detail: serde_json::json!({
                    "enrolment": e.id,
                    "offer": e.offer.get(),
                    "run": e.run,
                    "step": step,
                    "status": e.status.as_str(),
                }),
            })
            .await?;
        Ok(())
    }

    /// The titles of the enrolments' offers, in `lang` (Dutch when there is none).
    pub async fn offer_titles(
        &self,
        list: &[Enrolment],
        lang: &str,
    ) -> AppResult<std::collections::HashMap<OfferId, String>> {
        let mut ids: Vec<OfferId> = list.iter().map(|e| e.offer).collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(self
            .ports
            .catalogue
            .offers_by_ids(&ids)
            .await?
            .into_iter()
            .map(|o| (o.id, o.content.title.get(lang).to_owned()))
            .collect())
    }

    /// The learner's enrolments, newest first.
    pub async fn mine(&self, principal: &Principal) -> AppResult<Vec<Enrolment>> {
        principal.authorize(Action::ManageOwnAccount)?;
        Ok(self
            .ports
            .enrolments
            .enrolments_of_learner(principal.user_id)
            .await?)
    }

    /// The provider organisation the person acts for.
    async fn my_provider(&self, principal: &Principal) -> AppResult<ProviderId> {
        Ok(
            crate::catalogue::own_provider_in(self.ports.catalogue.as_ref(), principal)
                .await?
                .id,
        )
    }

    /// The provider's requests and enrolments, newest first, each with its deadline.
    pub async fn for_my_provider(&self, principal: &Principal) -> AppResult<Vec<Enrolment>> {
        let provider = self.my_provider(principal).await?;
        Ok(self
            .ports
            .enrolments
            .enrolments_of_provider(provider)
            .await?)
    }

    /// What the provider is owed and has been paid, and when the next payout run is.
    pub async fn my_payouts(&self, principal: &Principal) -> AppResult<ProviderMoney> {
        let provider = self.my_provider(principal).await?;
        let next_payout = leerpad_domain::ledger::payout::next_payout_day(self.today()?);
        let Some(account) = self
            .ports
            .ledger
            .account_by_key(&provider_key(provider))
            .await?
        else {
            return Ok(ProviderMoney {
                owed: leerpad_domain::shared::Money::ZERO,
                coming: leerpad_domain::shared::Money::ZERO,
                paid_out: leerpad_domain::shared::Money::ZERO,
                next_payout,
            });
        };
        let (_, paid_out) = self.ports.ledger.flows(account.id).await?;
        Ok(ProviderMoney {
            owed: account.balance.available(),
            coming: account.balance.incoming,
            paid_out,
            next_payout,
        })
    }

    /// A step by the learner on their enrolment.
    pub async fn learner_step(
        &self,
        principal: &Principal,
        id: i64,
        step: &Step,
    ) -> AppResult<Enrolment> {
        principal.authorize(Action::ManageOwnAccount)?;
        let e = self
            .ports
            .enrolments
            .enrolment(id)
            .await?
            .filter(|e| e.learner == principal.user_id)
            .ok_or(AppError::NotFound("enrolment"))?;
        self.step(e, Actor::Learner, Some(principal.user_id), step)
            .await
    }

    /// A step by the provider on an enrolment for one of its offers.
    pub async fn provider_step(
        &self,
        principal: &Principal,
        id: i64,
        step: &Step,
    ) -> AppResult<Enrolment> {
        let provider = self.my_provider(principal).await?;
        let e = self
            .ports
            .enrolments
            .enrolment(id)
            .await?
            .filter(|e| e.provider == provider)
            .ok_or(AppError::NotFound("enrolment"))?;
        let done = self
            .step(e, Actor::Provider, Some(principal.user_id), step)
            .await?;
        if done.status == leerpad_domain::enrolment::EnrolmentStatus::Completed {
            self.plan_surveys(&done).await?;
        }
        Ok(done)
    }

    /// The survey invitations of a completed course: the end-of-course survey a day later,
    /// the outcome survey six months later (durable jobs, each planned once).
    async fn plan_surveys(&self, e: &Enrolment) -> AppResult<()> {
        use crate::quality::{SURVEY_JOB, SurveyJob};
        use leerpad_domain::quality::{END_SURVEY_DAYS, OUTCOME_SURVEY_DAYS, SurveyKind};
        let now = self.clock.now();
        for (kind, days) in [
            (SurveyKind::End, END_SURVEY_DAYS),
            (SurveyKind::Outcome, OUTCOME_SURVEY_DAYS),
        ] {
            let payload = serde_json::to_string(&SurveyJob {
                enrolment: e.id,
                kind,
            })
            .map_err(|err| AppError::Internal(err.to_string()))?;
            self.ports
                .jobs
                .enqueue(
                    leerpad_domain::jobs::ports::NewJob {
                        kind: SURVEY_JOB,
                        key: &format!("survey-{kind}:{}", e.id),
                        payload: &payload,
                        run_at: now + days * 86_400,
                    },
                    now,
                )
                .await?;
        }
        Ok(())
    }

    /// End every open enrolment whose deadline has passed, releasing what was held (the job
    /// runner's sweep: found by their deadline, so a restart loses none).
    pub async fn expire_due(&self) -> AppResult<usize> {
        let today = self.today()?;
        let due = self
            .ports
            .enrolments
            .enrolments_past_deadline(today, 200)
            .await?;
        let mut ended = 0;
        for e in due {
            match self.step(e, Actor::Deadline, None, &Step::Expire).await {
                Ok(_) => ended += 1,
                // Moved on by someone else meanwhile: nothing to end.
                Err(AppError::Conflict(_) | AppError::Refused { .. }) => {}
                Err(other) => return Err(other),
            }
        }
        Ok(ended)
    }

    /// Count a refused attempt on the enrolment (its version moves on, nothing else).
    async fn note_attempt(&self, e: &Enrolment, now: i64) -> AppResult<()> {
        self.ports
            .enrolments
            .change_enrolment(EnrolmentChange {
                id: e.id,
                version: e.version,
                status: e.status,
                deadline: e.deadline,
                price: e.price,
                starts_on: e.starts_on,
                ends_on: e.ends_on,
                confirmed_on: e.confirmed_on,
                hold: e.hold,
                note: e.note.as_deref(),
                at: now,
            })
            .await?;
        Ok(())
    }

    async fn step(
        &self,
        e: Enrolment,
        actor: Actor,
        by: Option<leerpad_domain::shared::UserId>,
        step: &Step,
    ) -> AppResult<Enrolment> {
        let today = self.today()?;
        let now = self.clock.now();
        let outcome = take(&e, actor, step, today)?;
        let ledger = &self.ports.ledger;
        let key = |what: &str| format!("enrolment:{}:{what}", e.id);
        let mut hold = e.hold;
        match outcome.money {
            Settlement::Nothing => {}
            Settlement::Hold { amount, until } => {
                let learner = ledger
                    .open_account(
                        AccountKind::Learner,
                        &learner_key(e.learner),
                        &learner_account_name(e.learner),
                        now,
                    )
                    .await?;
                let provider_name = self
                    .ports
                    .catalogue
                    .provider(e.provider.get())
                    .await?
                    .map(|p| p.name)
                    .unwrap_or_default();
                let provider = ledger
                    .open_account(
                        AccountKind::Provider,
                        &provider_key(e.provider),
                        &provider_name,
                        now,
                    )
                    .await?;
                // Held until the end of the last day the completion may be declared.
                let expires_at = until
                    .next_day()
                    .and_then(|d| {
                        leerpad_domain::advice::advisors::parse_local_minute(&format!(
                            "{} 00:00",
                            leerpad_domain::shared::iso_date_option::format(d)
                        ))
                    })
                    .unwrap_or(now + 365 * 86_400);
                let command = Command::Hold {
                    from: learner.id,
                    to: provider.id,
                    amount,
                    expires_at,
                    memo: format!("Inschrijving {} ({})", e.run, e.id),
                };
                // The key carries the enrolment's version: a double click holds once, and
                // after a refusal (not enough money yet) the next try is a new command.
                let hold_key = format!("enrolment:{}:v{}:hold", e.id, e.version);
                match ledger.execute(&hold_key, &command, now).await? {
                    Ok(t) => hold = Some(t.id),
                    Err(refused) => {
                        self.note_attempt(&e, now).await?;
                        return Err(refused.into());
                    }
                }
            }
            Settlement::Pay(amount) => {
                let on = hold.ok_or_else(|| AppError::Internal("no hold to pay".into()))?;
                let command = Command::Post {
                    hold: on,
                    amount,
                    memo: format!("Opleiding {} ({})", e.run, e.id),
                };
                match ledger.execute(&key("pay"), &command, now).await? {
                    Ok(_) => {}
                    // Paid by an earlier try whose status was not written (a stop computed
                    // on another day asks another amount under the same key): write it now.
                    Err(LedgerError::KeyReused(_))
                    | Err(LedgerError::NotPending {
                        state: HoldState::Posted,
                        ..
                    }) => {}
                    Err(other) => return Err(other.into()),
                }
            }
            Settlement::Release => {
                let on = hold.ok_or_else(|| AppError::Internal("no hold to release".into()))?;
                let command = Command::Void {
                    hold: on,
                    memo: format!("Inschrijving {} beëindigd ({})", e.run, e.id),
                };
                match ledger.execute(&key("release"), &command, now).await? {
                    Ok(_) => {}
                    // Released already (its deadline passed first, or an earlier try).
                    Err(LedgerError::NotPending {
                        state: HoldState::Voided | HoldState::Expired,
                        ..
                    }) => {}
                    Err(other) => return Err(other.into()),
                }
            }
        }
        let (price, starts_on, ends_on) = match step {
            Step::Accept {
                price,
                starts_on,
                ends_on,
            } => (Some(*price), Some(*starts_on), Some(*ends_on)),
            _ => (e.price, e.starts_on, e.ends_on),
        };
        let note = match step {
            Step::Decline { reason } | Step::Cancel { reason } => Some(reason.as_str()),
            Step::DeclareCompletion { proof } => Some(proof.as_str()),
            _ => e.note.as_deref(),
        };
        let confirmed_on = match step {
            Step::Confirm => Some(today),
            _ => e.confirmed_on,
        };
        let written = self
            .ports
            .enrolments
            .change_enrolment(EnrolmentChange {
                id: e.id,
                version: e.version,
                status: outcome.status,
                deadline: outcome.deadline,
                price,
                starts_on,
                ends_on,
                confirmed_on,
                hold,
                note,
                at: now,
            })
            .await?;
        if !written {
            // Someone else moved it on first. A hold made by this try and not recorded by the
            // winner is released at once (a double click got the same hold and keeps it).
            if let (Some(new), true) = (hold, hold != e.hold) {
                let stored = self.ports.enrolments.enrolment(e.id).await?;
                if stored.and_then(|s| s.hold) != Some(new) {
                    let undo = Command::Void {
                        hold: new,
                        memo: format!("Inschrijving {} niet doorgegaan ({})", e.run, e.id),
                    };
                    let _ = ledger
                        .execute(
                            &format!("enrolment:{}:v{}:undo", e.id, e.version),
                            &undo,
                            now,
                        )
                        .await?;
                }
            }
            return Err(AppError::Refused {
                code: "enrolment-refused-changed",
                args: vec![],
                message: "the enrolment was changed at the same moment; look again".into(),
            });
        }
        let changed = self
            .ports
            .enrolments
            .enrolment(e.id)
            .await?
            .ok_or(AppError::NotFound("enrolment"))?;
        let name = match step {
            Step::Accept { .. } => "accept",
            Step::Decline { .. } => "decline",
            Step::Confirm => "confirm",
            Step::Withdraw => "withdraw",
            Step::DeclareStart => "start",
            Step::DeclareNoShow => "no-show",
            Step::DeclareCompletion { .. } => "complete",
            Step::Cancel { .. } => "cancel",
            Step::Expire => "expire",
        };
        self.audit(by, &changed, name).await?;
        Ok(changed)
    }
}
