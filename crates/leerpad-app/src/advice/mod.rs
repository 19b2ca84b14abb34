//! Ontwikkeladvies: programme managers define advice programmes; people check whether they
//! may use one and register; when a registration window closes, a durable job draws its
//! places (see `leerpad_domain::advice::draw`) and publishes the draw.

use crate::catalogue::today;
use crate::error::{AppError, AppResult};
use crate::financing::Financing;
use leerpad_domain::UnixTime;
use leerpad_domain::accounts::ports::UserStore;
use leerpad_domain::advice::ports::{
    AdviceStore, AdvisorStore, NewRegistration, Programme, ProgrammeStatus, Registration,
};
use leerpad_domain::advice::programme::ProgrammeDefinition;
use leerpad_domain::advice::{Entrant, PublishedDraw};
use leerpad_domain::clock::Clock;
use leerpad_domain::financing::rules::Facts;
use leerpad_domain::financing::{
    NoSkillLists, PersonFacts, RuleContext, Verdict, validate_condition, validate_slug,
};
use leerpad_domain::jobs::ports::{JobStore, NewJob};
use leerpad_domain::mail::Message;
use leerpad_domain::mail::ports::{NewMessage, OutboxStore};
use leerpad_domain::policy::{Action, Principal};
use leerpad_domain::ports::StoreError;
use leerpad_domain::regions::Regions;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The job that draws a window's places when it closes.
pub const DRAW_JOB: &str = "advice-draw";

/// The draw waits this long after a window closes, so a registration that was on its way at
/// the closing moment is in it (registrations during a window are not serialised with it).
pub const DRAW_GRACE_SECS: i64 = 60;

/// The job that reminds a learner of an appointment.
pub const REMINDER_JOB: &str = "advice-reminder";

/// Jobs that end a learner's consent at its term.
pub const CONSENT_JOB: &str = "advice-consent-expiry";

/// What a consent-expiry job is given: the consent it ends, if it was not renewed or withdrawn.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConsentJob {
    pub learner: leerpad_domain::shared::UserId,
    pub advisor: leerpad_domain::shared::UserId,
    pub until: UnixTime,
    pub programme: String,
}

/// What a reminder job is given.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReminderJob {
    pub appointment: i64,
    pub hours_before: u8,
}

/// What a draw job is given.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DrawJob {
    pub programme: String,
    pub window_opens: UnixTime,
}

/// Whether a person may use a programme, and which reserves they count for.
#[derive(Debug, Clone)]
pub struct Eligibility {
    pub verdict: Verdict,
    /// Indices of the reserves whose target group the person is in.
    pub groups: Vec<usize>,
}

mod appointments;
mod definition;
mod examples;
mod plans;

/// The storage ports advice uses: its own, the outbox, accounts (for a person's address and
/// language) and jobs.
pub struct AdvicePorts {
    pub programmes: Arc<dyn AdviceStore>,
    pub advisors: Arc<dyn AdvisorStore>,
    pub outbox: Arc<dyn OutboxStore>,
    pub users: Arc<dyn UserStore>,
    pub jobs: Arc<dyn JobStore>,
    pub plans: Arc<dyn leerpad_domain::advice::ports::PlanStore>,
    /// Learners' skills profiles, read by an advisor only with consent.
    pub profiles: Arc<dyn leerpad_domain::matching::ports::MatchingStore>,
    pub audit: Arc<dyn leerpad_domain::accounts::ports::AuditStore>,
}

pub use appointments::{AdvisorChoice, BookingRequest, SlotFilter, appointment_ics};
pub use definition::{parse_programme, programme_to_toml};
pub use plans::{CONSENT_DAYS, ConsentView, PlanView};

pub struct Advice {
    store: Arc<dyn AdviceStore>,
    advisors: Arc<dyn AdvisorStore>,
    outbox: Arc<dyn OutboxStore>,
    users: Arc<dyn UserStore>,
    jobs: Arc<dyn JobStore>,
    plans: Arc<dyn leerpad_domain::advice::ports::PlanStore>,
    profiles: Arc<dyn leerpad_domain::matching::ports::MatchingStore>,
    audit: Arc<dyn leerpad_domain::accounts::ports::AuditStore>,
    financing: Arc<Financing>,
    regions: Arc<Regions>,
    clock: Arc<dyn Clock>,
}

impl Advice {
    pub fn new(
        ports: AdvicePorts,
        financing: Arc<Financing>,
        regions: Arc<Regions>,
        clock: Arc<dyn Clock>,
    ) -> Advice {
        Advice {
            store: ports.programmes,
            advisors: ports.advisors,
            outbox: ports.outbox,
            users: ports.users,
            jobs: ports.jobs,
            plans: ports.plans,
            profiles: ports.profiles,
            audit: ports.audit,
            financing,
            regions,
            clock,
        }
    }

    fn validate(&self, slug: &str, def: &ProgrammeDefinition) -> AppResult<()> {
        let mut errors = def.validate();
        if let Err(e) = validate_slug(slug) {
            errors.push(e);
        }
        let ctx = RuleContext {
            regions: &self.regions,
            skill_lists: &NoSkillLists,
        };
        validate_condition(&def.eligibility, "eligibility", &ctx, &mut errors);
        for (i, r) in def.reserves.iter().enumerate() {
            validate_condition(&r.who, &format!("reserves[{i}].who"), &ctx, &mut errors);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::InvalidFields(errors))
        }
    }

    /// Plan the draw of every window of a programme for when it closes (once per window).
    async fn plan_draws(&self, p: &Programme) -> AppResult<()> {
        for w in &p.definition.windows {
            let job = DrawJob {
                programme: p.slug.clone(),
                window_opens: w.opens,
            };
            let key = format!("{DRAW_JOB}:{}:{}", p.id, w.opens);
            self.plan(DRAW_JOB, &key, &job, w.closes + DRAW_GRACE_SECS)
                .await?;
        }
        Ok(())
    }

    pub async fn create_programme(
        &self,
        principal: &Principal,
        slug: &str,
        status: ProgrammeStatus,
        definition: &ProgrammeDefinition,
    ) -> AppResult<Programme> {
        principal.authorize(Action::ManageProgrammes)?;
        self.validate(slug, definition)?;
        let p = self
            .store
            .create_programme(slug, status, definition, self.clock.now())
            .await?;
        self.plan_draws(&p).await?;
        Ok(p)
    }

    pub async fn update_programme(
        &self,
        principal: &Principal,
        slug: &str,
        status: ProgrammeStatus,
        definition: &ProgrammeDefinition,
        expected_version: i64,
    ) -> AppResult<Programme> {
        principal.authorize(Action::ManageProgrammes)?;
        self.validate(slug, definition)?;
        let p = self
            .store
            .update_programme(slug, status, definition, expected_version, self.clock.now())
            .await?
            .ok_or(AppError::NotFound("programme"))?;
        self.plan_draws(&p).await?;
        Ok(p)
    }

    /// Published programmes (everything for programme managers).
    pub async fn programmes(&self, principal: Option<&Principal>) -> AppResult<Vec<Programme>> {
        let manager = principal.is_some_and(|p| p.authorize(Action::ManageProgrammes).is_ok());
        Ok(self
            .store
            .programmes()
            .await?
            .into_iter()
            .filter(|p| manager || p.status == ProgrammeStatus::Published)
            .collect())
    }

    /// A programme people may see (drafts only for programme managers).
    pub async fn programme(
        &self,
        principal: Option<&Principal>,
        slug: &str,
    ) -> AppResult<Programme> {
        let manager = principal.is_some_and(|p| p.authorize(Action::ManageProgrammes).is_ok());
        self.store
            .programme(slug)
            .await?
            .filter(|p| manager || p.status != ProgrammeStatus::Draft)
            .ok_or(AppError::NotFound("programme"))
    }

    /// Whether the person (their answers, or those given now) may use the programme.
    pub async fn check(
        &self,
        principal: Option<&Principal>,
        slug: &str,
        given: Option<PersonFacts>,
    ) -> AppResult<(Programme, Eligibility)> {
        let p = self.programme(principal, slug).await?;
        let facts = self.financing.facts_for(principal, given).await?;
        let eligibility = self.eligibility(&p, &facts);
        Ok((p, eligibility))
    }

    fn eligibility(&self, p: &Programme, person: &PersonFacts) -> Eligibility {
        let home = person
            .municipality
            .as_deref()
            .and_then(|m| self.regions.municipality(m));
        let facts = Facts {
            today: today(self.clock.as_ref()),
            person,
            home,
            offer: None,
            prior_awards_of_scheme: &[],
            skill_lists: &NoSkillLists,
        };
        let groups = p
            .definition
            .reserves
            .iter()
            .enumerate()
            .filter(|(_, r)| matches!(r.who.evaluate(&facts), Verdict::Met))
            .map(|(i, _)| i)
            .collect();
        Eligibility {
            verdict: p.definition.eligibility.evaluate(&facts),
            groups,
        }
    }

    /// Register for a programme with the answers saved for the account. During a window the
    /// registration waits for the draw; outside windows a place is given at once while there
    /// is one (else a place on the waitlist). Registering again returns the registration.
    pub async fn register(&self, principal: &Principal, slug: &str) -> AppResult<Registration> {
        principal.authorize(Action::ManageOwnAccount)?;
        let p = self.programme(Some(principal), slug).await?;
        if p.status != ProgrammeStatus::Published {
            return Err(AppError::Conflict(format!(
                "programme '{slug}' does not take registrations"
            )));
        }
        if let Some(existing) = self.store.registration(p.id, principal.user_id).await? {
            return Ok(existing);
        }
        let facts = self.financing.facts_for(Some(principal), None).await?;
        let eligibility = self.eligibility(&p, &facts);
        if !matches!(eligibility.verdict, Verdict::Met) {
            return Err(AppError::Conflict(format!(
                "you cannot use programme '{slug}' (yet): check the conditions first"
            )));
        }
        let region = facts
            .municipality
            .as_deref()
            .and_then(|m| self.regions.municipality(m))
            .map(|m| m.region.clone());
        let now = self.clock.now();
        let reference = format!(
            "ADV-{}",
            &crate::secret::random_token()?
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(10)
                .collect::<String>()
                .to_ascii_uppercase()
        );
        Ok(self
            .store
            .register(NewRegistration {
                programme_id: p.id,
                user_id: principal.user_id,
                reference: &reference,
                groups: &eligibility.groups,
                region: region.as_deref(),
                window_opens: p.definition.open_window(now).map(|w| w.opens),
                capacity: p.definition.capacity,
                at: now,
            })
            .await?)
    }

    /// The person's own registration for a programme.
    pub async fn my_registration(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> AppResult<Option<Registration>> {
        principal.authorize(Action::ManageOwnAccount)?;
        let p = self.programme(Some(principal), slug).await?;
        Ok(self.store.registration(p.id, principal.user_id).await?)
    }

    /// Draw a closed window's places (the draw job's work). A window already drawn keeps its
    /// draw; a registration that came in while drawing makes it draw again.
    pub async fn draw(&self, job: &DrawJob) -> AppResult<PublishedDraw> {
        let p = self
            .store
            .programme(&job.programme)
            .await?
            .ok_or(AppError::NotFound("programme"))?;
        for _ in 0..3 {
            if let Some(done) = self.store.draw_of(p.id, job.window_opens).await? {
                return Ok(done);
            }
            let waiting = self.store.waiting_for_draw(p.id, job.window_opens).await?;
            let entrants: Vec<Entrant> = waiting
                .into_iter()
                .map(|r| Entrant {
                    registration: r.reference,
                    groups: r.groups,
                })
                .collect();
            let given = self.store.places_given(p.id).await?;
            let left = p.definition.capacity.saturating_sub(given);
            let reserves: Vec<(String, u32)> = p
                .definition
                .reserves
                .iter()
                .zip(p.definition.reserved_places())
                .map(|(r, places)| (r.name.get("nl").to_owned(), places))
                .collect();
            let seed = crate::secret::random_token()?;
            let draw = PublishedDraw::draw(&seed, left, &reserves, &entrants);
            match self
                .store
                .record_draw(
                    p.id,
                    job.window_opens,
                    &draw,
                    p.definition.capacity,
                    self.clock.now(),
                )
                .await
            {
                Ok(recorded) => return Ok(recorded),
                Err(StoreError::Refused(why)) => {
                    tracing::info!(programme = %p.slug, %why, "drawing again");
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(AppError::Conflict(format!(
            "the draw of programme '{}' kept changing; it will be tried again",
            p.slug
        )))
    }

    /// Write a message to a person into the outbox, once per key.
    async fn tell(
        &self,
        key: &str,
        user_id: leerpad_domain::shared::UserId,
        message: &Message,
    ) -> AppResult<()> {
        let Some(user) = self.users.user_by_id(user_id.get()).await? else {
            return Ok(()); // the account is gone: nobody to tell
        };
        self.outbox
            .enqueue_message(NewMessage {
                key,
                user_id,
                to: &user.email,
                lang: &user.locale,
                message,
                at: self.clock.now(),
            })
            .await?;
        Ok(())
    }

    /// Plan a job once under its key.
    async fn plan(
        &self,
        kind: &str,
        key: &str,
        payload: &impl Serialize,
        run_at: UnixTime,
    ) -> AppResult<()> {
        let payload =
            serde_json::to_string(payload).map_err(|e| AppError::Internal(e.to_string()))?;
        self.jobs
            .enqueue(
                NewJob {
                    kind,
                    key,
                    payload: &payload,
                    run_at,
                },
                self.clock.now(),
            )
            .await?;
        Ok(())
    }

    /// The reminder job's work: a message when the appointment is still planned.
    pub async fn remind(&self, key: &str, job: &ReminderJob) -> AppResult<()> {
        let Some(a) = self.advisors.appointment(job.appointment).await? else {
            return Ok(());
        };
        if a.status != leerpad_domain::advice::ports::AppointmentStatus::Booked {
            return Ok(());
        }
        let advisor = self
            .advisors
            .advisor(a.advisor_id)
            .await?
            .map(|x| x.profile.name)
            .unwrap_or_default();
        let programme = self
            .store
            .programme_of_registration(a.registration_id)
            .await?
            .map(|p| p.slug)
            .unwrap_or_default();
        let message = Message::AppointmentReminder {
            starts_at: a.slot.starts_at,
            advisor,
            hours_before: job.hours_before,
            programme,
        };
        self.tell(key, a.learner_id, &message).await
    }

    /// A programme's figures (programme managers).
    pub async fn figures(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> AppResult<(Programme, leerpad_domain::advice::figures::ProgrammeFigures)> {
        principal.authorize(Action::ManageProgrammes)?;
        let p = self.programme(Some(principal), slug).await?;
        let facts = self.store.registration_facts(p.id).await?;
        let figures = leerpad_domain::advice::figures::figures(
            p.definition.capacity,
            p.definition.reserves.len(),
            &facts,
        );
        Ok((p, figures))
    }

    /// A window's published draw.
    pub async fn published_draw(
        &self,
        slug: &str,
        window_opens: UnixTime,
    ) -> AppResult<Option<PublishedDraw>> {
        let p = self.programme(None, slug).await?;
        Ok(self.store.draw_of(p.id, window_opens).await?)
    }
}
