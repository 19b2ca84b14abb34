//! Complaints: a learner complains about a course they enrolled in, its provider answers, and
//! programme managers read them all (a course with several is a signal).

use super::*;
use leerpad_domain::quality::{COMPLAINTS_SIGNAL_AT, Complaint, validate_complaint};

/// Most complaints a list shows.
const LIST_LIMIT: u32 = 500;

/// A complaint with the course's title, for lists.
#[derive(Debug, Clone)]
pub struct ComplaintView {
    pub complaint: Complaint,
    pub title: String,
}

impl Quality {
    /// A learner's complaint about one of their own enrolments. The provider sees it on its
    /// quality page; programme managers see every complaint.
    pub async fn complain(
        &self,
        principal: &Principal,
        enrolment: i64,
        subject: &str,
        text: &str,
    ) -> AppResult<i64> {
        principal.authorize(Action::ManageOwnAccount)?;
        let e = self
            .ports
            .enrolments
            .enrolment(enrolment)
            .await?
            .filter(|e| e.learner == principal.user_id)
            .ok_or(AppError::NotFound("enrolment"))?;
        let errors = validate_complaint(Some(subject), text);
        if !errors.is_empty() {
            return Err(AppError::InvalidFields(errors));
        }
        let complaint = Complaint {
            id: 0,
            enrolment,
            learner: Some(principal.user_id),
            offer: e.offer,
            provider: e.provider,
            subject: subject.trim().to_owned(),
            text: text.trim().to_owned(),
            at: self.clock.now(),
            answer: None,
            answered_at: None,
        };
        let id = self.ports.quality.add_complaint(&complaint).await?;
        Ok(id)
    }

    /// The enrolment a learner may complain about, with the course's title.
    pub async fn complaint_subject(
        &self,
        principal: &Principal,
        enrolment: i64,
    ) -> AppResult<String> {
        principal.authorize(Action::ManageOwnAccount)?;
        let e = self
            .ports
            .enrolments
            .enrolment(enrolment)
            .await?
            .filter(|e| e.learner == principal.user_id)
            .ok_or(AppError::NotFound("enrolment"))?;
        Ok(self
            .ports
            .catalogue
            .offer(e.offer.get())
            .await?
            .map(|o| o.content.title.get("nl").to_owned())
            .unwrap_or_default())
    }

    async fn with_titles(&self, list: Vec<Complaint>) -> AppResult<Vec<ComplaintView>> {
        let mut ids: Vec<OfferId> = list.iter().map(|c| c.offer).collect();
        ids.sort_unstable();
        ids.dedup();
        let offers = self.ports.catalogue.offers_by_ids(&ids).await?;
        Ok(list
            .into_iter()
            .map(|c| ComplaintView {
                title: offers
                    .iter()
                    .find(|o| o.id == c.offer)
                    .map(|o| o.content.title.get("nl").to_owned())
                    .unwrap_or_default(),
                complaint: c,
            })
            .collect())
    }

    /// The learner's own complaints, newest first, with the providers' answers.
    pub async fn my_own_complaints(&self, principal: &Principal) -> AppResult<Vec<ComplaintView>> {
        principal.authorize(Action::ManageOwnAccount)?;
        let list = self
            .ports
            .quality
            .complaints_of_learner(principal.user_id, LIST_LIMIT)
            .await?;
        self.with_titles(list).await
    }

    /// Complaints about the provider's own courses, newest first.
    pub async fn my_complaints(&self, principal: &Principal) -> AppResult<Vec<ComplaintView>> {
        principal.authorize(Action::ManageOwnOffers)?;
        let Some(provider) = self
            .ports
            .catalogue
            .provider_of_user(principal.user_id)
            .await?
        else {
            return Ok(Vec::new());
        };
        let list = self
            .ports
            .quality
            .complaints(Some(provider.id), LIST_LIMIT)
            .await?;
        self.with_titles(list).await
    }

    /// Every complaint, newest first, and the courses with at least
    /// [`COMPLAINTS_SIGNAL_AT`] of them (programme managers).
    pub async fn all_complaints(
        &self,
        principal: &Principal,
    ) -> AppResult<(Vec<ComplaintView>, Vec<(String, u32)>)> {
        principal.authorize(Action::ManageProgrammes)?;
        let list = self.ports.quality.complaints(None, LIST_LIMIT).await?;
        let views = self.with_titles(list).await?;
        let mut counts: std::collections::BTreeMap<&str, u32> = Default::default();
        for v in &views {
            *counts.entry(v.title.as_str()).or_default() += 1;
        }
        let signals = counts
            .into_iter()
            .filter(|(_, n)| *n >= COMPLAINTS_SIGNAL_AT)
            .map(|(t, n)| (t.to_owned(), n))
            .collect();
        Ok((views, signals))
    }

    /// The provider answers a complaint about one of its courses.
    pub async fn answer_complaint(
        &self,
        principal: &Principal,
        id: i64,
        answer: &str,
    ) -> AppResult<()> {
        let provider =
            crate::catalogue::own_provider_in(self.ports.catalogue.as_ref(), principal).await?;
        let complaint = self
            .ports
            .quality
            .complaint(id)
            .await?
            .filter(|c| c.provider == provider.id)
            .ok_or(AppError::NotFound("complaint"))?;
        let errors = validate_complaint(None, answer);
        if !errors.is_empty() {
            return Err(AppError::InvalidFields(errors));
        }
        let now = self.clock.now();
        self.ports
            .quality
            .answer_complaint(id, answer.trim(), Some(principal.user_id), now)
            .await?;
        // The learner hears that an answer is there (once per answer).
        if let Some(learner) = complaint.learner
            && let Some(user) = self.ports.users.user_by_id(learner.get()).await?
        {
            let title = self
                .ports
                .catalogue
                .offer(complaint.offer.get())
                .await?
                .map(|o| o.content.title.get(&user.locale).to_owned())
                .unwrap_or_default();
            self.ports
                .outbox
                .enqueue_message(NewMessage {
                    key: &format!("complaint-answered:{id}:{now}"),
                    user_id: learner,
                    to: &user.email,
                    lang: &user.locale,
                    message: &Message::ComplaintAnswered { title },
                    at: now,
                })
                .await?;
        }
        Ok(())
    }
}
