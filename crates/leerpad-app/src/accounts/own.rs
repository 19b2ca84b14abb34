//! One's own account: logging out, changing the password, deleting the account, language.

use super::*;

impl Accounts {
    pub async fn logout(&self, session: &SessionRecord, ip: Option<&str>) -> AppResult<()> {
        self.store.delete_session(&session.token_hash).await?;
        self.audit(
            AuditEvent::Logout,
            Some(session.user_id.get()),
            Some(session.user_id.get()),
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
            Some(user.id.get()),
            Some(user.id.get()),
            ip,
            serde_json::json!({ "api_tokens_revoked": revoked }),
        )
        .await
    }

    /// The principal's own account record.
    async fn own_user(&self, principal: &Principal) -> AppResult<UserRecord> {
        principal.authorize(Action::ManageOwnAccount)?;
        self.store
            .user_by_id(principal.user_id.get())
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
            Some(user.id.get()),
            Some(user.id.get()),
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
}

/// One time someone else read the person's data.
#[derive(Debug, Clone)]
pub struct DataAccess {
    pub at: leerpad_domain::UnixTime,
    /// Who read it: their name and e-mail address, or that the account is gone.
    pub by: Option<(String, String)>,
    /// What was read (`skills_profile`, `account`, …).
    pub what: String,
}

impl Accounts {
    /// Who read the person's data and when: every audited access by someone else.
    pub async fn access_log(&self, principal: &Principal) -> AppResult<Vec<DataAccess>> {
        principal.authorize(Action::ManageOwnAccount)?;
        let entries = self
            .store
            .list_audit(&leerpad_domain::accounts::ports::AuditQuery {
                before_id: None,
                user_id: Some(principal.user_id),
                event: Some("personal_data_accessed".to_owned()),
                limit: 500,
            })
            .await?;
        let mut out = Vec::new();
        for e in entries.into_iter().filter(|e| {
            e.subject_user_id == Some(principal.user_id)
                && e.actor_user_id != Some(principal.user_id)
        }) {
            let by = match e.actor_user_id {
                Some(actor) => self
                    .store
                    .user_by_id(actor.get())
                    .await?
                    .map(|u| (u.display_name, u.email)),
                None => None,
            };
            out.push(DataAccess {
                at: e.at,
                by,
                what: e.detail["what"].as_str().unwrap_or_default().to_owned(),
            });
        }
        Ok(out)
    }
}
