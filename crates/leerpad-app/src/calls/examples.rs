//! Example calls for `serve --demo` (invented, marked as examples): a call that closed three
//! weeks ago, oversubscribed, with its published lottery and applications in several states
//! (approved, in review, waiting for the provider's answer, rejected with an objection), and a
//! call that is open now with a draft and a submitted application. The applications are made
//! for online courses of the demo catalogue, each from another provider.

use super::Calls;
use crate::error::{AppError, AppResult};
use leerpad_domain::calls::lottery::{Entry, rank};
use leerpad_domain::calls::ports::{Application, ApplicationChange, ApprovalLimits};
use leerpad_domain::calls::{
    Actor, ApplicationLine, CallDefinition, CallEligibility, LevelShare, Oversubscription, Step,
    Workflow, take,
};
use leerpad_domain::catalogue::model::{Level, Modality, Offer, OfferStatus};
use leerpad_domain::shared::{Date, Localized, Money};
use time::Duration;

const CLOSED: &str = "digitale-basisvaardigheden-2026";
const OPEN: &str = "online-leren-2027";

fn definition(
    title: &str,
    description: &str,
    budget: i64,
    opens: Date,
    closes: Date,
) -> CallDefinition {
    CallDefinition {
        title: Localized {
            nl: format!("{title} (voorbeeld)"),
            en: String::new(),
        },
        description: Localized {
            nl: description.to_owned(),
            en: String::new(),
        },
        budget_cents: Money::from_cents(budget),
        opens_on: opens,
        closes_on: closes,
        eligibility: CallEligibility {
            offer_kinds: Vec::new(),
            modalities: vec![Modality::Online],
            max_study_hours: Some(400),
            labour_market_oriented: false,
        },
        max_per_application_cents: Money::from_cents(175_000_000),
        min_per_course_cents: Money::from_cents(150_000),
        max_places_per_course_per_year: 300,
        level_spread: vec![LevelShare {
            level: Level::Hbo,
            max_percent: 40,
        }],
        oversubscription: Oversubscription::Lottery,
        criteria: Vec::new(),
        example: true,
    }
}

impl Calls {
    /// Write the example calls (the demo catalogue must be loaded); returns how many
    /// applications were made, 0 when the examples are there already or no online courses
    /// exist.
    pub async fn seed_examples(&self) -> AppResult<usize> {
        if self.ports.calls.call(OPEN).await?.is_some() {
            return Ok(0);
        }
        let today = self.today()?;
        let now = self.clock.now();
        // Online courses, each from another provider.
        let mut picked: Vec<Offer> = Vec::new();
        for (offer, _) in self.ports.catalogue.offers_changed_after(0, 5_000).await? {
            let c = &offer.content;
            if c.status == OfferStatus::Published
                && c.modality == Modality::Online
                && c.study_load_hours.is_some_and(|h| h <= 400)
                && !picked.iter().any(|p| p.provider_id == offer.provider_id)
            {
                picked.push(offer);
            }
            if picked.len() == 9 {
                break;
            }
        }
        if picked.len() < 9 {
            return Ok(0);
        }
        let days = |n: i64| today + Duration::days(n);
        let at = |d: Date| now - (today - d).whole_seconds();
        let closed = self
            .ports
            .calls
            .create_call(
                CLOSED,
                &definition(
                    "Digitale basisvaardigheden 2026",
                    "Het Rijk betaalt online cursussen in digitale vaardigheden, zodat werkenden ze gratis kunnen volgen. Er kwamen meer aanvragen dan er geld was: de loting besliste.",
                    2_500_000,
                    days(-70),
                    days(-21),
                ),
                &crate::secret::random_token()?,
                at(days(-70)),
            )
            .await?;
        let open = self
            .ports
            .calls
            .create_call(
                OPEN,
                &definition(
                    "Online leren 2027",
                    "Opleiders vragen aan om de kosten van online cursussen te laten betalen. Voor cursussen van hoogstens 400 uur, voor elk niveau.",
                    25_000_000,
                    days(-5),
                    days(25),
                ),
                &crate::secret::random_token()?,
                at(days(-5)),
            )
            .await?;
        let line = |o: &Offer, places: u32| ApplicationLine {
            offer: o.id,
            places,
            price_per_participant_cents: Money::from_cents(
                o.content.gross_price_cents().cents().clamp(20_000, 90_000),
            ),
            starts_on: days(30),
            ends_on: days(120),
        };
        let mut made = 0;
        // The closed call: seven applications, all admitted to review before it closed.
        let mut in_review: Vec<Application> = Vec::new();
        for (i, offer) in picked.iter().take(7).enumerate() {
            let lines = [line(offer, 20)];
            let amount = lines[0].amount().unwrap_or(Money::ZERO);
            let start = days(-60 + i as i64);
            let mut app = self
                .ports
                .calls
                .create_application(
                    closed.id,
                    offer.provider_id,
                    &lines,
                    amount,
                    None,
                    at(start),
                )
                .await?;
            for (step, actor, day) in [
                (Step::Submit, Actor::Provider, start),
                (Step::StartCheck, Actor::Manager, days(-20)),
                (Step::Admissible, Actor::Manager, days(-19)),
            ] {
                app = self
                    .example_step(&app, &step, actor, day, day <= days(-21))
                    .await?;
            }
            in_review.push(app);
            made += 1;
        }
        // The published order decides; the first funded are approved, one is asked a question,
        // one stays in review; one not covered is rejected and objects.
        let entries: Vec<Entry> = in_review
            .iter()
            .map(|a| Entry {
                reference: a.reference(),
                amount_cents: a.amount.cents(),
                score: None,
            })
            .collect();
        let order = rank(
            &closed.seed,
            closed.definition.budget_cents.cents(),
            &entries,
        );
        let mut funded = order.iter().filter(|r| r.funded);
        let mut unfunded = order.iter().filter(|r| !r.funded);
        let by_ref = |r: &str| in_review.iter().find(|a| a.reference() == r).cloned();
        for r in funded.by_ref().take(3) {
            if let Some(app) = by_ref(&r.reference) {
                let next = take(
                    &app.workflow,
                    &Step::Approve,
                    Actor::Manager,
                    days(-14),
                    false,
                )?;
                let limits = ApprovalLimits {
                    budget: closed.definition.budget_cents,
                    max_places_per_course_per_year: 300,
                    level_caps: Vec::new(),
                    levels: Vec::new(),
                    prices: Vec::new(),
                    hold_expires_at: now + 500 * 86_400,
                };
                let change = ApplicationChange {
                    id: app.id,
                    expected_version: app.version,
                    workflow: &next,
                    step: "approve",
                    by: None,
                    text: None,
                    at: at(days(-14)),
                };
                self.ports
                    .calls
                    .approve_application(change, &limits)
                    .await?
                    .map_err(|e| AppError::Internal(format!("example approval: {e}")))?;
            }
        }
        if let Some(app) = funded.next().and_then(|r| by_ref(&r.reference)) {
            let ask = Step::RequestInformation {
                question: "Hoeveel uur begeleiding krijgt een deelnemer per week?".into(),
            };
            self.example_step(&app, &ask, Actor::Manager, days(-3), false)
                .await?;
        }
        if let Some(app) = unfunded.next().and_then(|r| by_ref(&r.reference)) {
            let reject = Step::Reject {
                reason: "Volgens de gepubliceerde loting past de aanvraag niet meer in het budget."
                    .into(),
            };
            let app = self
                .example_step(&app, &reject, Actor::Manager, days(-13), false)
                .await?;
            let object = Step::Object {
                grounds: "Onze cursus is bedoeld voor mensen zonder startkwalificatie; wij vragen om voorrang.".into(),
            };
            self.example_step(&app, &object, Actor::Provider, days(-6), false)
                .await?;
        }
        // The open call: a draft and a submitted application.
        for (i, offer) in picked.iter().skip(7).enumerate() {
            let lines = [line(offer, 40)];
            let amount = lines[0].amount().unwrap_or(Money::ZERO);
            let app = self
                .ports
                .calls
                .create_application(
                    open.id,
                    offer.provider_id,
                    &lines,
                    amount,
                    None,
                    at(days(-2)),
                )
                .await?;
            if i == 1 {
                self.example_step(&app, &Step::Submit, Actor::Provider, days(-1), true)
                    .await?;
            }
            made += 1;
        }
        Ok(made)
    }

    async fn example_step(
        &self,
        app: &Application,
        step: &Step,
        actor: Actor,
        day: Date,
        open: bool,
    ) -> AppResult<Application> {
        let next: Workflow = take(&app.workflow, step, actor, day, open)?;
        let change = ApplicationChange {
            id: app.id,
            expected_version: app.version,
            workflow: &next,
            step: step.name(),
            by: None,
            text: step.text(),
            at: self.clock.now() - (self.today()? - day).whole_seconds(),
        };
        Ok(self.ports.calls.change_application(change).await?)
    }
}
