//! Accounts: registration, login with throttling, sessions, API tokens, roles and the audit log.

use crate::error::{AppError, AppResult};
use crate::secret::{self, HashCost};
use leerpad_domain::accounts::audit::{AuditEntry, AuditEvent};
use leerpad_domain::accounts::ports::{
    AccountsStore, ApiTokenRecord, AuditQuery, LoginGate, LoginKeys, NewApiToken, NewUser,
    SessionRecord, StoredAuditEntry, UserRecord,
};
use leerpad_domain::accounts::throttle::{SessionPolicy, ThrottlePolicy};
use leerpad_domain::accounts::{DisplayName, Email, Password, TokenName};
use leerpad_domain::clock::{Clock, UnixTime};
use leerpad_domain::policy::{Access, Action, Principal};
use leerpad_domain::ports::StoreError;
use leerpad_domain::role::{Role, RoleSet};
use serde::Serialize;
use std::sync::{Arc, OnceLock};

/// Prefix of personal API tokens, so secret scanners and people recognise them.
pub const API_TOKEN_PREFIX: &str = "lp_";
/// Sessions are only re-stamped as used when the last stamp is older than this, which saves a
/// write per request while keeping the idle timeout accurate to the minute.
const TOUCH_INTERVAL_SECS: i64 = 60;

/// Tunables of the account use cases.
#[derive(Debug, Clone, Copy, Default)]
pub struct AccountsConfig {
    pub throttle: ThrottlePolicy,
    pub sessions: SessionPolicy,
    pub hash_cost: HashCost,
}

/// The account use cases over a store and a clock.
#[derive(Clone)]
pub struct Accounts {
    store: Arc<dyn AccountsStore>,
    clock: Arc<dyn Clock>,
    config: AccountsConfig,
    dummy_hash: Arc<OnceLock<String>>,
}

/// A new session: the cookie value (shown once, never stored) and its record.
#[derive(Debug, Clone)]
pub struct LoggedIn {
    pub session_token: String,
    pub session: SessionRecord,
    pub principal: Principal,
}

/// A newly created API token; `secret` is shown to its owner once and never again.
#[derive(Debug, Clone, Serialize)]
pub struct IssuedApiToken {
    pub secret: String,
    #[serde(flatten)]
    pub token: ApiTokenRecord,
}

/// An account as an administrator sees it.
#[derive(Debug, Clone, Serialize)]
pub struct AccountView {
    #[serde(flatten)]
    pub user: UserRecord,
    pub roles: RoleSet,
}

/// Reach of the platform, for programme managers.
#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeOverview {
    pub accounts_by_role: Vec<(Role, i64)>,
    pub registered_last_30_days: i64,
}

fn account_key(email: &str) -> String {
    format!("acct:{email}")
}

fn ip_key(ip: &str) -> String {
    format!("ip:{ip}")
}

/// An e-mail address as typed at login, made fit to look up, count and log (never trusted):
/// lower case, without what no valid address has (control characters such as NUL, which
/// PostgreSQL refuses), capped in length.
fn normalise_login_email(email: &str) -> String {
    email
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_control())
        .take(Email::MAX_LEN + 1)
        .collect()
}

impl Accounts {
    pub fn new(
        store: Arc<dyn AccountsStore>,
        clock: Arc<dyn Clock>,
        config: AccountsConfig,
    ) -> Self {
        Accounts {
            store,
            clock,
            config,
            dummy_hash: Arc::new(OnceLock::new()),
        }
    }

    pub fn now(&self) -> UnixTime {
        self.clock.now()
    }

    pub fn config(&self) -> &AccountsConfig {
        &self.config
    }

    async fn audit(
        &self,
        event: AuditEvent,
        actor: Option<i64>,
        subject: Option<i64>,
        ip: Option<&str>,
        detail: serde_json::Value,
    ) -> AppResult<()> {
        let entry = AuditEntry {
            at: self.now(),
            event,
            actor_user_id: actor,
            subject_user_id: subject,
            ip: ip.map(str::to_owned),
            detail,
        };
        self.store.append_audit(&entry).await?;
        Ok(())
    }

    async fn hash(&self, password: Password) -> AppResult<String> {
        let cost = self.config.hash_cost;
        tokio::task::spawn_blocking(move || secret::hash_password(cost, password.expose()))
            .await
            .map_err(|e| AppError::Internal(format!("hashing task: {e}")))?
    }

    async fn verify(&self, password: String, phc: String) -> AppResult<bool> {
        tokio::task::spawn_blocking(move || secret::verify_password(&password, &phc))
            .await
            .map_err(|e| AppError::Internal(format!("verification task: {e}")))
    }

    async fn create_account(
        &self,
        email: &str,
        display_name: &str,
        password: &str,
        locale: &str,
        roles: RoleSet,
    ) -> AppResult<AccountView> {
        let email = Email::parse(email)?;
        let display_name = DisplayName::parse(display_name)?;
        let password = Password::parse(password)?;
        let password_hash = self.hash(password).await?;
        let new = NewUser {
            email: email.as_str().to_owned(),
            display_name: display_name.as_str().to_owned(),
            password_hash,
            locale: locale.to_owned(),
            created_at: self.now(),
        };
        match self.store.create_user(new, &roles).await {
            Ok(user) => Ok(AccountView { user, roles }),
            Err(StoreError::Conflict(_)) => Err(AppError::EmailTaken),
            Err(e) => Err(e.into()),
        }
    }

    /// A person registers themself; they become a learner.
    pub async fn register(
        &self,
        email: &str,
        display_name: &str,
        password: &str,
        locale: &str,
        ip: Option<&str>,
    ) -> AppResult<AccountView> {
        let account = self
            .create_account(
                email,
                display_name,
                password,
                locale,
                RoleSet::new([Role::Learner]),
            )
            .await?;
        self.audit(
            AuditEvent::Registered,
            Some(account.user.id),
            Some(account.user.id),
            ip,
            serde_json::json!({}),
        )
        .await?;
        Ok(account)
    }

    /// An operator creates an account with roles from the command line (e.g. the first admin).
    pub async fn create_user(
        &self,
        email: &str,
        display_name: &str,
        password: &str,
        roles: RoleSet,
    ) -> AppResult<AccountView> {
        let roles = RoleSet::new(roles.iter().chain([Role::Learner]));
        let account = self
            .create_account(email, display_name, password, "nl", roles.clone())
            .await?;
        let names: Vec<&str> = roles.iter().map(Role::as_str).collect();
        self.audit(
            AuditEvent::UserCreated,
            None,
            Some(account.user.id),
            None,
            serde_json::json!({ "roles": names, "via": "cli" }),
        )
        .await?;
        Ok(account)
    }

    async fn principal_of(&self, user: &UserRecord) -> AppResult<Principal> {
        Ok(Principal {
            user_id: user.id,
            email: user.email.clone(),
            roles: self.store.roles_of(user.id).await?,
        })
    }

    /// Check a password under the login throttle. The attempt is counted and the throttle
    /// decides in one atomic step *before* the password is checked (see
    /// `LoginAttemptStore::begin_login_attempt`), so guesses sent at once cannot pass the
    /// limit; a right password takes its count back. Logins and the re-confirmations before a
    /// password change or an account deletion share the same counters.
    async fn throttled_password_check(
        &self,
        email_norm: &str,
        password: &str,
        user: Option<&UserRecord>,
        ip: &str,
    ) -> AppResult<bool> {
        let keys = LoginKeys {
            account: account_key(email_norm),
            ip: ip_key(ip),
        };
        let now = self.now();
        let attempt = match self
            .store
            .begin_login_attempt(&keys, &self.config.throttle, now)
            .await?
        {
            LoginGate::Open(attempt) => attempt,
            LoginGate::Locked { retry_after_secs } => {
                self.audit(
                    AuditEvent::LoginThrottled,
                    None,
                    user.map(|u| u.id),
                    Some(ip),
                    serde_json::json!({ "email": email_norm }),
                )
                .await?;
                return Err(AppError::Throttled { retry_after_secs });
            }
        };
        let phc = match user {
            Some(u) => u.password_hash.clone(),
            None => self
                .dummy_hash
                .get_or_init(|| secret::dummy_hash(self.config.hash_cost))
                .clone(),
        };
        // Overlong input is simply wrong; don't spend hashing work on it.
        let plausible = password.chars().count() <= Password::MAX_LEN;
        let ok = plausible && self.verify(password.to_owned(), phc).await? && user.is_some();
        if ok {
            self.store.login_succeeded(&attempt, self.now()).await?;
        } else {
            self.audit(
                AuditEvent::LoginFailed,
                None,
                user.map(|u| u.id),
                Some(ip),
                serde_json::json!({ "email": email_norm }),
            )
            .await?;
        }
        Ok(ok)
    }

    /// Log in with e-mail address and password, subject to throttling per account and per IP.
    pub async fn login(&self, email: &str, password: &str, ip: &str) -> AppResult<LoggedIn> {
        let email_norm = normalise_login_email(email);
        let user = self.store.user_by_email(&email_norm).await?;
        if !self
            .throttled_password_check(&email_norm, password, user.as_ref(), ip)
            .await?
        {
            return Err(AppError::InvalidCredentials);
        }
        let Some(user) = user else {
            return Err(AppError::InvalidCredentials);
        };
        let now = self.now();
        let session_token = secret::random_token()?;
        let session = SessionRecord {
            token_hash: secret::token_hash(&session_token),
            user_id: user.id,
            csrf_token: secret::random_token()?,
            created_at: now,
            last_seen_at: now,
            expires_at: self.config.sessions.expires_at(now, now),
        };
        self.store.create_session(&session).await?;
        self.audit(
            AuditEvent::Login,
            Some(user.id),
            Some(user.id),
            Some(ip),
            serde_json::json!({}),
        )
        .await?;
        let principal = self.principal_of(&user).await?;
        Ok(LoggedIn {
            session_token,
            session,
            principal,
        })
    }

    /// Resolve a session cookie; expired sessions are removed and yield `None`.
    pub async fn authenticate_session(
        &self,
        session_token: &str,
    ) -> AppResult<Option<(Principal, SessionRecord)>> {
        let hash = secret::token_hash(session_token);
        let Some(mut session) = self.store.session(&hash).await? else {
            return Ok(None);
        };
        let now = self.now();
        if now >= session.expires_at {
            self.store.delete_session(&hash).await?;
            return Ok(None);
        }
        if now - session.last_seen_at >= TOUCH_INTERVAL_SECS {
            session.last_seen_at = now;
            session.expires_at = self.config.sessions.expires_at(session.created_at, now);
            self.store
                .touch_session(&hash, now, session.expires_at)
                .await?;
        }
        let Some(user) = self.store.user_by_id(session.user_id).await? else {
            return Ok(None);
        };
        Ok(Some((self.principal_of(&user).await?, session)))
    }

    /// Resolve a personal API token (`Authorization: Bearer lp_…`).
    pub async fn authenticate_api_token(&self, token: &str) -> AppResult<Option<Principal>> {
        if !token.starts_with(API_TOKEN_PREFIX) {
            return Ok(None);
        }
        let Some(record) = self
            .store
            .api_token_by_hash(&secret::token_hash(token))
            .await?
        else {
            return Ok(None);
        };
        let now = self.now();
        if record.revoked_at.is_some() || record.expires_at.is_some_and(|t| now >= t) {
            return Ok(None);
        }
        if record
            .last_used_at
            .is_none_or(|t| now - t >= TOUCH_INTERVAL_SECS)
        {
            self.store.touch_api_token(record.id, now).await?;
        }
        let Some(user) = self.store.user_by_id(record.user_id).await? else {
            return Ok(None);
        };
        Ok(Some(self.principal_of(&user).await?))
    }

    pub async fn logout(&self, session: &SessionRecord, ip: Option<&str>) -> AppResult<()> {
        self.store.delete_session(&session.token_hash).await?;
        self.audit(
            AuditEvent::Logout,
            Some(session.user_id),
            Some(session.user_id),
            ip,
            serde_json::json!({}),
        )
        .await
    }

    /// Change one's password; every other session of the account ends.
    pub async fn change_password(
        &self,
        principal: &Principal,
        current: &str,
        new: &str,
        keep_session: Option<&SessionRecord>,
        ip: Option<&str>,
    ) -> AppResult<()> {
        principal.authorize(Action::ManageOwnAccount)?;
        let new = Password::parse(new)?;
        let user = self.reauthenticate(principal, current, ip).await?;
        let hash = self.hash(new).await?;
        let now = self.now();
        self.store.set_password_hash(user.id, &hash, now).await?;
        self.store
            .delete_sessions_of(user.id, keep_session.map(|s| s.token_hash.as_str()))
            .await?;
        // Whoever learnt the old password may have made a token with it: those end too.
        let revoked = self.store.revoke_api_tokens_of(user.id, now).await?;
        self.audit(
            AuditEvent::PasswordChanged,
            Some(user.id),
            Some(user.id),
            ip,
            serde_json::json!({ "api_tokens_revoked": revoked }),
        )
        .await
    }

    /// The principal's own account record.
    async fn own_user(&self, principal: &Principal) -> AppResult<UserRecord> {
        principal.authorize(Action::ManageOwnAccount)?;
        self.store
            .user_by_id(principal.user_id)
            .await?
            .ok_or(AppError::NotFound("account"))
    }

    /// The signed-in person's own account, after they typed their password again: for changes
    /// an open session alone must not allow. Wrong passwords here count towards the same
    /// limit as logins, so an open session on a library computer is no way to guess.
    async fn reauthenticate(
        &self,
        principal: &Principal,
        password: &str,
        ip: Option<&str>,
    ) -> AppResult<UserRecord> {
        let user = self.own_user(principal).await?;
        let ip = ip.unwrap_or("unknown");
        if !self
            .throttled_password_check(&user.email, password, Some(&user), ip)
            .await?
        {
            return Err(AppError::InvalidCredentials);
        }
        Ok(user)
    }

    /// Delete one's own account after checking the password again, so a session left open on
    /// a library computer cannot erase someone's record. The audit log keeps an entry with
    /// only the id; scheme awards stay (budget accounting) without the link to the person.
    /// The last administrator cannot leave (checked by the store in the deleting
    /// transaction): nobody could manage the platform after them.
    pub async fn delete_own_account(
        &self,
        principal: &Principal,
        password: &str,
        ip: Option<&str>,
    ) -> AppResult<()> {
        let user = self.reauthenticate(principal, password, ip).await?;
        self.store.delete_user(user.id).await?;
        self.audit(
            AuditEvent::AccountDeleted,
            Some(user.id),
            Some(user.id),
            ip,
            serde_json::json!({}),
        )
        .await?;
        Ok(())
    }

    pub async fn set_locale(&self, principal: &Principal, locale: &str) -> AppResult<()> {
        principal.authorize(Action::ManageOwnAccount)?;
        Ok(self
            .store
            .set_locale(principal.user_id, locale, self.now())
            .await?)
    }

    /// The account of the principal, with roles.
    pub async fn own_account(&self, principal: &Principal) -> AppResult<AccountView> {
        let user = self.own_user(principal).await?;
        Ok(AccountView {
            user,
            roles: principal.roles.clone(),
        })
    }

    /// Create a personal API token, optionally expiring after `valid_days`.
    pub async fn issue_api_token(
        &self,
        principal: &Principal,
        name: &str,
        valid_days: Option<u32>,
        ip: Option<&str>,
    ) -> AppResult<IssuedApiToken> {
        principal.authorize(Action::ManageOwnAccount)?;
        let name = TokenName::parse(name)?;
        let valid_days = leerpad_domain::accounts::token_validity(valid_days)?;
        let secret_token = format!("{API_TOKEN_PREFIX}{}", secret::random_token()?);
        let now = self.now();
        let record = self
            .store
            .create_api_token(NewApiToken {
                user_id: principal.user_id,
                name: name.as_str().to_owned(),
                prefix: secret_token
                    .chars()
                    .take(API_TOKEN_PREFIX.len() + 4)
                    .collect(),
                token_hash: secret::token_hash(&secret_token),
                created_at: now,
                expires_at: valid_days.map(|d| now + i64::from(d) * 86_400),
            })
            .await?;
        self.audit(
            AuditEvent::ApiTokenCreated,
            Some(principal.user_id),
            Some(principal.user_id),
            ip,
            serde_json::json!({ "token_id": record.id, "name": record.name }),
        )
        .await?;
        Ok(IssuedApiToken {
            secret: secret_token,
            token: record,
        })
    }

    pub async fn api_tokens(&self, principal: &Principal) -> AppResult<Vec<ApiTokenRecord>> {
        principal.authorize(Action::ManageOwnAccount)?;
        Ok(self.store.list_api_tokens(principal.user_id).await?)
    }

    pub async fn revoke_api_token(
        &self,
        principal: &Principal,
        token_id: i64,
        ip: Option<&str>,
    ) -> AppResult<()> {
        principal.authorize(Action::ManageOwnAccount)?;
        if !self
            .store
            .revoke_api_token(principal.user_id, token_id, self.now())
            .await?
        {
            return Err(AppError::NotFound("API token"));
        }
        self.audit(
            AuditEvent::ApiTokenRevoked,
            Some(principal.user_id),
            Some(principal.user_id),
            ip,
            serde_json::json!({ "token_id": token_id }),
        )
        .await
    }

    /// Accounts with their roles, for administrators, by id after `after_id`. Listing is access
    /// to personal data (names, addresses), so each page read is audited.
    pub async fn list_accounts(
        &self,
        principal: &Principal,
        after_id: i64,
        limit: u32,
        ip: Option<&str>,
    ) -> AppResult<Vec<AccountView>> {
        principal.authorize(Action::ViewAnyAccount)?;
        let users = self.store.list_users(after_id, limit).await?;
        let mut views = Vec::with_capacity(users.len());
        for user in users {
            let roles = self.store.roles_of(user.id).await?;
            views.push(AccountView { user, roles });
        }
        self.audit(
            AuditEvent::PersonalDataAccessed,
            Some(principal.user_id),
            None,
            ip,
            serde_json::json!({ "what": "account_list", "after_id": after_id, "count": views.len() }),
        )
        .await?;
        Ok(views)
    }

    /// One account's data. Reading someone else's is audited.
    pub async fn account(
        &self,
        principal: &Principal,
        user_id: i64,
        ip: Option<&str>,
    ) -> AppResult<AccountView> {
        let access = principal.authorize_personal_data(user_id)?;
        let user = self
            .store
            .user_by_id(user_id)
            .await?
            .ok_or(AppError::NotFound("account"))?;
        if access == Access::Other {
            self.audit(
                AuditEvent::PersonalDataAccessed,
                Some(principal.user_id),
                Some(user_id),
                ip,
                serde_json::json!({ "what": "account" }),
            )
            .await?;
        }
        let roles = self.store.roles_of(user_id).await?;
        Ok(AccountView { user, roles })
    }

    /// Grant or revoke a role (administrators only); audited when something changed. The last
    /// administrator keeps their role (checked by the store in the same transaction).
    pub async fn set_role(
        &self,
        principal: &Principal,
        user_id: i64,
        role: Role,
        granted: bool,
        ip: Option<&str>,
    ) -> AppResult<bool> {
        principal.authorize(Action::ChangeRoles)?;
        if role == Role::Learner && !granted {
            return Err(AppError::Conflict(
                "every account is a learner: the learner role cannot be removed".into(),
            ));
        }
        if self.store.user_by_id(user_id).await?.is_none() {
            return Err(AppError::NotFound("account"));
        }
        let changed = self
            .store
            .set_role(user_id, role, granted, self.now())
            .await?;
        if changed {
            let event = if granted {
                AuditEvent::RoleGranted
            } else {
                AuditEvent::RoleRevoked
            };
            self.audit(
                event,
                Some(principal.user_id),
                Some(user_id),
                ip,
                serde_json::json!({ "role": role.as_str() }),
            )
            .await?;
        }
        Ok(changed)
    }

    /// Aggregate figures on accounts for programme managers: no personal data.
    pub async fn programme_overview(&self, principal: &Principal) -> AppResult<ProgrammeOverview> {
        principal.authorize(Action::ManageProgrammes)?;
        let since = self.now() - 30 * 86_400;
        Ok(ProgrammeOverview {
            accounts_by_role: self.store.count_by_role().await?,
            registered_last_30_days: self.store.count_registered_since(since).await?,
        })
    }

    /// The audit log, newest first (administrators only).
    pub async fn audit_log(
        &self,
        principal: &Principal,
        query: &AuditQuery,
    ) -> AppResult<Vec<StoredAuditEntry>> {
        principal.authorize(Action::ReadAuditLog)?;
        Ok(self.store.list_audit(query).await?)
    }
}
