//! Personal API tokens for integrations.

use super::*;

impl Accounts {
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
            Some(principal.user_id.get()),
            Some(principal.user_id.get()),
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
            Some(principal.user_id.get()),
            Some(principal.user_id.get()),
            ip,
            serde_json::json!({ "token_id": token_id }),
        )
        .await
    }
}
