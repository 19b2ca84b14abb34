//! What the account use cases need from storage: accounts and roles, sessions, API tokens,
//! login attempts and the audit log.

use crate::accounts::audit::AuditEntry;
use crate::clock::UnixTime;
use crate::ports::StoreResult;
use crate::role::{Role, RoleSet};
use crate::shared::UserId;
use async_trait::async_trait;
use serde::Serialize;

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRecord {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub locale: String,
    pub created_at: UnixTime,
    pub updated_at: UnixTime,
}

/// Data for a new account; the e-mail address is already normalised and the password hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub locale: String,
    pub created_at: UnixTime,
}

/// A server-side session. The cookie holds a random token; only its hash is stored, so a leaked
/// database does not hand out live sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub token_hash: String,
    pub user_id: UserId,
    /// The synchronizer token forms of this session must echo back.
    pub csrf_token: String,
    pub created_at: UnixTime,
    pub last_seen_at: UnixTime,
    pub expires_at: UnixTime,
}

/// A personal API token for integrations. Like sessions, only the hash of the secret is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiTokenRecord {
    pub id: i64,
    #[serde(skip)]
    pub user_id: UserId,
    pub name: String,
    /// The first characters of the token, so a person can tell their tokens apart.
    pub prefix: String,
    pub created_at: UnixTime,
    pub last_used_at: Option<UnixTime>,
    pub expires_at: Option<UnixTime>,
    pub revoked_at: Option<UnixTime>,
}

#[derive(Debug, Clone)]
pub struct NewApiToken {
    pub user_id: UserId,
    pub name: String,
    pub prefix: String,
    pub token_hash: String,
    pub created_at: UnixTime,
    pub expires_at: Option<UnixTime>,
}

/// An audit entry as stored, with its position in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredAuditEntry {
    pub id: i64,
    pub at: UnixTime,
    pub event: String,
    pub actor_user_id: Option<UserId>,
    pub subject_user_id: Option<UserId>,
    pub ip: Option<String>,
    pub detail: serde_json::Value,
}

/// Which audit entries to read, newest first.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Only entries with an id below this one (the cursor of the previous page).
    pub before_id: Option<i64>,
    /// Only entries whose actor or subject is this account.
    pub user_id: Option<UserId>,
    pub event: Option<String>,
    pub limit: u32,
}

#[async_trait]
pub trait UserStore: Send + Sync {
    /// Create an account holding `roles`; `Conflict` if the e-mail address is taken.
    async fn create_user(&self, user: NewUser, roles: &RoleSet) -> StoreResult<UserRecord>;
    async fn user_by_id(&self, id: i64) -> StoreResult<Option<UserRecord>>;
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>>;
    /// Accounts ordered by id, starting after `after_id`.
    async fn list_users(&self, after_id: UserId, limit: u32) -> StoreResult<Vec<UserRecord>>;
    async fn roles_of(&self, user_id: UserId) -> StoreResult<RoleSet>;
    /// Grant or revoke a role; returns whether anything changed. Revoking the administrator
    /// role of the last administrator is `Refused`, decided in the same transaction.
    async fn set_role(
        &self,
        user_id: UserId,
        role: Role,
        granted: bool,
        at: UnixTime,
    ) -> StoreResult<bool>;
    async fn set_password_hash(&self, user_id: UserId, hash: &str, at: UnixTime)
    -> StoreResult<()>;
    async fn set_locale(&self, user_id: UserId, locale: &str, at: UnixTime) -> StoreResult<()>;
    /// Number of accounts holding each role (roles nobody holds are absent).
    async fn count_by_role(&self) -> StoreResult<Vec<(Role, i64)>>;
    /// Number of accounts created at or after `since`.
    async fn count_registered_since(&self, since: UnixTime) -> StoreResult<i64>;
    /// Remove an account and everything that is only the person's (roles, sessions, tokens,
    /// profile, financing answers). Records others must keep (scheme awards for budget
    /// accounting, scheme revisions, the audit log) stay without the link to the account.
    /// Returns whether the account existed. Deleting the last administrator is `Refused`,
    /// decided in the same transaction (two administrators leaving at once cannot both go).
    async fn delete_user(&self, user_id: UserId) -> StoreResult<bool>;
}

#[async_trait]
pub trait SessionStore: Send + Sync {
    async fn create_session(&self, session: &SessionRecord) -> StoreResult<()>;
    async fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRecord>>;
    async fn touch_session(
        &self,
        token_hash: &str,
        last_seen_at: UnixTime,
        expires_at: UnixTime,
    ) -> StoreResult<()>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// End every session of an account except, optionally, the one in use.
    async fn delete_sessions_of(&self, user_id: UserId, keep: Option<&str>) -> StoreResult<u64>;
    async fn delete_expired_sessions(&self, now: UnixTime) -> StoreResult<u64>;
}

#[async_trait]
pub trait ApiTokenStore: Send + Sync {
    async fn create_api_token(&self, token: NewApiToken) -> StoreResult<ApiTokenRecord>;
    async fn api_token_by_hash(&self, token_hash: &str) -> StoreResult<Option<ApiTokenRecord>>;
    async fn list_api_tokens(&self, user_id: UserId) -> StoreResult<Vec<ApiTokenRecord>>;
    /// Revoke one of `user_id`'s tokens; returns whether a live token was revoked.
    async fn revoke_api_token(
        &self,
        user_id: UserId,
        token_id: i64,
        at: UnixTime,
    ) -> StoreResult<bool>;
    async fn touch_api_token(&self, token_id: i64, at: UnixTime) -> StoreResult<()>;
    /// Revoke every live token of an account (after a password change); returns how many.
    async fn revoke_api_tokens_of(&self, user_id: UserId, at: UnixTime) -> StoreResult<u64>;
}

/// The two counters one password check is charged to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginKeys {
    pub account: String,
    pub ip: String,
}

/// A password check that passed the throttle: it is already counted as a failure, so that
/// checks sent at once are all counted, and is taken back when the password proves right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginAttempt {
    pub keys: LoginKeys,
    /// The failure rows recorded for this attempt (account and address).
    pub failure_ids: Vec<i64>,
}

/// Whether a password may be checked now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginGate {
    Open(LoginAttempt),
    Locked { retry_after_secs: i64 },
}

#[async_trait]
pub trait LoginAttemptStore: Send + Sync {
    /// In one transaction: count the account's and the address's failures in the policy's
    /// window, ask the policy, and when it allows the check record one failure for each key.
    /// Concurrent calls for the same keys are serialised, so N guesses sent at once are counted
    /// one after the other and at most the limit get through.
    async fn begin_login_attempt(
        &self,
        keys: &LoginKeys,
        policy: &crate::accounts::throttle::ThrottlePolicy,
        now: UnixTime,
    ) -> StoreResult<LoginGate>;
    /// The password was right: remove the attempt's failure rows and the account's earlier
    /// failures, and remember that this account signed in from this address.
    async fn login_succeeded(&self, attempt: &LoginAttempt, now: UnixTime) -> StoreResult<()>;
    /// Failures for a key in the window (for tests and dashboards; decisions use
    /// `begin_login_attempt`).
    async fn count_login_failures(&self, key: &str, since: UnixTime) -> StoreResult<i64>;
    /// Forget failures and sign-ins from before `before` (outside every throttling window).
    async fn prune_login_failures(&self, before: UnixTime) -> StoreResult<u64>;
}

#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn append_audit(&self, entry: &AuditEntry) -> StoreResult<i64>;
    async fn list_audit(&self, query: &AuditQuery) -> StoreResult<Vec<StoredAuditEntry>>;
}

/// Everything the account use cases need from storage, as one port.
pub trait AccountsStore:
    UserStore + SessionStore + ApiTokenStore + LoginAttemptStore + AuditStore
{
}

impl<T> AccountsStore for T where
    T: UserStore + SessionStore + ApiTokenStore + LoginAttemptStore + AuditStore
{
}
