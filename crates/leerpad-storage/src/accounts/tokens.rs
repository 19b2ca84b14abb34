//! API tokens, stored by the hash of their secret: created, found, listed, marked as used and
//! revoked one by one or all of an account's at once.

use crate::db::{Sql, SqlStore};
use async_trait::async_trait;
use leerpad_domain::accounts::ports::{ApiTokenRecord, ApiTokenStore, NewApiToken};
use leerpad_domain::clock::UnixTime;
use leerpad_domain::ports::StoreResult;
use leerpad_domain::shared::UserId;

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: i64,
    user_id: i64,
    name: String,
    prefix: String,
    created_at: i64,
    last_used_at: Option<i64>,
    expires_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl From<TokenRow> for ApiTokenRecord {
    fn from(r: TokenRow) -> Self {
        ApiTokenRecord {
            id: r.id,
            user_id: UserId::new(r.user_id),
            name: r.name,
            prefix: r.prefix,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            expires_at: r.expires_at,
            revoked_at: r.revoked_at,
        }
    }
}

const TOKEN_COLUMNS: &str =
    "id, user_id, name, prefix, created_at, last_used_at, expires_at, revoked_at";

#[async_trait]
impl ApiTokenStore for SqlStore {
    async fn create_api_token(&self, t: NewApiToken) -> StoreResult<ApiTokenRecord> {
        let row: TokenRow = self
            .fetch_one(
                Sql::new(format!(
                    "INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING {TOKEN_COLUMNS}"
                ))
                .arg(t.user_id)
                .arg(t.name)
                .arg(t.prefix)
                .arg(t.token_hash)
                .arg(t.created_at)
                .arg(t.expires_at),
            )
            .await?;
        Ok(row.into())
    }

    async fn api_token_by_hash(&self, token_hash: &str) -> StoreResult<Option<ApiTokenRecord>> {
        let row: Option<TokenRow> = self
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1"
                ))
                .arg(token_hash),
            )
            .await?;
        Ok(row.map(Into::into))
    }

    async fn list_api_tokens(&self, user_id: UserId) -> StoreResult<Vec<ApiTokenRecord>> {
        let rows: Vec<TokenRow> = self
            .fetch_all(
                Sql::new(format!(
                    "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id"
                ))
                .arg(user_id),
            )
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn revoke_api_token(
        &self,
        user_id: UserId,
        token_id: i64,
        at: UnixTime,
    ) -> StoreResult<bool> {
        let n = self
            .execute(
                Sql::new(
                    "UPDATE api_tokens SET revoked_at = $1 \
                     WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
                )
                .arg(at)
                .arg(token_id)
                .arg(user_id),
            )
            .await?;
        Ok(n > 0)
    }

    async fn touch_api_token(&self, token_id: i64, at: UnixTime) -> StoreResult<()> {
        // When a token was last used is information, not a promise: the request using it
        // need not wait for the disk.
        let mut tx = self.begin().await?;
        tx.without_waiting_for_disk().await?;
        tx.exec()
            .execute(
                Sql::new("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                    .arg(at)
                    .arg(token_id),
            )
            .await?;
        tx.commit().await
    }

    async fn revoke_api_tokens_of(&self, user_id: UserId, at: UnixTime) -> StoreResult<u64> {
        self.execute(
            Sql::new(
                "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
            )
            .arg(at)
            .arg(user_id),
        )
        .await
    }
}
