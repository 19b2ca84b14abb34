//! The quality loop (`leerpad_domain::quality`, the rules): survey invitations through the
//! outbox from durable jobs planned when a course is completed, the learner's answers, ratings
//! per offer (published once enough answers exist), and the offers flagged or suspended for
//! programme managers and their providers.

use crate::error::{AppError, AppResult};
use leerpad_domain::accounts::ports::UserStore;
use leerpad_domain::advice::advisors::local_day;
use leerpad_domain::catalogue::ports::CatalogueStore;
use leerpad_domain::clock::Clock;
use leerpad_domain::enrolment::ports::EnrolmentStore;
use leerpad_domain::enrolment::{Enrolment, EnrolmentStatus};
use leerpad_domain::mail::Message;
use leerpad_domain::mail::ports::{NewMessage, OutboxStore};
use leerpad_domain::policy::{Action, Principal};
use leerpad_domain::quality::ports::QualityStore;
use leerpad_domain::quality::{
    OUTCOME_SURVEY_DAYS, PUBLISH_AT, Rating, Standing, SurveyAnswer, SurveyKind, validate,
};
use leerpad_domain::shared::OfferId;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

mod complaints;
mod examples;
pub use complaints::ComplaintView;

/// The kind of job that sends a survey invitation.
pub const SURVEY_JOB: &str = "survey-invitation";

/// A survey job's input.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SurveyJob {
    pub enrolment: i64,
    pub kind: SurveyKind,
}

/// The ports the quality loop uses.
pub struct QualityPorts {
    pub quality: Arc<dyn QualityStore>,
    pub enrolments: Arc<dyn EnrolmentStore>,
    pub catalogue: Arc<dyn CatalogueStore>,
    pub users: Arc<dyn UserStore>,
    pub outbox: Arc<dyn OutboxStore>,
}

pub struct Quality {
    ports: QualityPorts,
    clock: Arc<dyn Clock>,
}

/// An offer's rating with where it stands, for lists.
#[derive(Debug, Clone)]
pub struct RatedOffer {
    pub offer: OfferId,
    pub title: String,
    /// The offer's provider (none when the offer is gone).
    pub provider: Option<leerpad_domain::shared::ProviderId>,
    pub rating: Rating,
    pub standing: Standing,
}

impl Quality {
    pub fn new(ports: QualityPorts, clock: Arc<dyn Clock>) -> Quality {
        Quality { ports, clock }
    }

    /// The survey a learner may answer now: their completed enrolment, not answered yet (the
    /// outcome survey from six months after the course's end). Returns the course's title.
    pub async fn survey(
        &self,
        principal: &Principal,
        enrolment: i64,
        kind: SurveyKind,
    ) -> AppResult<(Enrolment, String)> {
        principal.authorize(Action::ManageOwnAccount)?;
        let e = self
            .ports
            .enrolments
            .enrolment(enrolment)
            .await?
            .filter(|e| e.learner == principal.user_id)
            .ok_or(AppError::NotFound("enrolment"))?;
        if e.status != EnrolmentStatus::Completed {
            return Err(AppError::Conflict(
                "the survey is for courses you completed".into(),
            ));
        }
        if kind == SurveyKind::Outcome {
            let today =
                local_day(self.clock.now()).ok_or_else(|| AppError::Internal("today".into()))?;
            let from = e
                .ends_on
                .map(|d| d + time::Duration::days(OUTCOME_SURVEY_DAYS));
            if from.is_some_and(|d| today < d) {
                return Err(AppError::Conflict(
                    "this survey opens six months after the course".into(),
                ));
            }
        }
        if self.ports.quality.answered(enrolment, kind).await? {
            return Err(AppError::Conflict(
                "you answered this survey already".into(),
            ));
        }
        let title = self
            .ports
            .catalogue
            .offer(e.offer.get())
            .await?
            .map(|o| o.content.title.get("nl").to_owned())
            .unwrap_or_default();
        Ok((e, title))
    }

    /// Keep the learner's answers (once per survey).
    pub async fn answer(&self, principal: &Principal, mut answer: SurveyAnswer) -> AppResult<()> {
        let (e, _) = self
            .survey(principal, answer.enrolment, answer.kind)
            .await?;
        answer.offer = e.offer;
        answer.provider = e.provider;
        answer.learner = principal.user_id;
        let errors = validate(&answer);
        if !errors.is_empty() {
            return Err(AppError::InvalidFields(errors));
        }
        let before = self.ports.quality.rating_of(answer.offer).await?.standing();
        self.ports
            .quality
            .save_answer(&answer, self.clock.now())
            .await?;
        let after = self.ports.quality.rating_of(answer.offer).await?;
        if after.standing() != before
            && matches!(after.standing(), Standing::Flagged | Standing::Suspended)
        {
            self.tell_provider(answer.offer, &after).await?;
        }
        Ok(())
    }

    /// Tell everyone who acts for the course's provider that its ratings flagged or suspended
    /// it, with the average and the rule (once per course and standing).
    async fn tell_provider(&self, offer: OfferId, rating: &Rating) -> AppResult<()> {
        let Some(o) = self.ports.catalogue.offer(offer.get()).await? else {
            return Ok(());
        };
        let suspended = rating.standing() == Standing::Suspended;
        for member in self.ports.catalogue.provider_members(o.provider_id).await? {
            let Some(user) = self.ports.users.user_by_id(member.get()).await? else {
                continue;
            };
            let message = Message::OfferStanding {
                title: o.content.title.get(&user.locale).to_owned(),
                suspended,
                average_tenths: rating.average_tenths().unwrap_or(0),
                answers: rating.answers(),
            };
            self.ports
                .outbox
                .enqueue_message(NewMessage {
                    key: &format!(
                        "offer-standing:{offer}:{}:{member}",
                        if suspended { "suspended" } else { "flagged" }
                    ),
                    user_id: member,
                    to: &user.email,
                    lang: &user.locale,
                    message: &message,
                    at: self.clock.now(),
                })
                .await?;
        }
        Ok(())
    }

    /// An offer's rating (public; the page shows it once it is published).
    pub async fn rating_of(&self, offer: OfferId) -> AppResult<Rating> {
        Ok(self.ports.quality.rating_of(offer).await?)
    }

    /// A provider's rating over all its courses (public; published from the same number of
    /// answers as a course's).
    pub async fn rating_of_provider(
        &self,
        provider: leerpad_domain::shared::ProviderId,
    ) -> AppResult<Rating> {
        Ok(self.ports.quality.rating_of_provider(provider).await?)
    }

    /// Every offer with a published rating, with its title and provider (one catalogue read).
    async fn rated(&self) -> AppResult<Vec<RatedOffer>> {
        let rated = self.ports.quality.rated_offers(PUBLISH_AT).await?;
        let ids: Vec<OfferId> = rated.iter().map(|(o, _)| *o).collect();
        let offers = self.ports.catalogue.offers_by_ids(&ids).await?;
        Ok(rated
            .into_iter()
            .map(|(offer, rating)| {
                let found = offers.iter().find(|o| o.id == offer);
                RatedOffer {
                    offer,
                    title: found
                        .map(|o| o.content.title.get("nl").to_owned())
                        .unwrap_or_default(),
                    provider: found.map(|o| o.provider_id),
                    standing: rating.standing(),
                    rating,
                }
            })
            .collect())
    }

    /// Offers flagged or suspended by their ratings (programme managers).
    pub async fn attention(&self, principal: &Principal) -> AppResult<Vec<RatedOffer>> {
        principal.authorize(Action::ManageProgrammes)?;
        Ok(self
            .rated()
            .await?
            .into_iter()
            .filter(|r| matches!(r.standing, Standing::Flagged | Standing::Suspended))
            .collect())
    }

    /// The provider's own rated offers, so it knows where it stands and why.
    pub async fn my_ratings(&self, principal: &Principal) -> AppResult<Vec<RatedOffer>> {
        principal.authorize(Action::ManageOwnOffers)?;
        let Some(provider) = self
            .ports
            .catalogue
            .provider_of_user(principal.user_id)
            .await?
        else {
            return Ok(Vec::new());
        };
        Ok(self
            .rated()
            .await?
            .into_iter()
            .filter(|r| r.provider == Some(provider.id))
            .collect())
    }

    /// The survey job: invite the learner, once per job key (a completed enrolment only).
    pub async fn invite(&self, key: &str, job: &SurveyJob) -> AppResult<()> {
        let Some(e) = self.ports.enrolments.enrolment(job.enrolment).await? else {
            return Ok(());
        };
        if e.status != EnrolmentStatus::Completed
            || self.ports.quality.answered(e.id, job.kind).await?
        {
            return Ok(());
        }
        let Some(user) = self.ports.users.user_by_id(e.learner.get()).await? else {
            return Ok(());
        };
        let title = self
            .ports
            .catalogue
            .offer(e.offer.get())
            .await?
            .map(|o| o.content.title.get(&user.locale).to_owned())
            .unwrap_or_default();
        let message = Message::SurveyInvitation {
            enrolment: e.id,
            outcome: job.kind == SurveyKind::Outcome,
            title,
        };
        self.ports
            .outbox
            .enqueue_message(NewMessage {
                key,
                user_id: e.learner,
                to: &user.email,
                lang: &user.locale,
                message: &message,
                at: self.clock.now(),
            })
            .await?;
        Ok(())
    }
}
