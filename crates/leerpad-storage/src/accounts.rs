//! Accounts, sessions, API tokens, login failures and the audit log.

use crate::db::{Sql, SqlStore, Tx};
use async_trait::async_trait;
use leerpad_domain::accounts::audit::AuditEntry;
use leerpad_domain::accounts::ports::{
    ApiTokenRecord, ApiTokenStore, AuditQuery, AuditStore, LoginAttempt, LoginAttemptStore,
    LoginGate, LoginKeys, NewApiToken, NewUser, SessionRecord, SessionStore, StoredAuditEntry,
    UserRecord, UserStore,
};
use leerpad_domain::accounts::throttle::{AttemptCounts, ThrottlePolicy, ThrottleVerdict};
use leerpad_domain::clock::UnixTime;
use leerpad_domain::ports::{Store, StoreError, StoreResult};
use leerpad_domain::role::{Role, RoleSet};
use leerpad_domain::shared::UserId;

/// Lock every administrator's role row and refuse when `user_id` is the only one left: the
/// check and the removal that follows are one transaction. On PostgreSQL a second transaction
/// removing another administrator waits on these row locks and then sees the first one's
/// removal, so two administrators leaving at once cannot both go.
async fn refuse_last_admin(tx: &mut Tx, user_id: UserId) -> StoreResult<()> {
    let sql = format!(
        "SELECT user_id FROM user_roles WHERE role = $1 ORDER BY user_id{}",
        tx.for_update()
    );
    let admins: Vec<(i64,)> = tx
        .exec()
        .fetch_all(Sql::new(sql).arg(Role::Admin.as_str()))
        .await?;
    if admins.iter().any(|(id,)| *id == user_id.get()) && admins.len() <= 1 {
        return Err(StoreError::Refused(
            "this is the last administrator; make another administrator first".into(),
        ));
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    display_name: String,
    password_hash: String,
    locale: String,
    created_at: i64,
    updated_at: i64,
}

impl From<UserRow> for UserRecord {
    fn from(r: UserRow) -> Self {
        UserRecord {
            id: UserId::new(r.id),
            email: r.email,
            display_name: r.display_name,
            password_hash: r.password_hash,
            locale: r.locale,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const USER_COLUMNS: &str = "id, email, display_name, password_hash, locale, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct SessionRow {
    token_hash: String,
    user_id: i64,
    csrf_token: String,
    created_at: i64,
    last_seen_at: i64,
    expires_at: i64,
}

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

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    event: String,
    actor_user_id: Option<i64>,
    subject_user_id: Option<i64>,
    ip: Option<String>,
    detail: String,
}

fn parse_role(text: &str) -> StoreResult<Role> {
    text.parse()
        .map_err(|e| StoreError::Backend(format!("corrupt role in user_roles: {e}")))
}

#[async_trait]
impl UserStore for SqlStore {
    async fn create_user(&self, user: NewUser, roles: &RoleSet) -> StoreResult<UserRecord> {
        let mut tx = self.begin().await?;
        let row: UserRow = tx
            .exec()
            .fetch_one(
                Sql::new(format!(
                    "INSERT INTO users (email, display_name, password_hash, locale, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $5) RETURNING {USER_COLUMNS}"
                ))
                .arg(user.email)
                .arg(user.display_name)
                .arg(user.password_hash)
                .arg(user.locale)
                .arg(user.created_at),
            )
            .await?;
        for role in roles.iter() {
            tx.exec()
                .execute(
                    Sql::new(
                        "INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, $2, $3)",
                    )
                    .arg(row.id)
                    .arg(role.as_str())
                    .arg(user.created_at),
                )
                .await?;
        }
        tx.commit().await?;
        Ok(row.into())
    }

    async fn user_by_id(&self, id: i64) -> StoreResult<Option<UserRecord>> {
        let row: Option<UserRow> = self
            .fetch_optional(
                Sql::new(format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1")).arg(id),
            )
            .await?;
        Ok(row.map(Into::into))
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>> {
        let row: Option<UserRow> = self
            .fetch_optional(
                Sql::new(format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1")).arg(email),
            )
            .await?;
        Ok(row.map(Into::into))
    }

    async fn list_users(&self, after_id: UserId, limit: u32) -> StoreResult<Vec<UserRecord>> {
        let rows: Vec<UserRow> = self
            .fetch_all(
                Sql::new(format!(
                    "SELECT {USER_COLUMNS} FROM users WHERE id > $1 ORDER BY id LIMIT $2"
                ))
                .arg(after_id)
                .arg(i64::from(limit)),
            )
            .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn roles_of(&self, user_id: UserId) -> StoreResult<RoleSet> {
        let rows: Vec<(String,)> = self
            .fetch_all(Sql::new("SELECT role FROM user_roles WHERE user_id = $1").arg(user_id))
            .await?;
        rows.iter().map(|(r,)| parse_role(r)).collect()
    }

    async fn set_role(
        &self,
        user_id: UserId,
        role: Role,
        granted: bool,
        at: UnixTime,
    ) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let sql = if granted {
            Sql::new(
                "INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id, role) DO NOTHING",
            )
            .arg(user_id)
            .arg(role.as_str())
            .arg(at)
        } else {
            if role == Role::Admin {
                refuse_last_admin(&mut tx, user_id).await?;
            }
            Sql::new("DELETE FROM user_roles WHERE user_id = $1 AND role = $2")
                .arg(user_id)
                .arg(role.as_str())
        };
        let changed = tx.exec().execute(sql).await? > 0;
        tx.commit().await?;
        Ok(changed)
    }

    async fn set_password_hash(
        &self,
        user_id: UserId,
        hash: &str,
        at: UnixTime,
    ) -> StoreResult<()> {
        self.execute(
            Sql::new("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
                .arg(hash)
                .arg(at)
                .arg(user_id),
        )
        .await
        .map(drop)
    }

    async fn set_locale(&self, user_id: UserId, locale: &str, at: UnixTime) -> StoreResult<()> {
        self.execute(
            Sql::new("UPDATE users SET locale = $1, updated_at = $2 WHERE id = $3")
                .arg(locale)
                .arg(at)
                .arg(user_id),
        )
        .await
        .map(drop)
    }

    async fn count_by_role(&self) -> StoreResult<Vec<(Role, i64)>> {
        let rows: Vec<(String, i64)> = self
            .fetch_all(Sql::new(
                "SELECT role, COUNT(*) FROM user_roles GROUP BY role ORDER BY role",
            ))
            .await?;
        rows.iter().map(|(r, n)| Ok((parse_role(r)?, *n))).collect()
    }

    async fn count_registered_since(&self, since: UnixTime) -> StoreResult<i64> {
        let (n,): (i64,) = self
            .fetch_one(Sql::new("SELECT COUNT(*) FROM users WHERE created_at >= $1").arg(since))
            .await?;
        Ok(n)
    }

    async fn delete_user(&self, user_id: UserId) -> StoreResult<bool> {
        // The foreign keys cascade to what is only the person's and set the link to NULL on
        // what others must keep (see the migrations).
        let mut tx = self.begin().await?;
        refuse_last_admin(&mut tx, user_id).await?;
        let n = tx
            .exec()
            .execute(Sql::new("DELETE FROM users WHERE id = $1").arg(user_id))
            .await?;
        tx.commit().await?;
        Ok(n > 0)
    }
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
        self.execute(
            Sql::new("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .arg(at)
                .arg(token_id),
        )
        .await
        .map(drop)
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

fn count_failures_sql(key: &str, since: UnixTime) -> Sql {
    Sql::new("SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at > $2")
        .arg(key)
        .arg(since)
}

async fn count_failures(tx: &mut Tx, key: &str, since: UnixTime) -> StoreResult<i64> {
    let (n,): (i64,) = tx.exec().fetch_one(count_failures_sql(key, since)).await?;
    Ok(n)
}

#[async_trait]
impl LoginAttemptStore for SqlStore {
    async fn begin_login_attempt(
        &self,
        keys: &LoginKeys,
        policy: &ThrottlePolicy,
        now: UnixTime,
    ) -> StoreResult<LoginGate> {
        let since = policy.window_start(now);
        let mut tx = self.begin().await?;
        tx.lock_keys(&[keys.account.as_str(), keys.ip.as_str()])
            .await?;
        let (trusted,): (i64,) = tx
            .exec()
            .fetch_one(
                Sql::new("SELECT COUNT(*) FROM login_sign_ins WHERE ip_key = $1 AND at > $2")
                    .arg(keys.ip.as_str())
                    .arg(since),
            )
            .await?;
        let counts = AttemptCounts {
            account_failures: count_failures(&mut tx, &keys.account, since).await?,
            ip_failures: count_failures(&mut tx, &keys.ip, since).await?,
            ip_trusted_accounts: trusted,
        };
        if let ThrottleVerdict::Locked { retry_after_secs } = policy.verdict(counts) {
            return Ok(LoginGate::Locked { retry_after_secs });
        }
        let mut failure_ids = Vec::with_capacity(2);
        for key in [&keys.account, &keys.ip] {
            let (id,): (i64,) = tx
                .exec()
                .fetch_one(
                    Sql::new("INSERT INTO login_failures (key, at) VALUES ($1, $2) RETURNING id")
                        .arg(key.as_str())
                        .arg(now),
                )
                .await?;
            failure_ids.push(id);
        }
        tx.commit().await?;
        Ok(LoginGate::Open(LoginAttempt {
            keys: keys.clone(),
            failure_ids,
        }))
    }

    async fn login_succeeded(&self, attempt: &LoginAttempt, now: UnixTime) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        for id in &attempt.failure_ids {
            tx.exec()
                .execute(Sql::new("DELETE FROM login_failures WHERE id = $1").arg(*id))
                .await?;
        }
        tx.exec()
            .execute(
                Sql::new("DELETE FROM login_failures WHERE key = $1")
                    .arg(attempt.keys.account.as_str()),
            )
            .await?;
        tx.exec()
            .execute(
                Sql::new(
                    "INSERT INTO login_sign_ins (ip_key, account_key, at) VALUES ($1, $2, $3) \
                     ON CONFLICT (ip_key, account_key) DO UPDATE SET at = excluded.at",
                )
                .arg(attempt.keys.ip.as_str())
                .arg(attempt.keys.account.as_str())
                .arg(now),
            )
            .await?;
        tx.commit().await
    }

    async fn count_login_failures(&self, key: &str, since: UnixTime) -> StoreResult<i64> {
        let (n,): (i64,) = self.fetch_one(count_failures_sql(key, since)).await?;
        Ok(n)
    }

    async fn prune_login_failures(&self, before: UnixTime) -> StoreResult<u64> {
        let failures = self
            .execute(Sql::new("DELETE FROM login_failures WHERE at < $1").arg(before))
            .await?;
        let sign_ins = self
            .execute(Sql::new("DELETE FROM login_sign_ins WHERE at < $1").arg(before))
            .await?;
        Ok(failures + sign_ins)
    }
}

#[async_trait]
impl AuditStore for SqlStore {
    async fn append_audit(&self, e: &AuditEntry) -> StoreResult<i64> {
        let (id,): (i64,) = self
            .fetch_one(
                Sql::new(
                    "INSERT INTO audit_log (at, event, actor_user_id, subject_user_id, ip, detail) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .arg(e.at)
                .arg(e.event.as_str())
                .arg(e.actor_user_id)
                .arg(e.subject_user_id)
                .arg(e.ip.clone())
                .arg(e.detail.to_string()),
            )
            .await?;
        Ok(id)
    }

    async fn list_audit(&self, q: &AuditQuery) -> StoreResult<Vec<StoredAuditEntry>> {
        // Absent filters are passed as NULL and switched off in SQL, keeping one statement.
        let rows: Vec<AuditRow> = self
            .fetch_all(
                Sql::new(
                    "SELECT id, at, event, actor_user_id, subject_user_id, ip, detail FROM audit_log \
                     WHERE ($1 IS NULL OR id < $1) \
                       AND ($2 IS NULL OR actor_user_id = $2 OR subject_user_id = $2) \
                       AND ($3 IS NULL OR event = $3) \
                     ORDER BY id DESC LIMIT $4",
                )
                .arg(q.before_id)
                .arg(q.user_id)
                .arg(q.event.clone())
                .arg(i64::from(q.limit)),
            )
            .await?;
        rows.into_iter()
            .map(|r| {
                let detail = serde_json::from_str(&r.detail).map_err(|e| {
                    StoreError::Backend(format!("corrupt audit detail in entry {}: {e}", r.id))
                })?;
                Ok(StoredAuditEntry {
                    id: r.id,
                    at: r.at,
                    event: r.event,
                    actor_user_id: r.actor_user_id.map(UserId::new),
                    subject_user_id: r.subject_user_id.map(UserId::new),
                    ip: r.ip,
                    detail,
                })
            })
            .collect()
    }
}

#[async_trait]
impl Store for SqlStore {
    fn engine(&self) -> &'static str {
        self.engine_kind().name()
    }

    async fn ping(&self) -> StoreResult<()> {
        let (_one,): (i64,) = self.fetch_one(Sql::new("SELECT CAST(1 AS BIGINT)")).await?;
        Ok(())
    }
}
