//! Administration: accounts and roles, programme figures and the audit log.

use super::*;
use leerpad_domain::shared::UserId;

impl Accounts {
    /// Accounts with their roles, for administrators, by id after `after_id`. Listing is access
    /// to personal data (names, addresses), so each page read is audited.
    pub async fn list_accounts(
        &self,
        principal: &Principal,
        after_id: UserId,
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
            Some(principal.user_id.get()),
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
        user_id: UserId,
        ip: Option<&str>,
    ) -> AppResult<AccountView> {
        let access = principal.authorize_personal_data(user_id)?;
        let user = self
            .store
            .user_by_id(user_id.get())
            .await?
            .ok_or(AppError::NotFound("account"))?;
        if access == Access::Other {
            self.audit(
                AuditEvent::PersonalDataAccessed,
                Some(principal.user_id.get()),
                Some(user_id.get()),
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
        user_id: UserId,
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
        if self.store.user_by_id(user_id.get()).await?.is_none() {
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
                Some(principal.user_id.get()),
                Some(user_id.get()),
                ip,
                serde_json::json!({ "role": role.as_str() }),
            )
            .await?;
        }
        Ok(changed)
    }

    /// Someone signed in says they publish training: their account gets the provider role, so
    /// they can register their organisation. Nothing is published before a programme manager
    /// verifies that organisation, so no one else needs to approve this step. Audited.
    pub async fn become_provider(&self, principal: &Principal, ip: Option<&str>) -> AppResult<()> {
        self.take_role(principal, Role::Provider, ip).await
    }

    /// Someone signed in says they employ people: their account gets the employer role, so
    /// they can keep their company's profile and exchange staff. Audited.
    pub async fn become_employer(&self, principal: &Principal, ip: Option<&str>) -> AppResult<()> {
        self.take_role(principal, Role::Employer, ip).await
    }

    /// A role anyone may take for themselves (provider, employer): what it unlocks is checked
    /// where it matters (a provider's organisation is verified before anything is published).
    async fn take_role(
        &self,
        principal: &Principal,
        role: Role,
        ip: Option<&str>,
    ) -> AppResult<()> {
        principal.authorize(Action::ManageOwnAccount)?;
        let changed = self
            .store
            .set_role(principal.user_id, role, true, self.now())
            .await?;
        if changed {
            self.audit(
                AuditEvent::RoleGranted,
                Some(principal.user_id.get()),
                Some(principal.user_id.get()),
                ip,
                serde_json::json!({ "role": role.as_str(), "self_service": true }),
            )
            .await?;
        }
        Ok(())
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
