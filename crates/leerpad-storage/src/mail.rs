//! The outbox.

use crate::db::{Sql, SqlStore};
use async_trait::async_trait;
use leerpad_domain::UnixTime;
use leerpad_domain::mail::ports::{NewMessage, OutboxMessage, OutboxStore};
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::shared::UserId;

const COLUMNS: &str =
    "id, key, user_id, to_address, lang, message, created_at, sent_at, attempts, last_error";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    key: String,
    user_id: Option<i64>,
    to_address: String,
    lang: String,
    message: String,
    created_at: i64,
    sent_at: Option<i64>,
    attempts: i64,
    last_error: Option<String>,
}

fn messages(rows: Vec<Row>) -> StoreResult<Vec<OutboxMessage>> {
    rows.into_iter()
        .map(|r| {
            Ok(OutboxMessage {
                message: serde_json::from_str(&r.message).map_err(|e| {
                    StoreError::Backend(format!("stored message {} cannot be read: {e}", r.id))
                })?,
                id: r.id,
                key: r.key,
                user_id: r.user_id.map(UserId::new),
                to: r.to_address,
                lang: r.lang,
                created_at: r.created_at,
                sent_at: r.sent_at,
                attempts: u32::try_from(r.attempts).unwrap_or(u32::MAX),
                last_error: r.last_error,
            })
        })
        .collect()
}

#[async_trait]
impl OutboxStore for SqlStore {
    async fn enqueue_message(&self, new: NewMessage<'_>) -> StoreResult<bool> {
        let message =
            serde_json::to_string(new.message).map_err(|e| StoreError::Backend(e.to_string()))?;
        let added = self
            .execute(
                Sql::new(
                    "INSERT INTO outbox (key, user_id, to_address, lang, message, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING",
                )
                .arg(new.key)
                .arg(new.user_id)
                .arg(new.to)
                .arg(new.lang)
                .arg(message)
                .arg(new.at),
            )
            .await?;
        Ok(added == 1)
    }

    async fn undelivered(&self, limit: u32) -> StoreResult<Vec<OutboxMessage>> {
        messages(
            self.fetch_all(
                Sql::new(format!(
                    "SELECT {COLUMNS} FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1"
                ))
                .arg(i64::from(limit)),
            )
            .await?,
        )
    }

    async fn mark_delivered(&self, id: i64, at: UnixTime) -> StoreResult<()> {
        self.execute(
            Sql::new("UPDATE outbox SET sent_at = $1, attempts = attempts + 1 WHERE id = $2")
                .arg(at)
                .arg(id),
        )
        .await?;
        Ok(())
    }

    async fn mark_failed(&self, id: i64, error: &str) -> StoreResult<()> {
        self.execute(
            Sql::new("UPDATE outbox SET attempts = attempts + 1, last_error = $1 WHERE id = $2")
                .arg(error)
                .arg(id),
        )
        .await?;
        Ok(())
    }

    async fn messages_of(&self, user_id: UserId, limit: u32) -> StoreResult<Vec<OutboxMessage>> {
        messages(
            self.fetch_all(
                Sql::new(format!(
                    "SELECT {COLUMNS} FROM outbox WHERE user_id = $1 ORDER BY id DESC LIMIT $2"
                ))
                .arg(user_id)
                .arg(i64::from(limit)),
            )
            .await?,
        )
    }

    async fn recent_messages(&self, limit: u32) -> StoreResult<Vec<OutboxMessage>> {
        messages(
            self.fetch_all(
                Sql::new(format!(
                    "SELECT {COLUMNS} FROM outbox ORDER BY id DESC LIMIT $1"
                ))
                .arg(i64::from(limit)),
            )
            .await?,
        )
    }
}
