//! Browser sessions, stored by the hash of their token: created at sign-in, extended while in
//! use, and deleted at sign-out, on expiry or for every device of an account.

use crate::db::{Sql, SqlStore};
use async_trait::async_trait;
use leerpad_domain::accounts::ports::{SessionRecord, SessionStore};
use leerpad_domain::clock::UnixTime;
use leerpad_domain::ports::StoreResult;
use leerpad_domain::shared::UserId;

#[derive(sqlx::FromRow)]
struct SessionRow {
    token_hash: String,
    user_id: i64,
    csrf_token: String,
    created_at: i64,
    last_seen_at: i64,
    expires_at: i64,
}

#[async_trait]
impl SessionStore for SqlStore {
    async fn create_session(&self, s: &SessionRecord) -> StoreResult<()> {
        self.execute(
            Sql::new(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .arg(s.token_hash.as_str())
            .arg(s.user_id)
            .arg(s.csrf_token.as_str())
            .arg(s.created_at)
            .arg(s.last_seen_at)
            .arg(s.expires_at),
        )
        .await
        .map(drop)
    }

    async fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRecord>> {
        let row: Option<SessionRow> = self
            .fetch_optional(
                Sql::new(
                    "SELECT token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at \
                     FROM sessions WHERE token_hash = $1",
                )
                .arg(token_hash),
            )
            .await?;
        Ok(row.map(|r| SessionRecord {
            token_hash: r.token_hash,
            user_id: UserId::new(r.user_id),
            csrf_token: r.csrf_token,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            expires_at: r.expires_at,
        }))
    }

    async fn touch_session(
        &self,
        token_hash: &str,
        last_seen_at: UnixTime,
        expires_at: UnixTime,
    ) -> StoreResult<()> {
        self.execute(
            Sql::new(
                "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3",
            )
            .arg(last_seen_at)
            .arg(expires_at)
            .arg(token_hash),
        )
        .await
        .map(drop)
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        self.execute(Sql::new("DELETE FROM sessions WHERE token_hash = $1").arg(token_hash))
            .await
            .map(drop)
    }

    async fn delete_sessions_of(&self, user_id: UserId, keep: Option<&str>) -> StoreResult<u64> {
        self.execute(
            Sql::new("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .arg(user_id)
                .arg(keep.unwrap_or("")),
        )
        .await
    }

    async fn delete_expired_sessions(&self, now: UnixTime) -> StoreResult<u64> {
        self.execute(Sql::new("DELETE FROM sessions WHERE expires_at <= $1").arg(now))
            .await
    }
}
