//! The example conversations `serve --demo` starts with (`data/chat/examples.toml`): between
//! the example learners and advisors, dated in the past, and one advisor on duty.

use super::Chat;
use crate::error::{AppError, AppResult};
use leerpad_domain::advice::ports::AppointmentStatus;
use leerpad_domain::chat::ports::{NewChatMessage, NewConversation};
use leerpad_domain::shared::UserId;
use serde::Deserialize;

/// The example conversations.
pub const EXAMPLE_CONVERSATIONS: &str = include_str!("../../../../data/chat/examples.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleFile {
    /// The advisor on duty for questions (for a year).
    on_duty: String,
    conversation: Vec<ExampleConversation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleConversation {
    learner: String,
    advisor: String,
    #[serde(default)]
    about_appointment: bool,
    #[serde(default)]
    subject: String,
    days_ago: i64,
    #[serde(default)]
    closed: bool,
    rating: Option<u8>,
    /// (who: learner or advisor, text)
    messages: Vec<(String, String)>,
}

impl Chat {
    async fn user_by_email(&self, email: &str) -> AppResult<UserId> {
        Ok(self
            .ports
            .users
            .user_by_email(email)
            .await?
            .ok_or(AppError::NotFound("example account"))?
            .id)
    }

    /// Store the example conversations whose learner has none yet; returns how many were
    /// added. Needs the example learners and advisors.
    pub async fn seed_examples(&self) -> AppResult<usize> {
        let file: ExampleFile = toml::from_str(EXAMPLE_CONVERSATIONS)
            .map_err(|e| AppError::Internal(format!("data/chat/examples.toml: {e}")))?;
        let now = self.clock.now();
        let mut added = 0;
        for example in &file.conversation {
            let learner = self.user_by_email(&example.learner).await?;
            let advisor = self.user_by_email(&example.advisor).await?;
            if !self.ports.chats.conversations_of(learner).await?.is_empty() {
                continue;
            }
            let appointment = if example.about_appointment {
                self.ports
                    .appointments
                    .appointments_of_advisor(advisor, now - 365 * 86_400)
                    .await?
                    .into_iter()
                    .filter(|a| a.learner_id == learner && a.status == AppointmentStatus::Booked)
                    .map(|a| a.id)
                    .next_back()
            } else {
                None
            };
            let at = now - example.days_ago * 86_400;
            let subject = match (&example.subject, appointment) {
                (s, _) if !s.is_empty() => s.clone(),
                (_, Some(a)) => format!("ontwikkeladvies {a}"),
                _ => "Vraag".to_owned(),
            };
            let c = self
                .ports
                .chats
                .start_conversation(NewConversation {
                    learner_id: learner,
                    programme_id: None,
                    appointment,
                    advisor: Some(advisor),
                    subject: &subject,
                    after_hours: false,
                    at,
                })
                .await?;
            for (i, (who, text)) in example.messages.iter().enumerate() {
                let author = if who == "advisor" { advisor } else { learner };
                self.ports
                    .chats
                    .add_message(NewChatMessage {
                        conversation_id: c.id,
                        author_id: Some(author),
                        body: text,
                        client_key: None,
                        at: at + 180 * i64::try_from(i).unwrap_or(0),
                    })
                    .await?;
            }
            if example.closed {
                self.ports
                    .chats
                    .close_conversation(c.id, at + 3_600)
                    .await?;
                if let Some(r) = example.rating {
                    self.ports.chats.rate_conversation(c.id, r).await?;
                }
            }
            added += 1;
        }
        let on_duty = self.user_by_email(&file.on_duty).await?;
        self.on_duty(on_duty, now + 365 * 86_400).await?;
        Ok(added)
    }
}
