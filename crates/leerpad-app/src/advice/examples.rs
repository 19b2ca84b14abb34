//! The examples `serve --demo` starts with: programmes (`data/advice/examples.toml`), advisors
//! with hours (`advisors.toml`) and learners with a history (`learners.toml`): registrations
//! waiting for a draw, talks held and missed, development plans, consent, a talk to come. All
//! invented and marked as examples; the history is written with the same ports as real use,
//! dated in the past.

use super::{Advice, BookingRequest, SlotFilter};
use crate::accounts::Accounts;
use crate::catalogue::today;
use crate::error::{AppError, AppResult};
use leerpad_domain::advice::advisors::{Slot, free_slots, local_day_bounds};
use leerpad_domain::advice::plan::{PlanComment, PlanContent};
use leerpad_domain::advice::ports::{AppointmentStatus, NewAppointment, ProgrammeStatus};
use leerpad_domain::advice::programme::{ProgrammeDefinition, Window};
use leerpad_domain::financing::PersonFacts;
use leerpad_domain::policy::Principal;
use leerpad_domain::role::{Role, RoleSet};
use serde::Deserialize;

/// The example programmes `serve --demo` starts with.
pub const EXAMPLE_PROGRAMMES: &str = include_str!("../../../../data/advice/examples.toml");

/// The example advisors `serve --demo` starts with.
pub const EXAMPLE_ADVISORS: &str = include_str!("../../../../data/advice/advisors.toml");

/// An example advisor: the account's e-mail address, profile and hours.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleAdvisor {
    pub email: String,
    pub profile: leerpad_domain::advice::advisors::AdvisorProfile,
    pub availability: leerpad_domain::advice::advisors::Availability,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleAdvisors {
    advisor: Vec<ExampleAdvisor>,
}

/// The example advisors, read from `data/advice/advisors.toml`.
pub fn example_advisors() -> AppResult<Vec<ExampleAdvisor>> {
    let file: ExampleAdvisors = toml::from_str(EXAMPLE_ADVISORS)
        .map_err(|e| AppError::Internal(format!("data/advice/advisors.toml: {e}")))?;
    Ok(file.advisor)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleFile {
    programme: Vec<ExampleProgramme>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleProgramme {
    slug: String,
    status: ProgrammeStatus,
    /// A window around the day the demo starts.
    window: Option<ExampleWindow>,
    definition: ProgrammeDefinition,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleWindow {
    opened_days_ago: i64,
    closes_in_days: i64,
}

/// The example learners `serve --demo` starts with.
pub const EXAMPLE_LEARNERS: &str = include_str!("../../../../data/advice/learners.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleLearners {
    learner: Vec<ExampleLearner>,
}

/// An example learner and what happened to them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleLearner {
    email: String,
    name: String,
    facts: PersonFacts,
    programme: String,
    /// The advisor's e-mail address (for the talks).
    advisor: Option<String>,
    talk: Option<ExampleTalk>,
    /// A talk booked in the coming weeks.
    #[serde(default)]
    next_talk: bool,
    /// The learner gave the advisor consent to read their profile, and the advisor did.
    #[serde(default)]
    consent: bool,
    /// The learner's response to the first version of the plan.
    comment: Option<String>,
    #[serde(default)]
    plan: Vec<ExamplePlan>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleTalk {
    days_ago: i64,
    outcome: AppointmentStatus,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExamplePlan {
    days_ago: i64,
    situation: String,
    goals: String,
    occupations: Vec<String>,
    agreements: String,
    follow_up_days: i64,
}

impl Advice {
    /// Store the example programmes that are not there yet; returns how many were added.
    pub async fn seed_examples(&self) -> AppResult<usize> {
        let file: ExampleFile = toml::from_str(EXAMPLE_PROGRAMMES)
            .map_err(|e| AppError::Internal(format!("data/advice/examples.toml: {e}")))?;
        let now = self.clock.now();
        let mut added = 0;
        for example in file.programme {
            if self.store.programme(&example.slug).await?.is_some() {
                continue;
            }
            let mut definition = example.definition;
            if let Some(w) = example.window {
                // Whole hours, so the page shows "om 09:00"-like times.
                let hour = now - now.rem_euclid(3_600);
                definition.windows.push(Window {
                    opens: hour - w.opened_days_ago * 86_400,
                    closes: hour + w.closes_in_days * 86_400,
                });
            }
            self.validate(&example.slug, &definition)?;
            let p = self
                .store
                .create_programme(&example.slug, example.status, &definition, now)
                .await?;
            self.plan_draws(&p).await?;
            added += 1;
        }
        Ok(added)
    }

    /// Accounts and hours for the example advisors that do not exist yet, all with `password`
    /// (so a newcomer can sign in as one); returns how many were added.
    pub async fn seed_example_advisors(
        &self,
        accounts: &crate::accounts::Accounts,
        password: &str,
    ) -> AppResult<usize> {
        let mut added = 0;
        for example in example_advisors()? {
            let account = match accounts
                .create_user(
                    &example.email,
                    &example.profile.name,
                    password,
                    RoleSet::new([Role::Advisor]),
                )
                .await
            {
                Ok(a) => a,
                Err(AppError::EmailTaken) => continue,
                Err(e) => return Err(e),
            };
            let principal = Principal {
                user_id: account.user.id,
                email: example.email.clone(),
                roles: RoleSet::new([Role::Advisor, Role::Learner]),
            };
            self.save_advisor(&principal, &example.profile, &example.availability)
                .await?;
            added += 1;
        }
        Ok(added)
    }

    /// Accounts for the example learners that do not exist yet (with `password`), each with
    /// the history their example describes; returns how many were added. Needs the example
    /// programmes and advisors.
    pub async fn seed_example_history(
        &self,
        accounts: &Accounts,
        password: &str,
    ) -> AppResult<usize> {
        let file: ExampleLearners = toml::from_str(EXAMPLE_LEARNERS)
            .map_err(|e| AppError::Internal(format!("data/advice/learners.toml: {e}")))?;
        let mut added = 0;
        for example in file.learner {
            let account = match accounts
                .create_user(
                    &example.email,
                    &example.name,
                    password,
                    RoleSet::new([Role::Learner]),
                )
                .await
            {
                Ok(a) => a,
                Err(AppError::EmailTaken) => continue,
                Err(e) => return Err(e),
            };
            let learner = Principal {
                user_id: account.user.id,
                email: example.email.clone(),
                roles: RoleSet::new([Role::Learner]),
            };
            self.financing
                .save_situation(&learner, &example.facts)
                .await?;
            self.register(&learner, &example.programme).await?;
            self.example_talks(&learner, &example).await?;
            added += 1;
        }
        Ok(added)
    }

    /// The example's talk in the past (held or missed) with its plan, comment and consent,
    /// and the talk to come.
    async fn example_talks(&self, learner: &Principal, example: &ExampleLearner) -> AppResult<()> {
        let Some(advisor_email) = &example.advisor else {
            return Ok(());
        };
        let advisor_user = self
            .users
            .user_by_email(advisor_email)
            .await?
            .ok_or(AppError::NotFound("example advisor"))?;
        let advisor = self
            .advisors
            .advisor(advisor_user.id)
            .await?
            .ok_or(AppError::NotFound("example advisor"))?;
        let slug = &example.programme;
        let mode = advisor
            .profile
            .modes
            .first()
            .copied()
            .ok_or(AppError::NotFound(
                "a way of meeting of the example advisor",
            ))?;
        let registration = self.placed(learner, slug).await?;
        let now = self.clock.now();
        if let Some(talk) = &example.talk {
            let slot = first_slot_from(&advisor, now - talk.days_ago * 86_400)
                .ok_or(AppError::NotFound("a past time of the example advisor"))?;
            let day = local_day_bounds(slot.starts_at)
                .ok_or_else(|| AppError::Internal("a time outside the calendar".to_owned()))?;
            let key = format!("example:{}:past", example.email);
            let booked = self
                .advisors
                .book(NewAppointment {
                    advisor_id: advisor.user_id,
                    registration_id: registration.id,
                    slot,
                    mode,
                    idempotency_key: &key,
                    replaces: None,
                    max_per_day: advisor.profile.max_per_day,
                    day,
                    at: slot.starts_at - 7 * 86_400,
                })
                .await?;
            self.advisors
                .set_appointment_status(booked.id, talk.outcome, slot.ends_at)
                .await?;
        }
        let today = today(self.clock.as_ref());
        for plan in &example.plan {
            let content = PlanContent {
                situation: plan.situation.clone(),
                goals: plan.goals.clone(),
                occupations: plan.occupations.clone(),
                training: Vec::new(),
                agreements: plan.agreements.clone(),
                follow_up: Some(today + time::Duration::days(plan.follow_up_days - plan.days_ago)),
            };
            self.plans
                .save_plan_version(
                    registration.id,
                    learner.user_id,
                    advisor.user_id,
                    &content,
                    now - plan.days_ago * 86_400,
                )
                .await?;
        }
        if let (Some(text), Some(first)) = (&example.comment, example.plan.first()) {
            self.plans
                .add_plan_comment(
                    registration.id,
                    &PlanComment {
                        version: 1,
                        author_id: learner.user_id,
                        text: text.clone(),
                        created_at: now - (first.days_ago - 1) * 86_400,
                    },
                )
                .await?;
        }
        if example.next_talk {
            let choices = self
                .advisors_for(learner, slug, &SlotFilter::default())
                .await?;
            let slot = choices
                .iter()
                .find(|c| c.advisor.user_id == advisor.user_id)
                .and_then(|c| c.slots.get(2))
                .ok_or(AppError::NotFound("a free time of the example advisor"))?;
            let next = self
                .book(
                    learner,
                    slug,
                    &BookingRequest {
                        advisor_id: advisor.user_id,
                        starts_at: slot.starts_at,
                        mode,
                        idempotency_key: format!("example:{}:next", example.email),
                        replaces: None,
                    },
                )
                .await?;
            if example.consent {
                self.set_consent(learner, slug, advisor.user_id, true)
                    .await?;
                let reader = Principal {
                    user_id: advisor.user_id,
                    email: advisor_email.clone(),
                    roles: RoleSet::new([Role::Advisor, Role::Learner]),
                };
                self.learner_profile(&reader, next.id, None).await?;
            }
        }
        Ok(())
    }
}

/// The advisor's first free time on or after `from` (within a week).
fn first_slot_from(
    advisor: &leerpad_domain::advice::ports::Advisor,
    from: leerpad_domain::UnixTime,
) -> Option<Slot> {
    free_slots(&advisor.profile, &advisor.availability, from, 7, &[])
        .into_iter()
        .next()
}
