//! Calls for cost coverage (after NL Leert Door): programme managers open calls; providers
//! apply with their offers; managers review (`leerpad_domain::calls`, the rules and the state
//! diagram). Approvals follow the call's published order once it is oversubscribed (a seeded
//! lottery, or scores) and never exceed its budget or a course's yearly cap, however many
//! reviewers approve at once (checked in the transaction that approves). Every step is written
//! to the application's history, which the provider reads, and to the audit log.

use crate::error::{AppError, AppResult};
use leerpad_domain::advice::advisors::local_day;
use leerpad_domain::calls::lottery::{Entry, Ranked, rank};
use leerpad_domain::calls::ports::{
    Application, ApplicationChange, ApplicationEvent, ApprovalLimits, ApprovalRefusal, CallStore,
};
use leerpad_domain::calls::{
    Actor, ApplicationLine, ApplicationStatus, Call, CallDefinition, OfferInfo, Step,
    settlement_amount, take, validate_call, validate_lines,
};
use leerpad_domain::catalogue::ports::CatalogueStore;
use leerpad_domain::clock::Clock;
use leerpad_domain::policy::{Action, Principal};
use leerpad_domain::shared::{Date, FieldError, Money, OfferId, ProviderId};
use std::sync::Arc;

mod examples;

/// The ports calls use.
pub struct CallPorts {
    pub calls: Arc<dyn CallStore>,
    pub catalogue: Arc<dyn CatalogueStore>,
    /// For the signals: no-shows and sudden rushes on approved courses.
    pub enrolments: Arc<dyn leerpad_domain::enrolment::ports::EnrolmentStore>,
    /// A course suspended by its ratings is not approved.
    pub quality: Arc<dyn leerpad_domain::quality::ports::QualityStore>,
    pub audit: Arc<dyn leerpad_domain::accounts::ports::AuditStore>,
}

pub struct Calls {
    ports: CallPorts,
    clock: Arc<dyn Clock>,
}

/// A call's published order: the seed (once the call has closed), and every application that
/// takes part with its lottery number and whether the budget covers it.
#[derive(Debug, Clone)]
pub struct PublishedOrder {
    pub call: Call,
    /// None while the call is open: the seed is published when it closes.
    pub seed: Option<String>,
    pub ranked: Vec<Ranked>,
    /// Whether more is asked than the budget holds.
    pub oversubscribed: bool,
}

impl From<leerpad_domain::calls::WorkflowError> for AppError {
    fn from(e: leerpad_domain::calls::WorkflowError) -> AppError {
        use leerpad_domain::calls::WorkflowError as W;
        let (code, args) = match &e {
            W::NotNow { .. } => ("application-refused-not-now", vec![]),
            W::NotYours => ("application-refused-not-yours", vec![]),
            W::TooLate(d) => (
                "application-refused-too-late",
                vec![("date", leerpad_domain::shared::iso_date_option::format(*d))],
            ),
            W::NotExpired => ("application-refused-not-expired", vec![]),
            W::CallClosed => ("application-refused-call-closed", vec![]),
            W::ObjectedBefore => ("application-refused-objected", vec![]),
            W::TextNeeded(_) => ("application-refused-text", vec![]),
        };
        refused(code, args, e.to_string())
    }
}

fn refused(code: &'static str, args: Vec<(&'static str, String)>, message: String) -> AppError {
    AppError::Refused {
        code,
        args,
        message,
    }
}

/// Statuses that take part in the call's order.
fn takes_part(status: ApplicationStatus) -> bool {
    !matches!(
        status,
        ApplicationStatus::Draft | ApplicationStatus::Withdrawn | ApplicationStatus::Rejected
    )
}

impl Calls {
    pub fn new(ports: CallPorts, clock: Arc<dyn Clock>) -> Calls {
        Calls { ports, clock }
    }

    fn today(&self) -> AppResult<Date> {
        local_day(self.clock.now()).ok_or_else(|| AppError::Internal("today's date".into()))
    }

    /// Open a call (programme managers). The lottery's seed is drawn now and kept secret until
    /// the call closes.
    pub async fn create_call(
        &self,
        principal: &Principal,
        slug: &str,
        definition: &CallDefinition,
    ) -> AppResult<Call> {
        principal.authorize(Action::ManageProgrammes)?;
        let mut errors = validate_call(definition);
        if let Err(e) = leerpad_domain::financing::validate_slug(slug) {
            errors.push(e);
        }
        if !errors.is_empty() {
            return Err(AppError::InvalidFields(errors));
        }
        let seed = crate::secret::random_token()?;
        let call = self
            .ports
            .calls
            .create_call(slug, definition, &seed, self.clock.now())
            .await?;
        Ok(hide_seed(call, self.today()?))
    }

    /// Every call (public: providers find them here). The seed is left out while a call is
    /// open.
    pub async fn calls(&self) -> AppResult<Vec<Call>> {
        let today = self.today()?;
        Ok(self
            .ports
            .calls
            .calls()
            .await?
            .into_iter()
            .map(|c| hide_seed(c, today))
            .collect())
    }

    pub async fn call(&self, slug: &str) -> AppResult<Call> {
        let today = self.today()?;
        let call = self.call_named(slug).await?;
        Ok(hide_seed(call, today))
    }

    /// A call by its slug, as stored (seed included: callers decide what to show).
    async fn call_named(&self, slug: &str) -> AppResult<Call> {
        self.ports
            .calls
            .call(slug)
            .await?
            .ok_or(AppError::NotFound("call"))
    }

    async fn my_provider(&self, principal: &Principal) -> AppResult<ProviderId> {
        Ok(
            crate::catalogue::own_provider_in(self.ports.catalogue.as_ref(), principal)
                .await?
                .id,
        )
    }

    /// A provider's application to a call, as a draft: every line is checked against the
    /// call's rules and the provider's own offers.
    pub async fn apply(
        &self,
        principal: &Principal,
        slug: &str,
        lines: &[ApplicationLine],
    ) -> AppResult<Application> {
        let own =
            crate::catalogue::own_provider_in(self.ports.catalogue.as_ref(), principal).await?;
        if !own.verified {
            return Err(refused(
                "application-refused-unverified",
                vec![],
                "your organisation applies once a programme manager has verified it".into(),
            ));
        }
        let provider = own.id;
        let call = self.call_named(slug).await?;
        let ids: Vec<OfferId> = lines.iter().take(200).map(|l| l.offer).collect();
        let offers = self.ports.catalogue.offers_by_ids(&ids).await?;
        let find = |id: OfferId| {
            offers.iter().find(|o| o.id == id).map(|o| OfferInfo {
                id: o.id,
                provider: o.provider_id,
                content: &o.content,
            })
        };
        let mut errors = validate_lines(&call.definition, provider, lines, &find);
        if lines.len() > 200 {
            errors.push(
                FieldError::new("lines", "at most 200 courses in one application")
                    .coded("application-error-many", vec![]),
            );
        }
        if !errors.is_empty() {
            return Err(AppError::InvalidFields(errors));
        }
        let amount = lines
            .iter()
            .filter_map(ApplicationLine::amount)
            .fold(Money::ZERO, |a, b| a + b);
        let app = self
            .ports
            .calls
            .create_application(
                call.id,
                provider,
                lines,
                amount,
                Some(principal.user_id),
                self.clock.now(),
            )
            .await?;
        self.audit(principal, &app, "create").await?;
        Ok(app)
    }

    /// The provider's applications, newest first.
    pub async fn my_applications(&self, principal: &Principal) -> AppResult<Vec<Application>> {
        let provider = self.my_provider(principal).await?;
        Ok(self.ports.calls.applications_of_provider(provider).await?)
    }

    /// A call's applications (programme managers).
    pub async fn applications(
        &self,
        principal: &Principal,
        slug: &str,
    ) -> AppResult<Vec<Application>> {
        principal.authorize(Action::ManageProgrammes)?;
        let call = self.call_named(slug).await?;
        Ok(self.ports.calls.applications_of_call(call.id).await?)
    }

    /// An application with its history, for its provider or a programme manager.
    pub async fn application(
        &self,
        principal: &Principal,
        id: i64,
    ) -> AppResult<(Application, Vec<ApplicationEvent>)> {
        let app = self.visible(principal, id).await?;
        let events = self.ports.calls.application_events(id).await?;
        Ok((app, events))
    }

    /// The titles of an application's courses, in its order (the id when a course is gone).
    pub async fn course_titles(&self, app: &Application, lang: &str) -> AppResult<Vec<String>> {
        let ids: Vec<OfferId> = app.lines.iter().map(|l| l.offer).collect();
        let offers = self.ports.catalogue.offers_by_ids(&ids).await?;
        Ok(app
            .lines
            .iter()
            .map(|line| {
                offers
                    .iter()
                    .find(|o| o.id == line.offer)
                    .map(|o| o.content.title.get(lang).to_owned())
                    .unwrap_or_else(|| line.offer.to_string())
            })
            .collect())
    }

    async fn visible(&self, principal: &Principal, id: i64) -> AppResult<Application> {
        let app = self
            .ports
            .calls
            .application(id)
            .await?
            .ok_or(AppError::NotFound("application"))?;
        if principal.authorize(Action::ManageProgrammes).is_ok() {
            return Ok(app);
        }
        // Another provider's application does not exist for this one.
        match self.my_provider(principal).await {
            Ok(p) if p == app.provider => Ok(app),
            Ok(_) => Err(AppError::NotFound("application")),
            Err(e) => Err(e),
        }
    }

    /// A step by the provider (submit, withdraw, answer, object) or a programme manager (the
    /// review's steps and decisions).
    pub async fn step(
        &self,
        principal: &Principal,
        id: i64,
        step: &Step,
    ) -> AppResult<Application> {
        let app = self.visible(principal, id).await?;
        let manager = principal.authorize(Action::ManageProgrammes).is_ok();
        let provider = step.actor() == Actor::Provider;
        let actor = match (provider, manager) {
            (true, _) => {
                // Only the provider itself takes the provider's steps.
                let mine = self.my_provider(principal).await?;
                if mine != app.provider {
                    return Err(AppError::NotFound("application"));
                }
                Actor::Provider
            }
            (false, true) => Actor::Manager,
            (false, false) => {
                return Err(AppError::Forbidden(leerpad_domain::policy::Denied {
                    action: Action::ManageProgrammes,
                }));
            }
        };
        let call = self
            .ports
            .calls
            .call_by_id(app.call_id)
            .await?
            .ok_or(AppError::NotFound("call"))?;
        let today = self.today()?;
        let next = take(&app.workflow, step, actor, today, call.is_open_on(today))?;
        let change = ApplicationChange {
            id: app.id,
            expected_version: app.version,
            workflow: &next,
            step: step.name(),
            by: Some(principal.user_id),
            text: step.text(),
            at: self.clock.now(),
        };
        let done = match step {
            Step::Approve => self.approve(&call, &app, change, today).await?,
            Step::Settle { completions, .. } => {
                let paid = settlement_amount(&app.lines, completions)
                    .map_err(|e| AppError::InvalidFields(vec![e]))?;
                if app
                    .lines
                    .iter()
                    .map(|l| l.ends_on)
                    .max()
                    .is_some_and(|end| today < end)
                {
                    return Err(AppError::Conflict(
                        "completions are declared once the courses have ended".into(),
                    ));
                }
                let hold = app
                    .hold
                    .ok_or_else(|| AppError::Conflict("the approved money was not held".into()))?;
                self.ports
                    .calls
                    .settle_application(change, hold, paid)
                    .await??
            }
            _ => self.ports.calls.change_application(change).await?,
        };
        self.audit(principal, &done, step.name()).await?;
        Ok(done)
    }

    async fn approve(
        &self,
        call: &Call,
        app: &Application,
        change: ApplicationChange<'_>,
        today: Date,
    ) -> AppResult<Application> {
        if today <= call.definition.closes_on {
            return Err(refused(
                "application-refused-before-close",
                vec![],
                "applications are decided after the call closes".into(),
            ));
        }
        // Once more is asked than the budget holds, the published order decides.
        let order = self.order_of(call, today).await?;
        if order.oversubscribed
            && !order
                .ranked
                .iter()
                .any(|r| r.reference == app.reference() && r.funded)
        {
            return Err(refused(
                "application-refused-not-covered",
                vec![("reference", app.reference())],
                format!(
                    "the call is oversubscribed and application {} is not covered in its published order",
                    app.reference()
                ),
            ));
        }
        let mut levels = Vec::new();
        let mut prices = Vec::new();
        for line in &app.lines {
            if self.ports.quality.rating_of(line.offer).await?.standing()
                == leerpad_domain::quality::Standing::Suspended
            {
                return Err(refused(
                    "application-refused-suspended",
                    vec![],
                    format!(
                        "course {} is suspended because participants rated it very low",
                        line.offer
                    ),
                ));
            }
            let offer = self.ports.catalogue.offer(line.offer.get()).await?;
            levels.push((line.offer, offer.as_ref().and_then(|o| o.content.level)));
            if let Some(o) = offer {
                prices.push((line.offer, o.content.gross_price_cents()));
            }
        }
        let budget = call.definition.budget_cents;
        let level_caps = call
            .definition
            .level_spread
            .iter()
            .map(|s| {
                (
                    s.level,
                    Money::from_cents(budget.cents() / 100 * i64::from(s.max_percent)),
                )
            })
            .collect();
        let last_day = app.lines.iter().map(|l| l.ends_on).max().unwrap_or(today);
        // Unpaid money goes back to the call a year after the last course ends.
        let hold_expires_at =
            self.clock.now() + (last_day - today).whole_seconds().max(0) + 365 * 86_400;
        let limits = ApprovalLimits {
            budget,
            max_places_per_course_per_year: call.definition.max_places_per_course_per_year,
            level_caps,
            levels,
            prices,
            hold_expires_at,
        };
        match self
            .ports
            .calls
            .approve_application(change, &limits)
            .await?
        {
            Ok(done) => Ok(done),
            Err(refusal) => Err(refusal_error(&refusal)),
        }
    }

    async fn order_of(&self, call: &Call, today: Date) -> AppResult<PublishedOrder> {
        let apps = self.ports.calls.applications_of_call(call.id).await?;
        let scores = self.scores_by_application(call).await?;
        let entries: Vec<Entry> = apps
            .iter()
            .filter(|a| takes_part(a.workflow.status))
            .map(|a| Entry {
                reference: a.reference(),
                amount_cents: a.amount.cents(),
                score: scores.get(&a.id).copied(),
            })
            .collect();
        let asked: i64 = entries.iter().map(|e| e.amount_cents).sum();
        let ranked = rank(&call.seed, call.definition.budget_cents.cents(), &entries);
        let closed = today > call.definition.closes_on;
        Ok(PublishedOrder {
            call: hide_seed(call.clone(), today),
            seed: closed.then(|| call.seed.clone()),
            oversubscribed: asked > call.definition.budget_cents.cents(),
            ranked,
        })
    }

    /// Each application's weighted score, for a call decided by scoring (empty otherwise).
    async fn scores_by_application(
        &self,
        call: &Call,
    ) -> AppResult<std::collections::HashMap<i64, u32>> {
        if call.definition.oversubscription != leerpad_domain::calls::Oversubscription::Scoring {
            return Ok(Default::default());
        }
        let mut by_app: std::collections::HashMap<i64, Vec<Vec<u8>>> = Default::default();
        for (app, scores) in self.ports.calls.scores_of_call(call.id).await? {
            by_app.entry(app).or_default().push(scores);
        }
        Ok(by_app
            .into_iter()
            .filter_map(|(app, reviews)| {
                leerpad_domain::calls::weighted_score(&call.definition.criteria, &reviews)
                    .map(|s| (app, s))
            })
            .collect())
    }

    /// A reviewer scores an application on the call's stated criteria (programme managers;
    /// calls decided by scoring; before the decision). Audited, and in the application's
    /// weighted score, which orders the call when it is oversubscribed.
    pub async fn score(
        &self,
        principal: &Principal,
        id: i64,
        scores: &[u8],
    ) -> AppResult<Option<u32>> {
        principal.authorize(Action::ManageProgrammes)?;
        let app = self
            .ports
            .calls
            .application(id)
            .await?
            .ok_or(AppError::NotFound("application"))?;
        let call = self
            .ports
            .calls
            .call_by_id(app.call_id)
            .await?
            .ok_or(AppError::NotFound("call"))?;
        if call.definition.oversubscription != leerpad_domain::calls::Oversubscription::Scoring {
            return Err(refused(
                "application-refused-no-scoring",
                vec![],
                "this call is decided by lottery, not by scores".into(),
            ));
        }
        if !matches!(
            app.workflow.status,
            ApplicationStatus::Submitted
                | ApplicationStatus::AdmissibilityCheck
                | ApplicationStatus::Review
                | ApplicationStatus::InformationRequested
        ) {
            return Err(refused(
                "application-refused-not-now",
                vec![],
                "an application is scored while it is reviewed".into(),
            ));
        }
        leerpad_domain::calls::validate_scores(&call.definition.criteria, scores)
            .map_err(AppError::InvalidFields)?;
        self.ports
            .calls
            .score_application(id, principal.user_id, scores, self.clock.now())
            .await?;
        self.audit(principal, &app, "score").await?;
        Ok(self.scores_by_application(&call).await?.get(&id).copied())
    }

    /// For a call decided by scoring: its criteria and the application's weighted score so
    /// far (tenths of a point), for the review page (programme managers).
    pub async fn scoring_of(
        &self,
        principal: &Principal,
        app: &Application,
    ) -> AppResult<Option<(Vec<leerpad_domain::calls::Criterion>, Option<u32>)>> {
        principal.authorize(Action::ManageProgrammes)?;
        let call = self
            .ports
            .calls
            .call_by_id(app.call_id)
            .await?
            .ok_or(AppError::NotFound("call"))?;
        if call.definition.oversubscription != leerpad_domain::calls::Oversubscription::Scoring {
            return Ok(None);
        }
        let score = self
            .scores_by_application(&call)
            .await?
            .get(&app.id)
            .copied();
        Ok(Some((call.definition.criteria, score)))
    }

    /// A call's published order (public once the call has closed, so anyone can check it).
    pub async fn published_order(&self, slug: &str) -> AppResult<PublishedOrder> {
        let call = self.call_named(slug).await?;
        let today = self.today()?;
        if today <= call.definition.closes_on {
            return Err(AppError::Conflict(
                "the order is published when the call closes".into(),
            ));
        }
        self.order_of(&call, today).await
    }

    /// End applications whose provider did not answer a request for information in time (the
    /// job runner's sweep; each once, over its version).
    pub async fn expire_due(&self) -> AppResult<usize> {
        let today = self.today()?;
        let due = self
            .ports
            .calls
            .applications_due(&leerpad_domain::shared::iso_date_option::format(today), 200)
            .await?;
        let mut ended = 0;
        for app in due {
            let Ok(next) = take(&app.workflow, &Step::Expire, Actor::System, today, false) else {
                continue;
            };
            let change = ApplicationChange {
                id: app.id,
                expected_version: app.version,
                workflow: &next,
                step: "expire",
                by: None,
                text: None,
                at: self.clock.now(),
            };
            if self.ports.calls.change_application(change).await.is_ok() {
                ended += 1;
            }
        }
        Ok(ended)
    }

    async fn audit(&self, principal: &Principal, app: &Application, step: &str) -> AppResult<()> {
        self.ports
            .audit
            .append_audit(&leerpad_domain::AuditEntry {
                at: self.clock.now(),
                event: leerpad_domain::AuditEvent::ApplicationStep,
                actor_user_id: Some(principal.user_id),
                subject_user_id: None,
                ip: None,
                detail: serde_json::json!({
                    "application": app.id,
                    "call": app.call_id,
                    "provider": app.provider,
                    "step": step,
                    "status": app.workflow.status.as_str(),
                }),
            })
            .await?;
        Ok(())
    }
}

/// Something on a call's approved courses worth a programme manager's look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// The course costs more in the catalogue now than when the call approved it.
    PriceRaised {
        reference: String,
        course: String,
        approved: Money,
        now: Money,
    },
    /// Many learners of the provider did not come.
    NoShows {
        provider: String,
        no_shows: u32,
        taken: u32,
    },
    /// A sudden rush of requests for an approved course.
    Rush {
        course: String,
        last_week: u32,
        before: u32,
    },
}

impl Calls {
    /// The signals on a call's approved courses (programme managers).
    pub async fn signals(&self, principal: &Principal, slug: &str) -> AppResult<Vec<Signal>> {
        use leerpad_domain::calls::signals::{many_no_shows, price_raised, sudden_volume};
        use leerpad_domain::enrolment::EnrolmentStatus;
        let apps = self.applications(principal, slug).await?;
        let now = self.clock.now();
        let call = self.call_named(slug).await?;
        let at_approval = self.ports.calls.approved_prices(call.id).await?;
        let mut out = Vec::new();
        let mut providers: Vec<ProviderId> = Vec::new();
        // Each approved course with its provider's id, for the rush check.
        let mut courses: Vec<(OfferId, ProviderId, String)> = Vec::new();
        for app in apps.iter().filter(|a| {
            matches!(
                a.workflow.status,
                ApplicationStatus::Approved | ApplicationStatus::Settled
            )
        }) {
            for line in &app.lines {
                let Some(offer) = self.ports.catalogue.offer(line.offer.get()).await? else {
                    continue;
                };
                let title = offer.content.title.get("nl").to_owned();
                let current = offer.content.gross_price_cents();
                let then = at_approval
                    .iter()
                    .find(|(a, o, _)| *a == app.id && *o == line.offer)
                    .map(|(_, _, p)| *p);
                if let Some(then) = then
                    && price_raised(then, current)
                {
                    out.push(Signal::PriceRaised {
                        reference: app.reference(),
                        course: title.clone(),
                        approved: then,
                        now: current,
                    });
                }
                if !courses.iter().any(|(o, _, _)| *o == line.offer) {
                    courses.push((line.offer, app.provider, title));
                }
            }
            if !providers.contains(&app.provider) {
                providers.push(app.provider);
            }
        }
        const WEEK: i64 = 7 * 86_400;
        for provider in providers {
            let enrolments = self
                .ports
                .enrolments
                .enrolments_of_provider(provider)
                .await?;
            let count = |f: &dyn Fn(&leerpad_domain::enrolment::Enrolment) -> bool| {
                u32::try_from(enrolments.iter().filter(|e| f(e)).count()).unwrap_or(u32::MAX)
            };
            let no_shows = count(&|e| e.status == EnrolmentStatus::NoShow);
            let taken = count(&|e| {
                matches!(
                    e.status,
                    EnrolmentStatus::Started
                        | EnrolmentStatus::Completed
                        | EnrolmentStatus::Cancelled
                        | EnrolmentStatus::NoShow
                )
            });
            if many_no_shows(no_shows, taken) {
                let name = self
                    .ports
                    .catalogue
                    .provider(provider.get())
                    .await?
                    .map_or_else(|| provider.to_string(), |p| p.name);
                out.push(Signal::NoShows {
                    provider: name,
                    no_shows,
                    taken,
                });
            }
            for (offer, _, title) in courses.iter().filter(|(_, p, _)| *p == provider) {
                let last_week = count(&|e| e.offer == *offer && e.created_at > now - WEEK);
                let before = count(&|e| {
                    e.offer == *offer && e.created_at <= now - WEEK && e.created_at > now - 9 * WEEK
                });
                if sudden_volume(last_week, before) {
                    out.push(Signal::Rush {
                        course: title.clone(),
                        last_week,
                        before,
                    });
                }
            }
        }
        Ok(out)
    }
}

/// The refusal with its code, for the reviewer's page.
fn refusal_error(r: &ApprovalRefusal) -> AppError {
    let (code, args) = match r {
        ApprovalRefusal::Budget { left, asked } => (
            "application-refused-budget",
            vec![("left", left.decimal()), ("asked", asked.decimal())],
        ),
        ApprovalRefusal::CourseCap { left, .. } => {
            ("application-refused-cap", vec![("left", left.to_string())])
        }
        ApprovalRefusal::LevelShare { left, .. } => {
            ("application-refused-level", vec![("left", left.decimal())])
        }
    };
    refused(code, args, r.to_string())
}

fn hide_seed(mut call: Call, today: Date) -> Call {
    if today <= call.definition.closes_on {
        call.seed = String::new();
    }
    call
}
