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
use leerpad_domain::shared::UserId;
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

mod admin;
mod own;
pub use own::DataAccess;
mod sessions;
mod tokens;

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
            actor_user_id: actor.map(UserId::new),
            subject_user_id: subject.map(UserId::new),
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
            Some(account.user.id.get()),
            Some(account.user.id.get()),
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
            Some(account.user.id.get()),
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
}
