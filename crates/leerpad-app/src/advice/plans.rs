//! The ontwikkelplan and consent: the advisor writes the plan; the learner owns it (every
//! version, comments, export, deletion) and decides whether the advisor may read their skills
//! profile. Every read of the profile by the advisor is in the audit log, which the learner can
//! read (`Accounts::access_log`).

use super::Advice;
use crate::error::{AppError, AppResult};
use leerpad_domain::accounts::audit::{AuditEntry, AuditEvent};
use leerpad_domain::advice::plan::{PlanComment, PlanContent, PlanVersion};
use leerpad_domain::advice::ports::{Appointment, AppointmentStatus, Registration};
use leerpad_domain::matching::LearnerProfile;
use leerpad_domain::policy::{Action, Principal};
use leerpad_domain::shared::UserId;

/// How long consent lasts unless withdrawn.
pub const CONSENT_DAYS: i64 = 90;

/// A plan as its owner sees it.
#[derive(Debug, Clone, Default)]
pub struct PlanView {
    /// Newest first.
    pub versions: Vec<PlanVersion>,
    pub comments: Vec<PlanComment>,
}

/// An advisor the learner can give consent to, and until when they have it.
#[derive(Debug, Clone)]
pub struct ConsentView {
    pub advisor_id: UserId,
    pub advisor: String,
    pub until: Option<leerpad_domain::UnixTime>,
}

impl Advice {
    /// The advisor's own appointment that a plan can be written for (planned or held).
    async fn advisors_appointment(&self, principal: &Principal, id: i64) -> AppResult<Appointment> {
        principal.authorize(Action::AdviseLearners)?;
        let (a, _) = self.appointment(principal, id).await?;
        if a.advisor_id != principal.user_id
            || !matches!(
                a.status,
                AppointmentStatus::Booked | AppointmentStatus::Done
            )
        {
            return Err(AppError::NotFound("appointment"));
        }
        Ok(a)
    }

    /// The advisor saves a new version of the plan of the appointment's learner.
    pub async fn write_plan(
        &self,
        principal: &Principal,
        appointment_id: i64,
        content: &PlanContent,
    ) -> AppResult<PlanVersion> {
        let a = self.advisors_appointment(principal, appointment_id).await?;
        let errors = content.validate();
        if !errors.is_empty() {
            return Err(AppError::InvalidFields(errors));
        }
        Ok(self
            .plans
            .save_plan_version(
                a.registration_id,
                a.learner_id,
                principal.user_id,
                content,
                self.clock.now(),
            )
            .await?)
    }

    /// The plan of an advisor's appointment.
    pub async fn plan_for_advisor(
        &self,
        principal: &Principal,
        appointment_id: i64,
    ) -> AppResult<PlanView> {
        let a = self.advisors_appointment(principal, appointment_id).await?;
        self.plan_of(a.registration_id).await
    }

    async fn plan_of(
        &self,
        registration: leerpad_domain::shared::RegistrationId,
    ) -> AppResult<PlanView> {
        Ok(PlanView {
            versions: self.plans.plan_versions(registration).await?,
            comments: self.plans.plan_comments(registration).await?,
        })
    }

    async fn own_registration(&self, principal: &Principal, slug: &str) -> AppResult<Registration> {
        self.my_registration(principal, slug)
            .await?
            .ok_or(AppError::NotFound("registration"))
    }

    /// The learner's plan: every version and the comments.
    pub async fn my_plan(&self, principal: &Principal, slug: &str) -> AppResult<PlanView> {
        let r = self.own_registration(principal, slug).await?;
        self.plan_of(r.id).await
    }

    /// The learner comments on a version of their plan.
    pub async fn comment_on_plan(
        &self,
        principal: &Principal,
        slug: &str,
        version: u32,
        text: &str,
    ) -> AppResult<()> {
        let r = self.own_registration(principal, slug).await?;
        let text = text.trim();
        if text.is_empty() || text.chars().count() > 2_000 {
            return Err(AppError::InvalidFields(vec![
                leerpad_domain::shared::FieldError::new("text", "1 to 2000 characters")
                    .coded("comment-length", vec![]),
            ]));
        }
        let versions = self.plans.plan_versions(r.id).await?;
        if !versions.iter().any(|v| v.version == version) {
            return Err(AppError::NotFound("plan version"));
        }
        self.plans
            .add_plan_comment(
                r.id,
                &PlanComment {
                    version,
                    author_id: principal.user_id,
                    text: text.to_owned(),
                    created_at: self.clock.now(),
                },
            )
            .await?;
        Ok(())
    }

    /// The learner deletes their plan (every version and comment).
    pub async fn delete_my_plan(&self, principal: &Principal, slug: &str) -> AppResult<u64> {
        let r = self.own_registration(principal, slug).await?;
        Ok(self.plans.delete_plan(r.id).await?)
    }

    /// The advisors of the learner's appointments, with the consent each has.
    pub async fn consents(&self, principal: &Principal, slug: &str) -> AppResult<Vec<ConsentView>> {
        let now = self.clock.now();
        let mut out: Vec<ConsentView> = Vec::new();
        for a in self.my_appointments(principal, slug).await? {
            if out.iter().any(|c| c.advisor_id == a.advisor_id) {
                continue;
            }
            let name = self
                .advisors
                .advisor(a.advisor_id)
                .await?
                .map(|x| x.profile.name)
                .unwrap_or_default();
            let until = self
                .plans
                .consent_until(principal.user_id, a.advisor_id)
                .await?
                .filter(|t| *t > now);
            out.push(ConsentView {
                advisor_id: a.advisor_id,
                advisor: name,
                until,
            });
        }
        Ok(out)
    }

    /// The learner gives (for [`CONSENT_DAYS`]) or withdraws an advisor's consent to read
    /// their skills profile; only an advisor of one of their appointments.
    pub async fn set_consent(
        &self,
        principal: &Principal,
        slug: &str,
        advisor_id: UserId,
        give: bool,
    ) -> AppResult<()> {
        let theirs = self.consents(principal, slug).await?;
        if !theirs.iter().any(|c| c.advisor_id == advisor_id) {
            return Err(AppError::NotFound("advisor"));
        }
        let now = self.clock.now();
        let until = give.then_some(now + CONSENT_DAYS * 86_400);
        self.plans
            .set_consent(principal.user_id, advisor_id, until, now)
            .await?;
        if let Some(until) = until {
            let job = super::ConsentJob {
                learner: principal.user_id,
                advisor: advisor_id,
                until,
                programme: slug.to_owned(),
            };
            let key = format!(
                "{}:{}:{}:{until}",
                super::CONSENT_JOB,
                principal.user_id,
                advisor_id
            );
            self.plan(super::CONSENT_JOB, &key, &job, until).await?;
        }
        Ok(())
    }

    /// The consent-expiry job's work: the consent ends at its term (unless it was renewed or
    /// withdrawn meanwhile) and the learner is told.
    pub async fn end_consent(&self, key: &str, job: &super::ConsentJob) -> AppResult<()> {
        let current = self.plans.consent_until(job.learner, job.advisor).await?;
        if current != Some(job.until) {
            return Ok(());
        }
        self.plans
            .set_consent(job.learner, job.advisor, None, self.clock.now())
            .await?;
        let advisor = self
            .advisors
            .advisor(job.advisor)
            .await?
            .map(|x| x.profile.name)
            .unwrap_or_default();
        let message = leerpad_domain::mail::Message::ConsentEnded {
            programme: job.programme.clone(),
            advisor,
        };
        self.tell(key, job.learner, &message).await
    }

    /// The advisor reads the learner's skills profile: only with the learner's consent, and
    /// every read is logged for the learner to see.
    pub async fn learner_profile(
        &self,
        principal: &Principal,
        appointment_id: i64,
        ip: Option<&str>,
    ) -> AppResult<LearnerProfile> {
        let a = self.advisors_appointment(principal, appointment_id).await?;
        let now = self.clock.now();
        let allowed = self
            .plans
            .consent_until(a.learner_id, principal.user_id)
            .await?
            .is_some_and(|until| until > now);
        if !allowed {
            return Err(AppError::Conflict(
                "the learner has not given consent to read their profile".to_owned(),
            ));
        }
        self.audit
            .append_audit(&AuditEntry {
                at: now,
                event: AuditEvent::PersonalDataAccessed,
                actor_user_id: Some(principal.user_id),
                subject_user_id: Some(a.learner_id),
                ip: ip.map(str::to_owned),
                detail: serde_json::json!({ "what": "skills_profile", "appointment": a.id }),
            })
            .await?;
        Ok(self
            .profiles
            .profile(a.learner_id)
            .await?
            .map(|p| p.profile)
            .unwrap_or_default())
    }
}
