//! Providers and offers: the catalogue's port implemented on SQL. The trait impl here only
//! forwards; offers, their import, the change feed, providers and their members each have a file.

mod changes;
mod members;
mod offers;
mod providers;
mod write;

use crate::db::{Arg, Decode, Sql, SqlStore};
use async_trait::async_trait;
use leerpad_domain::catalogue::ports::{
    CatalogueStore, OfferBatches, OfferChange, OfferRevision, SaveSummary,
};
use leerpad_domain::catalogue::{Offer, Provider, ProviderDraft};
use leerpad_domain::clock::UnixTime;
use leerpad_domain::ports::StoreResult;
use leerpad_domain::shared::{OfferId, ProviderId, UserId};

#[async_trait]
impl CatalogueStore for SqlStore {
    async fn save_offers(
        &self,
        batches: &mut dyn OfferBatches,
        at: UnixTime,
    ) -> StoreResult<SaveSummary> {
        write::save_offers(self, batches, at).await
    }

    async fn offer(&self, id: i64) -> StoreResult<Option<Offer>> {
        offers::offer(self, id).await
    }

    async fn offers_by_ids(&self, ids: &[OfferId]) -> StoreResult<Vec<Offer>> {
        offers::offers_by_ids(self, ids).await
    }

    async fn offers_changed_after(
        &self,
        after_seq: i64,
        limit: u32,
    ) -> StoreResult<Vec<(Offer, i64)>> {
        changes::offers_changed_after(self, after_seq, limit).await
    }

    async fn offer_changes(&self, after_seq: i64, limit: u32) -> StoreResult<Vec<OfferChange>> {
        changes::offer_changes(self, after_seq, limit).await
    }

    async fn catalogue_state(&self) -> StoreResult<(i64, i64)> {
        changes::catalogue_state(self).await
    }

    async fn provider(&self, id: i64) -> StoreResult<Option<Provider>> {
        providers::provider(self, id).await
    }

    async fn providers_by_ids(&self, ids: &[ProviderId]) -> StoreResult<Vec<Provider>> {
        providers::providers_by_ids(self, ids).await
    }

    async fn provider_by_kvk(&self, kvk: &str) -> StoreResult<Option<Provider>> {
        providers::provider_by_kvk(self, kvk).await
    }

    async fn provider_member_count(&self, provider_id: ProviderId) -> StoreResult<i64> {
        members::provider_member_count(self, provider_id).await
    }

    async fn upsert_provider(
        &self,
        provider: &ProviderDraft,
        at: UnixTime,
    ) -> StoreResult<Provider> {
        providers::upsert_provider(self, provider, at).await
    }

    async fn provider_of_user(&self, user_id: UserId) -> StoreResult<Option<Provider>> {
        providers::provider_of_user(self, user_id).await
    }

    async fn claim_provider(
        &self,
        user_id: UserId,
        draft: &ProviderDraft,
        may_take_unclaimed: bool,
        at: UnixTime,
    ) -> StoreResult<Provider> {
        members::claim_provider(self, user_id, draft, may_take_unclaimed, at).await
    }

    async fn add_colleague(
        &self,
        member_id: UserId,
        colleague_id: UserId,
    ) -> StoreResult<Provider> {
        members::add_colleague(self, member_id, colleague_id).await
    }

    async fn provider_members(&self, provider_id: ProviderId) -> StoreResult<Vec<UserId>> {
        let rows: Vec<(i64,)> = self
            .fetch_all(
                Sql::new(
                    "SELECT user_id FROM provider_members WHERE provider_id = $1 ORDER BY user_id",
                )
                .arg(provider_id),
            )
            .await?;
        Ok(rows.into_iter().map(|(id,)| UserId::new(id)).collect())
    }

    async fn unverified_providers(&self) -> StoreResult<Vec<Provider>> {
        providers::unverified_providers(self).await
    }

    async fn verify_provider(
        &self,
        provider_id: ProviderId,
        by: UserId,
        at: UnixTime,
    ) -> StoreResult<Option<Provider>> {
        providers::verify_provider(self, provider_id, by, at).await
    }

    async fn offers_of_provider(
        &self,
        provider_id: ProviderId,
        limit: u32,
    ) -> StoreResult<Vec<Offer>> {
        offers::offers_of_provider(self, provider_id, limit).await
    }

    async fn offer_revisions(&self, offer_id: OfferId) -> StoreResult<Vec<OfferRevision>> {
        offers::offer_revisions(self, offer_id).await
    }
}

/// Rows by id, up to 500 ids per statement: `select` is the statement up to its `WHERE`, which
/// is added as `WHERE id IN (…)`. The rows come in the database's order.
async fn rows_by_ids<T: Decode, Id: Copy + Into<Arg>>(
    store: &SqlStore,
    select: &str,
    ids: &[Id],
) -> StoreResult<Vec<T>> {
    let mut rows = Vec::new();
    for chunk in ids.chunks(500) {
        let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let mut sql = Sql::new(format!("{select} WHERE id IN ({})", list.join(", ")));
        for id in chunk {
            sql = sql.arg(*id);
        }
        rows.extend(store.fetch_all::<T>(sql).await?);
    }
    Ok(rows)
}
