//! Conversations and messages: a question is routed to the least busy advisor on duty in the
//! transaction that starts it, and an advisor coming on duty takes waiting questions in the
//! transaction that puts them on duty, so nobody gets more than their limit.

mod bus;

pub use bus::{LocalBus, PgBus, chat_bus};

use crate::db::{Sql, SqlStore, Tx, corrupt};
use async_trait::async_trait;
use leerpad_domain::UnixTime;
use leerpad_domain::chat::ports::{ChatStore, Duty, NewChatMessage, NewConversation};
use leerpad_domain::chat::{
    AdvisorLoad, ChatMessage, Conversation, ConversationStatus, answers, least_busy,
};
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::shared::{ProgrammeId, UserId};

const CONVERSATION_COLUMNS: &str = "id, learner_id, advisor_id, programme_id, appointment_id, \
     subject, status, after_hours, created_at, assigned_at, closed_at, rating";
const MESSAGE_COLUMNS: &str = "id, conversation_id, author_id, body, created_at";
/// Routing decisions are taken one at a time (a transaction-scoped lock on PostgreSQL; SQLite
/// writes one transaction at a time anyway).
const ROUTING_LOCK: &str = "chat-routing";

#[derive(sqlx::FromRow)]
struct ConversationRow {
    id: i64,
    learner_id: i64,
    advisor_id: Option<i64>,
    programme_id: Option<i64>,
    appointment_id: Option<i64>,
    subject: String,
    status: String,
    after_hours: i64,
    created_at: i64,
    assigned_at: Option<i64>,
    closed_at: Option<i64>,
    rating: Option<i64>,
}

impl ConversationRow {
    fn into_conversation(self) -> StoreResult<Conversation> {
        Ok(Conversation {
            id: self.id,
            learner_id: UserId::new(self.learner_id),
            advisor_id: self.advisor_id.map(UserId::new),
            programme_id: self.programme_id.map(ProgrammeId::new),
            appointment_id: self.appointment_id,
            subject: self.subject,
            status: self.status.parse().map_err(|e| {
                StoreError::Backend(format!("stored conversation status cannot be read: {e}"))
            })?,
            after_hours: self.after_hours != 0,
            created_at: self.created_at,
            assigned_at: self.assigned_at,
            closed_at: self.closed_at,
            rating: self.rating.and_then(|r| u8::try_from(r).ok()),
        })
    }
}

fn conversations(rows: Vec<ConversationRow>) -> StoreResult<Vec<Conversation>> {
    rows.into_iter()
        .map(ConversationRow::into_conversation)
        .collect()
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    conversation_id: i64,
    author_id: Option<i64>,
    body: String,
    created_at: i64,
}

impl From<MessageRow> for ChatMessage {
    fn from(r: MessageRow) -> ChatMessage {
        ChatMessage {
            id: r.id,
            conversation_id: r.conversation_id,
            author_id: r.author_id.map(UserId::new),
            body: r.body,
            created_at: r.created_at,
        }
    }
}

fn by_id(id: i64) -> Sql {
    Sql::new(format!(
        "SELECT {CONVERSATION_COLUMNS} FROM chat_conversations WHERE id = $1"
    ))
    .arg(id)
}

fn read_programmes(text: Option<String>) -> StoreResult<Option<Vec<ProgrammeId>>> {
    text.map(|t| {
        serde_json::from_str::<Vec<i64>>(&t)
            .map(|ids| ids.into_iter().map(ProgrammeId::new).collect())
            .map_err(|e| corrupt("duty programmes", e))
    })
    .transpose()
}

/// The loads of the advisors on duty at `at`.
async fn loads_on_duty(tx: &mut Tx, at: UnixTime) -> StoreResult<Vec<AdvisorLoad>> {
    /// Advisor, limit, last assigned, open now, programmes.
    type DutyRow = (i64, i64, Option<i64>, i64, Option<String>);
    let rows: Vec<DutyRow> = tx
        .exec()
        .fetch_all(
            Sql::new(
                "SELECT d.advisor_id, d.max_open, d.last_assigned_at, \
                 CAST((SELECT COUNT(*) FROM chat_conversations c \
                   WHERE c.advisor_id = d.advisor_id AND c.status = 'open') AS BIGINT), \
                 d.programmes \
                 FROM chat_duty d WHERE d.on_until > $1",
            )
            .arg(at),
        )
        .await?;
    rows.into_iter()
        .map(|(advisor, limit, last, open, programmes)| {
            Ok(AdvisorLoad {
                advisor_id: UserId::new(advisor),
                open: u32::try_from(open).unwrap_or(u32::MAX),
                limit: u32::try_from(limit).unwrap_or(0),
                last_assigned_at: last,
                programmes: read_programmes(programmes)?,
            })
        })
        .collect()
}

/// Give a waiting conversation to an advisor (and note when they last took one).
async fn assign(tx: &mut Tx, conversation: i64, advisor: UserId, at: UnixTime) -> StoreResult<()> {
    tx.exec()
        .execute(
            Sql::new(
                "UPDATE chat_conversations SET advisor_id = $1, status = 'open', assigned_at = $2 \
                 WHERE id = $3 AND status = 'waiting'",
            )
            .arg(advisor)
            .arg(at)
            .arg(conversation),
        )
        .await?;
    tx.exec()
        .execute(
            Sql::new("UPDATE chat_duty SET last_assigned_at = $1 WHERE advisor_id = $2")
                .arg(at)
                .arg(advisor),
        )
        .await?;
    Ok(())
}

#[async_trait]
impl ChatStore for SqlStore {
    async fn start_conversation(&self, new: NewConversation<'_>) -> StoreResult<Conversation> {
        let mut tx = self.begin().await?;
        tx.lock_keys(&[ROUTING_LOCK]).await?;
        if let Some(appointment) = new.appointment {
            let known: Option<ConversationRow> = tx
                .exec()
                .fetch_optional(
                    Sql::new(format!(
                        "SELECT {CONVERSATION_COLUMNS} FROM chat_conversations \
                         WHERE appointment_id = $1"
                    ))
                    .arg(appointment),
                )
                .await?;
            if let Some(row) = known {
                tx.commit().await?;
                return row.into_conversation();
            }
        }
        let (advisor, status) = match new.advisor {
            Some(advisor) => (Some(advisor), ConversationStatus::Open),
            None => match least_busy(&loads_on_duty(&mut tx, new.at).await?, new.programme_id) {
                Some(a) => (Some(a), ConversationStatus::Open),
                None => (None, ConversationStatus::Waiting),
            },
        };
        let (id,): (i64,) = tx
            .exec()
            .fetch_one(
                Sql::new(
                    "INSERT INTO chat_conversations (learner_id, advisor_id, programme_id, \
                     appointment_id, subject, status, after_hours, created_at, assigned_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .arg(new.learner_id)
                .arg(advisor)
                .arg(new.programme_id)
                .arg(new.appointment)
                .arg(new.subject)
                .arg(status.as_str())
                .arg(i64::from(new.after_hours))
                .arg(new.at)
                .arg(advisor.map(|_| new.at)),
            )
            .await?;
        if let (Some(a), None) = (advisor, new.advisor) {
            tx.exec()
                .execute(
                    Sql::new("UPDATE chat_duty SET last_assigned_at = $1 WHERE advisor_id = $2")
                        .arg(new.at)
                        .arg(a),
                )
                .await?;
        }
        let row: ConversationRow = tx.exec().fetch_one(by_id(id)).await?;
        tx.commit().await?;
        row.into_conversation()
    }

    async fn conversation(&self, id: i64) -> StoreResult<Option<Conversation>> {
        self.fetch_optional::<ConversationRow>(by_id(id))
            .await?
            .map(ConversationRow::into_conversation)
            .transpose()
    }

    async fn conversations_of(&self, user: UserId) -> StoreResult<Vec<Conversation>> {
        conversations(
            self.fetch_all(
                Sql::new(format!(
                    "SELECT {CONVERSATION_COLUMNS} FROM chat_conversations \
                     WHERE learner_id = $1 OR advisor_id = $1 ORDER BY id DESC LIMIT 200"
                ))
                .arg(user),
            )
            .await?,
        )
    }

    async fn waiting_conversations(&self) -> StoreResult<Vec<Conversation>> {
        conversations(
            self.fetch_all(Sql::new(format!(
                "SELECT {CONVERSATION_COLUMNS} FROM chat_conversations \
                 WHERE status = 'waiting' ORDER BY id LIMIT 500"
            )))
            .await?,
        )
    }

    async fn go_on_duty(&self, duty: Duty<'_>) -> StoreResult<Vec<Conversation>> {
        let programmes = duty
            .programmes
            .map(|list| serde_json::to_string(&list.iter().map(|p| p.get()).collect::<Vec<_>>()))
            .transpose()
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        let mut tx = self.begin().await?;
        tx.lock_keys(&[ROUTING_LOCK]).await?;
        tx.exec()
            .execute(
                Sql::new(
                    "INSERT INTO chat_duty (advisor_id, on_until, max_open, programmes) \
                     VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (advisor_id) DO UPDATE SET on_until = excluded.on_until, \
                     max_open = excluded.max_open, programmes = excluded.programmes",
                )
                .arg(duty.advisor)
                .arg(duty.until)
                .arg(i64::from(duty.limit))
                .arg(programmes),
            )
            .await?;
        let (open,): (i64,) = tx
            .exec()
            .fetch_one(
                Sql::new(
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM chat_conversations \
                     WHERE advisor_id = $1 AND status = 'open'",
                )
                .arg(duty.advisor),
            )
            .await?;
        let room = usize::try_from(i64::from(duty.limit) - open).unwrap_or(0);
        let mut given = Vec::new();
        if room > 0 {
            // The oldest waiting questions this advisor answers (the queue is short: people
            // wait minutes, and only during office hours does anyone take them).
            let waiting: Vec<(i64, Option<i64>)> = tx
                .exec()
                .fetch_all(Sql::new(
                    "SELECT id, programme_id FROM chat_conversations WHERE status = 'waiting' \
                     ORDER BY id LIMIT 1000",
                ))
                .await?;
            let theirs = waiting
                .into_iter()
                .filter(|(_, p)| answers(duty.programmes, p.map(ProgrammeId::new)))
                .take(room);
            for (id, _) in theirs {
                assign(&mut tx, id, duty.advisor, duty.at).await?;
                let row: ConversationRow = tx.exec().fetch_one(by_id(id)).await?;
                given.push(row.into_conversation()?);
            }
        }
        tx.commit().await?;
        Ok(given)
    }

    async fn go_off_duty(&self, advisor: UserId) -> StoreResult<()> {
        self.execute(Sql::new("DELETE FROM chat_duty WHERE advisor_id = $1").arg(advisor))
            .await?;
        Ok(())
    }

    async fn on_duty_until(&self, advisor: UserId) -> StoreResult<Option<UnixTime>> {
        let row: Option<(i64,)> = self
            .fetch_optional(
                Sql::new("SELECT on_until FROM chat_duty WHERE advisor_id = $1").arg(advisor),
            )
            .await?;
        Ok(row.map(|(t,)| t))
    }

    async fn add_message(&self, new: NewChatMessage<'_>) -> StoreResult<ChatMessage> {
        let known = |key: &str| {
            Sql::new(format!(
                "SELECT {MESSAGE_COLUMNS} FROM chat_messages \
                 WHERE conversation_id = $1 AND client_key = $2"
            ))
            .arg(new.conversation_id)
            .arg(key.to_owned())
        };
        if let Some(key) = new.client_key
            && let Some(row) = self.fetch_optional::<MessageRow>(known(key)).await?
        {
            return Ok(row.into());
        }
        let mut tx = self.begin().await?;
        let for_update = tx.for_update();
        let status: Option<(String,)> = tx
            .exec()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT status FROM chat_conversations WHERE id = $1{for_update}"
                ))
                .arg(new.conversation_id),
            )
            .await?;
        let refused = match status.as_ref().map(|(s,)| s.as_str()) {
            None => Some("no such conversation"),
            Some("closed") => Some("this conversation is closed"),
            Some(_) => None,
        };
        if let Some(why) = refused {
            tx.rollback().await?;
            return Err(StoreError::Refused(why.to_owned()));
        }
        let inserted: StoreResult<MessageRow> = tx
            .exec()
            .fetch_one(
                Sql::new(format!(
                    "INSERT INTO chat_messages (conversation_id, author_id, body, client_key, \
                     created_at) VALUES ($1, $2, $3, $4, $5) RETURNING {MESSAGE_COLUMNS}"
                ))
                .arg(new.conversation_id)
                .arg(new.author_id)
                .arg(new.body)
                .arg(new.client_key)
                .arg(new.at),
            )
            .await;
        match inserted {
            Ok(row) => {
                tx.commit().await?;
                Ok(row.into())
            }
            // The same message sent twice at once: the other one was stored.
            Err(StoreError::Conflict(_)) if new.client_key.is_some() => {
                tx.rollback().await?;
                let key = new.client_key.unwrap_or_default();
                self.fetch_optional::<MessageRow>(known(key))
                    .await?
                    .map(ChatMessage::from)
                    .ok_or_else(|| {
                        StoreError::Backend("a message stored with its key is gone".to_owned())
                    })
            }
            Err(e) => {
                tx.rollback().await?;
                Err(e)
            }
        }
    }

    async fn messages_after(
        &self,
        conversation_id: i64,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<ChatMessage>> {
        let rows: Vec<MessageRow> = self
            .fetch_all(
                Sql::new(format!(
                    "SELECT {MESSAGE_COLUMNS} FROM chat_messages \
                     WHERE conversation_id = $1 AND id > $2 ORDER BY id LIMIT $3"
                ))
                .arg(conversation_id)
                .arg(after)
                .arg(i64::from(limit)),
            )
            .await?;
        Ok(rows.into_iter().map(ChatMessage::from).collect())
    }

    async fn mark_read(&self, conversation_id: i64, user: UserId, up_to: i64) -> StoreResult<()> {
        self.execute(
            Sql::new(
                "INSERT INTO chat_reads (conversation_id, user_id, up_to) VALUES ($1, $2, $3) \
                 ON CONFLICT (conversation_id, user_id) DO UPDATE SET up_to = \
                 CASE WHEN excluded.up_to > chat_reads.up_to THEN excluded.up_to \
                 ELSE chat_reads.up_to END",
            )
            .arg(conversation_id)
            .arg(user)
            .arg(up_to),
        )
        .await?;
        Ok(())
    }

    async fn read_marks(&self, conversation_id: i64) -> StoreResult<Vec<(UserId, i64)>> {
        let rows: Vec<(i64, i64)> = self
            .fetch_all(
                Sql::new("SELECT user_id, up_to FROM chat_reads WHERE conversation_id = $1")
                    .arg(conversation_id),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(u, up_to)| (UserId::new(u), up_to))
            .collect())
    }

    async fn close_conversation(&self, id: i64, at: UnixTime) -> StoreResult<bool> {
        let changed = self
            .execute(
                Sql::new(
                    "UPDATE chat_conversations SET status = 'closed', closed_at = $1 \
                     WHERE id = $2 AND status <> 'closed'",
                )
                .arg(at)
                .arg(id),
            )
            .await?;
        Ok(changed == 1)
    }

    async fn rate_conversation(&self, id: i64, rating: u8) -> StoreResult<bool> {
        let changed = self
            .execute(
                Sql::new(
                    "UPDATE chat_conversations SET rating = $1 \
                     WHERE id = $2 AND status = 'closed' AND rating IS NULL",
                )
                .arg(i64::from(rating))
                .arg(id),
            )
            .await?;
        Ok(changed == 1)
    }
}
