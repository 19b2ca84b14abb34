//! The outbox.

use crate::db::{Sql, SqlStore};
use async_trait::async_trait;
use leerpad_domain::UnixTime;
use leerpad_domain::mail::ports::{NewMessage, OutboxMessage, OutboxStore};
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::shared::UserId;

const COLUMNS: &str = "id, key, user_id, to_address, lang, message, created_at, sent_at, \
     attempts, last_error, given_up_at";

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
    given_up_at: Option<i64>,
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
                given_up_at: r.given_up_at,
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

    async fn claim_undelivered(
        &self,
        now: UnixTime,
        lease_until: UnixTime,
        limit: u32,
    ) -> StoreResult<Vec<OutboxMessage>> {
        let mut tx = self.begin().await?;
        let skip_locked = tx.skip_locked();
        let rows: Vec<Row> = tx
            .exec()
            .fetch_all(
                Sql::new(format!(
                    "UPDATE outbox SET next_attempt_at = $1 WHERE id IN (SELECT id FROM outbox \
                     WHERE sent_at IS NULL AND given_up_at IS NULL \
                     AND (next_attempt_at IS NULL OR next_attempt_at <= $2) \
                     ORDER BY id LIMIT $3{skip_locked}) RETURNING {COLUMNS}"
                ))
                .arg(lease_until)
                .arg(now)
                .arg(i64::from(limit)),
            )
            .await?;
        tx.commit().await?;
        let mut claimed = messages(rows)?;
        claimed.sort_by_key(|m| m.id);
        Ok(claimed)
    }

    async fn mark_delivered(&self, id: i64, at: UnixTime) -> StoreResult<()> {
        self.execute(
            Sql::new(
                "UPDATE outbox SET sent_at = $1, attempts = attempts + 1, last_error = NULL, \
                 next_attempt_at = NULL WHERE id = $2",
            )
            .arg(at)
            .arg(id),
        )
        .await?;
        Ok(())
    }

    async fn mark_failed(
        &self,
        id: i64,
        error: &str,
        at: UnixTime,
        retry_at: Option<UnixTime>,
    ) -> StoreResult<()> {
        let given_up = retry_at.is_none().then_some(at);
        self.execute(
            Sql::new(
                "UPDATE outbox SET attempts = attempts + 1, last_error = $1, \
                 next_attempt_at = $2, given_up_at = $3 WHERE id = $4",
            )
            .arg(error)
            .arg(retry_at)
            .arg(given_up)
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
