//! People's answers for the financing check (their situation) and their awards.

use super::*;

impl Financing {
    /// Check answers before using them.
    pub fn validate_facts(&self, facts: &PersonFacts) -> AppResult<()> {
        let errors = facts.validate(&self.regions, today(self.clock.as_ref()));
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::InvalidFields(errors))
        }
    }

    /// The facts for a check: the answers given, else those saved for the account; for an
    /// account, its earlier awards are always added (a visitor cannot claim none).
    pub async fn facts_for(
        &self,
        principal: Option<&Principal>,
        given: Option<PersonFacts>,
    ) -> AppResult<PersonFacts> {
        let mut facts = match (given, principal) {
            (Some(f), _) => f,
            (None, Some(p)) => self.schemes.situation(p.user_id).await?.unwrap_or_default(),
            (None, None) => PersonFacts::default(),
        };
        self.validate_facts(&facts)?;
        facts.prior_awards = match principal {
            Some(p) => self.schemes.awards_of_user(p.user_id).await?,
            None => Vec::new(),
        };
        Ok(facts)
    }

    /// Keep a person's answers with their account; returns them as stored (earlier awards are
    /// never taken from the person, they come from the awards themselves).
    pub async fn save_situation(
        &self,
        principal: &Principal,
        facts: &PersonFacts,
    ) -> AppResult<PersonFacts> {
        principal.authorize(Action::ManageOwnAccount)?;
        self.validate_facts(facts)?;
        let mut stored = facts.clone();
        stored.prior_awards.clear();
        self.schemes
            .save_situation(principal.user_id, &stored, self.clock.now())
            .await?;
        // A situation that lets the person into a scheme with a yearly deposit brings it now;
        // if that fails, the answers are kept all the same (the account page and the yearly
        // job try again).
        if let Err(e) = self.yearly_deposits_for(principal.user_id).await {
            tracing::warn!(error = %e, "yearly deposits after saving a situation");
        }
        Ok(stored)
    }

    /// The person's own awards (for their data export).
    pub async fn awards(
        &self,
        principal: &Principal,
    ) -> AppResult<Vec<leerpad_domain::financing::PriorAward>> {
        principal.authorize(Action::ManageOwnAccount)?;
        Ok(self.schemes.awards_of_user(principal.user_id).await?)
    }

    pub async fn situation(&self, principal: &Principal) -> AppResult<Option<PersonFacts>> {
        Ok(self.schemes.situation(principal.user_id).await?)
    }
}
