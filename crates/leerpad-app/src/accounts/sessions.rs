//! Logging in under the throttle, and resolving session cookies and API tokens.

use super::*;
use leerpad_domain::shared::UserId;

impl Accounts {
    /// Check a password under the login throttle. The attempt is counted and the throttle
    /// decides in one atomic step *before* the password is checked (see
    /// `LoginAttemptStore::begin_login_attempt`), so guesses sent at once cannot pass the
    /// limit; a right password takes its count back. Logins and the re-confirmations before a
    /// password change or an account deletion share the same counters.
    pub(super) async fn throttled_password_check(
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
                    (user.map(|u| u.id)).map(UserId::get),
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
                (user.map(|u| u.id)).map(UserId::get),
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
            Some(user.id.get()),
            Some(user.id.get()),
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
        let Some(user) = self.store.user_by_id(session.user_id.get()).await? else {
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
        let Some(user) = self.store.user_by_id(record.user_id.get()).await? else {
            return Ok(None);
        };
        Ok(Some(self.principal_of(&user).await?))
    }
}
