//! Example ratings and complaints for `serve --demo` (invented, marked as examples): twelve
//! example participants completed three courses of the demo catalogue some eight months ago;
//! one course is rated well (with outcome answers), one about average, and one so low that it
//! is flagged for programme managers, with complaints, one of them answered.

use super::*;
use crate::accounts::Accounts;
use leerpad_domain::catalogue::model::{Offer, OfferStatus};
use leerpad_domain::enrolment::ports::{EnrolmentChange, NewEnrolment};
use leerpad_domain::quality::Complaint;
use leerpad_domain::role::{Role, RoleSet};
use leerpad_domain::shared::{Date, UserId};
use time::Duration;

/// How many example participants answer.
const PARTICIPANTS: usize = 12;

/// Per course: the end-of-course ratings given, in order of the participants.
const RATINGS: [&[u8]; 3] = [
    &[5, 4, 5, 5, 4, 4, 5, 3, 5, 4, 5, 4],
    &[4, 3, 3, 4, 2, 4, 3, 4],
    &[2, 1, 3, 2, 2, 1, 3, 2, 2, 3, 2],
];

const COMMENTS: [&str; 4] = [
    "Duidelijke uitleg en veel oefenen in de praktijk.",
    "Goed, maar het tempo lag soms hoog.",
    "Lessen vielen uit en we hoorden niet waarom.",
    "",
];

impl Quality {
    /// Write the example ratings and complaints (the demo catalogue must be loaded); returns
    /// how many answers were written, 0 when examples exist already.
    pub async fn seed_examples(&self, accounts: &Accounts, password: &str) -> AppResult<usize> {
        if !self.ports.quality.rated_offers(1).await?.is_empty() {
            return Ok(0);
        }
        // Three published courses with a run, each from another provider.
        let mut picked: Vec<Offer> = Vec::new();
        for (offer, _) in self.ports.catalogue.offers_changed_after(0, 3_000).await? {
            if offer.content.status == OfferStatus::Published
                && !offer.content.runs.is_empty()
                && !picked.iter().any(|p| p.provider_id == offer.provider_id)
            {
                picked.push(offer);
            }
            if picked.len() == RATINGS.len() {
                break;
            }
        }
        if picked.len() < RATINGS.len() {
            return Ok(0);
        }
        let mut people: Vec<UserId> = Vec::new();
        for n in 1..=PARTICIPANTS {
            let email = format!("deelnemer{n}@voorbeeld.leerpad.nl");
            let id = match accounts
                .create_user(
                    &email,
                    &format!("Voorbeelddeelnemer {n}"),
                    password,
                    RoleSet::new([Role::Learner]),
                )
                .await
            {
                Ok(a) => a.user.id,
                Err(AppError::EmailTaken) => match self.ports.users.user_by_email(&email).await? {
                    Some(u) => u.id,
                    None => continue,
                },
                Err(e) => return Err(e),
            };
            people.push(id);
        }
        let now = self.clock.now();
        let today = local_day(now).ok_or_else(|| AppError::Internal("today".into()))?;
        let (starts, ends) = (today - Duration::days(260), today - Duration::days(230));
        let at = |d: Date| now - (today - d).whole_seconds();
        let mut written = 0;
        for (course, (offer, ratings)) in picked.iter().zip(RATINGS).enumerate() {
            let run = offer.content.runs[0].id.clone();
            for (i, (learner, rating)) in people.iter().zip(ratings.iter()).enumerate() {
                let e = self
                    .ports
                    .enrolments
                    .request_enrolment(
                        NewEnrolment {
                            learner: *learner,
                            offer: offer.id,
                            provider: offer.provider_id,
                            run: &run,
                            deadline: starts,
                            at: at(starts - Duration::days(30)),
                        },
                        usize::MAX,
                    )
                    .await?;
                self.ports
                    .enrolments
                    .change_enrolment(EnrolmentChange {
                        id: e.id,
                        version: e.version,
                        status: EnrolmentStatus::Completed,
                        deadline: None,
                        price: Some(offer.content.gross_price_cents()),
                        starts_on: Some(starts),
                        ends_on: Some(ends),
                        confirmed_on: Some(starts - Duration::days(20)),
                        hold: None,
                        note: None,
                        at: at(ends),
                    })
                    .await?;
                let comment = COMMENTS[match *rating {
                    5 | 4 => 0,
                    3 => 1,
                    _ => 2,
                }]
                .to_owned();
                let base = SurveyAnswer {
                    enrolment: e.id,
                    kind: SurveyKind::End,
                    offer: offer.id,
                    provider: offer.provider_id,
                    learner: *learner,
                    rating: Some(*rating),
                    recommend: Some(*rating >= 4),
                    working: None,
                    using_skills: None,
                    comment: if i % 3 == 0 {
                        comment
                    } else {
                        COMMENTS[3].into()
                    },
                };
                self.ports
                    .quality
                    .save_answer(&base, at(ends + Duration::days(2)))
                    .await?;
                written += 1;
                // Six months on, the well-rated course's participants say what came of it.
                if course == 0 && i < 8 {
                    let outcome = SurveyAnswer {
                        kind: SurveyKind::Outcome,
                        rating: None,
                        recommend: None,
                        working: Some(i != 3),
                        using_skills: Some(i % 4 != 1),
                        comment: String::new(),
                        ..base
                    };
                    self.ports
                        .quality
                        .save_answer(&outcome, at(ends + Duration::days(190)))
                        .await?;
                    written += 1;
                }
                // The low-rated course draws complaints; the provider answered the first.
                if course == 2 && i < 3 {
                    let id = self
                        .ports
                        .quality
                        .add_complaint(&Complaint {
                            id: 0,
                            enrolment: e.id,
                            learner: Some(*learner),
                            offer: offer.id,
                            provider: offer.provider_id,
                            subject: "Lessen vielen uit (voorbeeld)".into(),
                            text: "Drie van de acht lessen gingen niet door. We kregen geen bericht en geen nieuwe datum.".into(),
                            at: at(ends - Duration::days(5 - i as i64)),
                            answer: None,
                            answered_at: None,
                        })
                        .await?;
                    if i == 0 {
                        self.ports
                            .quality
                            .answer_complaint(
                                id,
                                "Excuses. De docent was ziek; we halen de lessen in en sturen voortaan altijd bericht.",
                                None,
                                at(ends),
                            )
                            .await?;
                    }
                }
            }
        }
        Ok(written)
    }
}
