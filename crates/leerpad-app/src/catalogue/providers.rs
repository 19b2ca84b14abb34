//! Provider organisations: registering, joining, and the change feed consumers follow.

use super::*;
use leerpad_domain::catalogue::Accreditation;
use leerpad_domain::shared::ProviderId;

/// The provider organisation the caller acts for, for any use case holding the catalogue port
/// (enrolments, calls): providers only; `NoProvider` when the account acts for none yet.
pub async fn own_provider_in(
    offers: &dyn CatalogueStore,
    principal: &Principal,
) -> AppResult<Provider> {
    principal.authorize(Action::ManageOwnOffers)?;
    offers
        .provider_of_user(principal.user_id)
        .await?
        .ok_or(AppError::NoProvider)
}

impl Catalogue {
    /// The provider organisation the caller acts for.
    pub async fn own_provider(&self, principal: &Principal) -> AppResult<Provider> {
        own_provider_in(self.offers.as_ref(), principal).await
    }

    /// Register (or update) the organisation a provider account acts for. A KvK number that is
    /// already registered to another account cannot be claimed: a colleague who acts for it
    /// adds the account (`add_colleague`). Decided by the store in one transaction, so of
    /// several accounts claiming one KvK number at once exactly one wins (the rest get 409).
    pub async fn register_provider(
        &self,
        principal: &Principal,
        input: &leerpad_domain::catalogue::ProviderInput,
    ) -> AppResult<Provider> {
        principal.authorize(Action::ManageOwnOffers)?;
        let draft =
            leerpad_domain::catalogue::validate_provider(input).map_err(AppError::InvalidFields)?;
        let admin = principal.roles.contains(leerpad_domain::role::Role::Admin);
        Ok(self
            .offers
            .claim_provider(principal.user_id, &draft, admin, self.clock.now())
            .await?)
    }

    /// A member of a provider organisation lets a colleague's provider account act for it too:
    /// joining an organisation needs the consent of someone who already acts for it.
    pub async fn add_colleague(
        &self,
        principal: &Principal,
        colleague_email: &str,
    ) -> AppResult<Provider> {
        principal.authorize(Action::ManageOwnOffers)?;
        let email = leerpad_domain::accounts::Email::parse(colleague_email)?;
        let colleague = self
            .users
            .user_by_email(email.as_str())
            .await?
            .ok_or(AppError::NotFound("account"))?;
        let roles = self.users.roles_of(colleague.id).await?;
        if !roles.contains(leerpad_domain::role::Role::Provider) {
            return Err(AppError::Conflict(
                "that account is not a provider account".into(),
            ));
        }
        Ok(self
            .offers
            .add_colleague(principal.user_id, colleague.id)
            .await?)
    }

    /// The change feed: the latest change of each offer after `since`, oldest first.
    pub async fn changes(&self, since: i64, limit: u32) -> AppResult<Vec<OfferChange>> {
        Ok(self.offers.offer_changes(since, limit).await?)
    }
}

/// The accreditations of the providers of `offers`, by provider: financing and planning both
/// need them to decide which schemes an offer qualifies for.
pub(crate) async fn accreditations_of(
    store: &dyn CatalogueStore,
    offers: &[Offer],
) -> AppResult<HashMap<ProviderId, Vec<Accreditation>>> {
    let mut provider_ids: Vec<ProviderId> = offers.iter().map(|o| o.provider_id).collect();
    provider_ids.sort_unstable();
    provider_ids.dedup();
    Ok(store
        .providers_by_ids(&provider_ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p.accreditations))
        .collect())
}
