//! Chat with a career advisor: a learner asks a question (routed to the least busy advisor on
//! duty, or waiting in a first-in-first-out queue with their position shown), or talks with the
//! advisor of their booked ontwikkeladvies. Only the two participants read a conversation; an
//! advisor's reading is in the learner's access log. Every message is stored before anyone is
//! told of it (through the [`ChatBus`]); clients catch up with "after id N".

mod examples;

use crate::error::{AppError, AppResult};
use leerpad_domain::accounts::ports::{AuditStore, UserStore};
use leerpad_domain::advice::ports::{AdviceStore, AdvisorStore, ProgrammeStatus};
use leerpad_domain::chat::ports::{
    ChatBus, ChatSignal, ChatStore, ChatSubscription, Duty, NewChatMessage, NewConversation,
};
use leerpad_domain::chat::{
    ChatMessage, Conversation, ConversationStatus, DEFAULT_ADVISOR_LIMIT, OfficeHours, answers,
    message_body,
};
use leerpad_domain::clock::Clock;
use leerpad_domain::mail::Message;
use leerpad_domain::mail::ports::{NewMessage, OutboxStore};
use leerpad_domain::policy::{Action, Principal};
use leerpad_domain::shared::{FieldError, ProgrammeId, UserId};
use leerpad_domain::{AuditEntry, AuditEvent};
use std::sync::Arc;

/// The most messages one view shows (a long conversation is read from its end).
const MAX_MESSAGES: u32 = 1_000;
/// The longest subject, in characters.
const MAX_SUBJECT: usize = 120;
/// The largest WebRTC signalling message, in bytes.
pub const MAX_RTC_BYTES: usize = 12_000;

/// The ports chat uses.
pub struct ChatPorts {
    pub chats: Arc<dyn ChatStore>,
    pub bus: Arc<dyn ChatBus>,
    pub users: Arc<dyn UserStore>,
    pub appointments: Arc<dyn AdvisorStore>,
    /// To find the programme a question is about.
    pub programmes: Arc<dyn AdviceStore>,
    pub audit: Arc<dyn AuditStore>,
    pub outbox: Arc<dyn OutboxStore>,
}

/// A question to an advisor.
#[derive(Debug, Clone, Copy)]
pub struct Question<'a> {
    pub subject: &'a str,
    pub first: &'a str,
    /// The programme's slug, when the question is about one.
    pub programme: Option<&'a str>,
}

/// How chat is run.
#[derive(Debug, Clone)]
pub struct ChatConfig {
    pub office_hours: OfficeHours,
    /// Conversations an advisor has open at once.
    pub advisor_limit: u32,
    /// How long "on duty" lasts; the advisor's inbox renews it while open.
    pub duty_secs: i64,
}

impl Default for ChatConfig {
    fn default() -> Self {
        ChatConfig {
            office_hours: OfficeHours::default(),
            advisor_limit: DEFAULT_ADVISOR_LIMIT,
            duty_secs: 15 * 60,
        }
    }
}

/// A conversation as a participant sees it.
#[derive(Debug, Clone)]
pub struct ConversationView {
    pub conversation: Conversation,
    pub messages: Vec<ChatMessage>,
    /// The learner's and the advisor's display names.
    pub learner_name: String,
    pub advisor_name: Option<String>,
    /// Place in the queue (1 = next), while waiting.
    pub queue_position: Option<usize>,
    /// How far the other participant has read.
    pub other_read_up_to: i64,
}

/// An advisor's inbox.
#[derive(Debug, Clone)]
pub struct Inbox {
    pub on_duty_until: Option<i64>,
    pub waiting: Vec<Conversation>,
    pub open: Vec<Conversation>,
    pub closed: Vec<Conversation>,
}

pub struct Chat {
    ports: ChatPorts,
    clock: Arc<dyn Clock>,
    config: ChatConfig,
}

impl Chat {
    pub fn new(ports: ChatPorts, clock: Arc<dyn Clock>, config: ChatConfig) -> Chat {
        Chat {
            ports,
            clock,
            config,
        }
    }

    pub fn config(&self) -> &ChatConfig {
        &self.config
    }

    /// Signals from every server, for a live connection.
    pub fn subscribe(&self) -> Box<dyn ChatSubscription> {
        self.ports.bus.subscribe()
    }

    async fn publish(&self, signal: ChatSignal) {
        // Telling is best effort: what is stored is found by the next read or resync.
        if let Err(e) = self.ports.bus.publish(&signal).await {
            tracing::warn!(error = %e, "chat signal not published");
        }
    }

    /// Whether advisors answer now.
    pub fn office_open(&self) -> bool {
        self.config.office_hours.open_at(self.clock.now())
    }

    /// "Stel je vraag aan een adviseur": start a conversation with its first message, about a
    /// programme (its slug: answered by that programme's advisors) or general (`None`).
    pub async fn ask(
        &self,
        principal: &Principal,
        question: Question<'_>,
        client_key: Option<&str>,
    ) -> AppResult<Conversation> {
        principal.authorize(Action::ManageOwnAccount)?;
        let Question {
            subject,
            first,
            programme,
        } = question;
        let body = message_body(first).map_err(|e| AppError::InvalidFields(vec![e]))?;
        let programme_id = match programme.filter(|p| !p.is_empty()) {
            None => None,
            Some(slug) => Some(
                self.ports
                    .programmes
                    .programme(slug)
                    .await?
                    .filter(|p| p.status == ProgrammeStatus::Published)
                    .ok_or_else(|| {
                        AppError::InvalidFields(vec![
                            FieldError::new("programme", format!("no programme '{slug}'"))
                                .coded("unknown-programme", vec![]),
                        ])
                    })?
                    .id,
            ),
        };
        let subject = match subject.trim() {
            "" => body.chars().take(60).collect::<String>(),
            s if s.chars().count() > MAX_SUBJECT => {
                return Err(AppError::InvalidFields(vec![
                    FieldError::new("subject", format!("at most {MAX_SUBJECT} characters"))
                        .coded("too-long", vec![("max", MAX_SUBJECT.to_string())]),
                ]));
            }
            s => s.to_owned(),
        };
        let now = self.clock.now();
        let conversation = self
            .ports
            .chats
            .start_conversation(NewConversation {
                learner_id: principal.user_id,
                programme_id,
                appointment: None,
                advisor: None,
                subject: &subject,
                after_hours: !self.config.office_hours.open_at(now),
                at: now,
            })
            .await?;
        self.ports
            .chats
            .add_message(NewChatMessage {
                conversation_id: conversation.id,
                author_id: Some(principal.user_id),
                body: &body,
                client_key,
                at: now,
            })
            .await?;
        self.publish(ChatSignal::Changed { c: conversation.id })
            .await;
        self.publish(ChatSignal::Queue).await;
        Ok(conversation)
    }

    /// The conversation about a booked appointment (started once), for its learner or advisor.
    pub async fn about_appointment(
        &self,
        principal: &Principal,
        appointment_id: i64,
    ) -> AppResult<Conversation> {
        let a = self
            .ports
            .appointments
            .appointment(appointment_id)
            .await?
            .filter(|a| a.learner_id == principal.user_id || a.advisor_id == principal.user_id)
            .ok_or(AppError::NotFound("appointment"))?;
        let subject = format!("ontwikkeladvies {}", a.id);
        Ok(self
            .ports
            .chats
            .start_conversation(NewConversation {
                learner_id: a.learner_id,
                programme_id: None,
                appointment: Some(a.id),
                advisor: Some(a.advisor_id),
                subject: &subject,
                after_hours: false,
                at: self.clock.now(),
            })
            .await?)
    }

    /// A conversation the person takes part in (for anyone else it does not exist).
    async fn participating(&self, principal: &Principal, id: i64) -> AppResult<Conversation> {
        self.ports
            .chats
            .conversation(id)
            .await?
            .filter(|c| c.is_participant(principal.user_id))
            .ok_or(AppError::NotFound("conversation"))
    }

    async fn name_of(&self, user: UserId) -> AppResult<String> {
        Ok(self
            .ports
            .users
            .user_by_id(user.get())
            .await?
            .map(|u| u.display_name)
            .unwrap_or_default())
    }

    /// Where a waiting conversation is in the queue (1 = next).
    pub async fn queue_position(&self, c: &Conversation) -> AppResult<Option<usize>> {
        if c.status != ConversationStatus::Waiting {
            return Ok(None);
        }
        let queue = self.ports.chats.waiting_conversations().await?;
        Ok(leerpad_domain::chat::queue_position(&queue, c.id))
    }

    /// The programmes whose questions an advisor answers (`None`: all), from their profile.
    async fn programmes_of(&self, advisor: UserId) -> AppResult<Option<Vec<ProgrammeId>>> {
        let slugs = self
            .ports
            .appointments
            .advisor(advisor)
            .await?
            .map(|a| a.profile.programmes)
            .unwrap_or_default();
        if slugs.is_empty() {
            return Ok(None);
        }
        let mut ids = Vec::new();
        for slug in &slugs {
            if let Some(p) = self.ports.programmes.programme(slug).await? {
                ids.push(p.id);
            }
        }
        Ok(Some(ids))
    }

    /// Put the advisor on duty until `until`; they take the waiting questions they answer.
    async fn on_duty(&self, advisor: UserId, until: i64) -> AppResult<Vec<Conversation>> {
        let programmes = self.programmes_of(advisor).await?;
        let given = self
            .ports
            .chats
            .go_on_duty(Duty {
                advisor,
                limit: self.config.advisor_limit,
                until,
                programmes: programmes.as_deref(),
                at: self.clock.now(),
            })
            .await?;
        self.announce(&given).await;
        Ok(given)
    }

    /// Open a conversation: its messages, names, queue position and read state. When the
    /// advisor opens it, that is written to the learner's access log.
    pub async fn open(
        &self,
        principal: &Principal,
        id: i64,
        ip: Option<&str>,
    ) -> AppResult<ConversationView> {
        let c = self.participating(principal, id).await?;
        if c.advisor_id == Some(principal.user_id) {
            self.log_access(principal, &c, ip).await?;
        }
        self.view_of(principal, c).await
    }

    /// The same as [`Chat::open`] without a new line in the access log (a live connection
    /// refreshing what it shows; its opening was logged).
    pub async fn view(&self, principal: &Principal, id: i64) -> AppResult<ConversationView> {
        let c = self.participating(principal, id).await?;
        self.view_of(principal, c).await
    }

    async fn view_of(&self, principal: &Principal, c: Conversation) -> AppResult<ConversationView> {
        let messages = self
            .ports
            .chats
            .messages_after(c.id, 0, MAX_MESSAGES)
            .await?;
        let other = if c.learner_id == principal.user_id {
            c.advisor_id
        } else {
            Some(c.learner_id)
        };
        let other_read_up_to = self
            .ports
            .chats
            .read_marks(c.id)
            .await?
            .into_iter()
            .find(|(u, _)| Some(*u) == other)
            .map_or(0, |(_, up_to)| up_to);
        let advisor_name = match c.advisor_id {
            Some(a) => Some(self.name_of(a).await?),
            None => None,
        };
        Ok(ConversationView {
            learner_name: self.name_of(c.learner_id).await?,
            advisor_name,
            queue_position: self.queue_position(&c).await?,
            other_read_up_to,
            messages,
            conversation: c,
        })
    }

    /// The advisor read the learner's conversation: in the learner's access log.
    pub async fn log_access(
        &self,
        principal: &Principal,
        c: &Conversation,
        ip: Option<&str>,
    ) -> AppResult<()> {
        self.ports
            .audit
            .append_audit(&AuditEntry {
                at: self.clock.now(),
                event: AuditEvent::PersonalDataAccessed,
                actor_user_id: Some(principal.user_id),
                subject_user_id: Some(c.learner_id),
                ip: ip.map(str::to_owned),
                detail: serde_json::json!({ "what": "conversation", "conversation": c.id }),
            })
            .await?;
        Ok(())
    }

    /// A participant's check before a live connection: the conversation, or not found.
    pub async fn join(&self, principal: &Principal, id: i64) -> AppResult<Conversation> {
        self.participating(principal, id).await
    }

    /// Messages after `after`, for a participant (a live connection catching up).
    pub async fn messages_after(
        &self,
        principal: &Principal,
        id: i64,
        after: i64,
    ) -> AppResult<Vec<ChatMessage>> {
        self.participating(principal, id).await?;
        Ok(self
            .ports
            .chats
            .messages_after(id, after, MAX_MESSAGES)
            .await?)
    }

    /// Messages after `after` for a live connection, whose participation was checked when it
    /// joined ([`Chat::join`]; who takes part never changes once set).
    pub async fn messages_for(
        &self,
        joined: &Conversation,
        after: i64,
    ) -> AppResult<Vec<ChatMessage>> {
        Ok(self
            .ports
            .chats
            .messages_after(joined.id, after, MAX_MESSAGES)
            .await?)
    }

    /// Send a message; stored first, then everyone is told. The same client key again is the
    /// same message.
    pub async fn send(
        &self,
        principal: &Principal,
        id: i64,
        text: &str,
        client_key: Option<&str>,
    ) -> AppResult<ChatMessage> {
        let c = self.participating(principal, id).await?;
        let body = message_body(text).map_err(|e| AppError::InvalidFields(vec![e]))?;
        if client_key.is_some_and(|k| k.is_empty() || k.len() > 100) {
            return Err(AppError::InvalidFields(vec![FieldError::new(
                "key",
                "1 to 100 characters",
            )]));
        }
        let now = self.clock.now();
        let first_answer = c.after_hours
            && c.advisor_id == Some(principal.user_id)
            && !self
                .ports
                .chats
                .messages_after(c.id, 0, MAX_MESSAGES)
                .await?
                .iter()
                .any(|m| m.author_id == Some(principal.user_id));
        let message = self
            .ports
            .chats
            .add_message(NewChatMessage {
                conversation_id: c.id,
                author_id: Some(principal.user_id),
                body: &body,
                client_key,
                at: now,
            })
            .await?;
        self.publish(ChatSignal::Message { c: c.id }).await;
        if first_answer {
            // Asked outside office hours: the learner is told an advisor answered.
            if let Some(learner) = self.ports.users.user_by_id(c.learner_id.get()).await? {
                self.ports
                    .outbox
                    .enqueue_message(NewMessage {
                        key: &format!("chat-answered:{}", c.id),
                        user_id: c.learner_id,
                        to: &learner.email,
                        lang: &learner.locale,
                        message: &Message::ChatAnswered {
                            conversation: c.id,
                            subject: c.subject.clone(),
                        },
                        at: now,
                    })
                    .await?;
            }
        }
        Ok(message)
    }

    /// Someone is typing (not stored).
    pub async fn typing(&self, principal: &Principal, id: i64) -> AppResult<()> {
        let c = self.participating(principal, id).await?;
        self.publish(ChatSignal::Typing {
            c: c.id,
            u: principal.user_id,
        })
        .await;
        Ok(())
    }

    /// The person read up to a message.
    pub async fn read(&self, principal: &Principal, id: i64, up_to: i64) -> AppResult<()> {
        let c = self.participating(principal, id).await?;
        self.ports
            .chats
            .mark_read(c.id, principal.user_id, up_to)
            .await?;
        self.publish(ChatSignal::Read {
            c: c.id,
            u: principal.user_id,
            id: up_to,
        })
        .await;
        Ok(())
    }

    /// A WebRTC signalling message for the other participant (offer, answer, ICE candidate).
    pub async fn rtc(&self, principal: &Principal, id: i64, data: &str) -> AppResult<()> {
        let c = self.participating(principal, id).await?;
        if data.len() > MAX_RTC_BYTES {
            return Err(AppError::InvalidFields(vec![FieldError::new(
                "data",
                format!("at most {MAX_RTC_BYTES} bytes"),
            )]));
        }
        if c.status != ConversationStatus::Open {
            return Err(AppError::Conflict(
                "a video call needs an open conversation".to_owned(),
            ));
        }
        self.publish(ChatSignal::Rtc {
            c: c.id,
            from: principal.user_id,
            data: data.to_owned(),
        })
        .await;
        Ok(())
    }

    /// End a conversation (either participant). The advisor's room goes to the next waiting.
    pub async fn close(&self, principal: &Principal, id: i64) -> AppResult<()> {
        let c = self.participating(principal, id).await?;
        let now = self.clock.now();
        if self.ports.chats.close_conversation(c.id, now).await? {
            self.publish(ChatSignal::Changed { c: c.id }).await;
            if let Some(advisor) = c.advisor_id
                && let Some(until) = self.ports.chats.on_duty_until(advisor).await?
                && until > now
            {
                self.on_duty(advisor, until).await?;
            }
        }
        Ok(())
    }

    async fn announce(&self, given: &[Conversation]) {
        for g in given {
            self.publish(ChatSignal::Changed { c: g.id }).await;
        }
        if !given.is_empty() {
            self.publish(ChatSignal::Queue).await;
        }
    }

    /// The learner's answer to "how did it go?" (1 to 5), once, after the end.
    pub async fn rate(&self, principal: &Principal, id: i64, rating: u8) -> AppResult<()> {
        let c = self.participating(principal, id).await?;
        if c.learner_id != principal.user_id {
            return Err(AppError::NotFound("conversation"));
        }
        if !(1..=5).contains(&rating) {
            return Err(AppError::InvalidFields(vec![
                FieldError::new("rating", "1 to 5")
                    .coded("between", vec![("min", "1".into()), ("max", "5".into())]),
            ]));
        }
        if !self.ports.chats.rate_conversation(c.id, rating).await? {
            return Err(AppError::Conflict(
                "only an ended conversation is rated, and once".to_owned(),
            ));
        }
        Ok(())
    }

    /// The person's conversations (as learner), newest first.
    pub async fn mine(&self, principal: &Principal) -> AppResult<Vec<Conversation>> {
        principal.authorize(Action::ManageOwnAccount)?;
        Ok(self
            .ports
            .chats
            .conversations_of(principal.user_id)
            .await?
            .into_iter()
            .filter(|c| c.learner_id == principal.user_id)
            .collect())
    }

    /// The advisor's inbox: the queue, their open and their closed conversations.
    pub async fn inbox(&self, principal: &Principal) -> AppResult<Inbox> {
        principal.authorize(Action::AdviseLearners)?;
        let now = self.clock.now();
        let theirs: Vec<Conversation> = self
            .ports
            .chats
            .conversations_of(principal.user_id)
            .await?
            .into_iter()
            .filter(|c| c.advisor_id == Some(principal.user_id))
            .collect();
        let (closed, open) = theirs
            .into_iter()
            .partition(|c| c.status == ConversationStatus::Closed);
        Ok(Inbox {
            on_duty_until: self
                .ports
                .chats
                .on_duty_until(principal.user_id)
                .await?
                .filter(|t| *t > now),
            waiting: {
                let programmes = self.programmes_of(principal.user_id).await?;
                self.ports
                    .chats
                    .waiting_conversations()
                    .await?
                    .into_iter()
                    .filter(|c| answers(programmes.as_deref(), c.programme_id))
                    .collect()
            },
            open,
            closed,
        })
    }

    /// The advisor is on duty (for the configured time, renewed while their inbox is open)
    /// and takes waiting questions up to their limit.
    pub async fn go_on_duty(&self, principal: &Principal) -> AppResult<Vec<Conversation>> {
        principal.authorize(Action::AdviseLearners)?;
        let until = self.clock.now() + self.config.duty_secs;
        self.on_duty(principal.user_id, until).await
    }

    pub async fn go_off_duty(&self, principal: &Principal) -> AppResult<()> {
        principal.authorize(Action::AdviseLearners)?;
        Ok(self.ports.chats.go_off_duty(principal.user_id).await?)
    }

    /// Display names of people, for a live connection's messages.
    pub async fn display_name(&self, user: UserId) -> AppResult<String> {
        self.name_of(user).await
    }
}
