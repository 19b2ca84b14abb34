//! Offers read back: the stored row, its decoding into an [`Offer`], and look-ups by id.

use super::rows_by_ids;
use crate::db::{Sql, SqlStore};
use leerpad_domain::catalogue::ports::OfferRevision;
use leerpad_domain::catalogue::{Offer, OfferContent};
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::shared::{OfferId, ProviderId};
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
pub(super) struct OfferRow {
    id: i64,
    provider_id: i64,
    provider_offer_id: String,
    content: String,
    created_at: i64,
    updated_at: i64,
    change_seq: i64,
}

pub(super) const OFFER_COLUMNS: &str =
    "id, provider_id, provider_offer_id, content, created_at, updated_at, change_seq";

impl OfferRow {
    pub(super) fn into_offer(self) -> StoreResult<(Offer, i64)> {
        let content: OfferContent = serde_json::from_str(&self.content).map_err(|e| {
            StoreError::Backend(format!("offer {}: stored content unreadable: {e}", self.id))
        })?;
        Ok((
            Offer {
                id: OfferId::new(self.id),
                provider_id: ProviderId::new(self.provider_id),
                provider_offer_id: self.provider_offer_id,
                content,
                created_at: self.created_at,
                updated_at: self.updated_at,
            },
            self.change_seq,
        ))
    }
}

pub(super) async fn offer(store: &SqlStore, id: i64) -> StoreResult<Option<Offer>> {
    let row: Option<OfferRow> = store
        .fetch_optional(
            Sql::new(format!("SELECT {OFFER_COLUMNS} FROM offers WHERE id = $1")).arg(id),
        )
        .await?;
    row.map(|r| r.into_offer().map(|(o, _)| o)).transpose()
}

pub(super) async fn offers_by_ids(store: &SqlStore, ids: &[OfferId]) -> StoreResult<Vec<Offer>> {
    let rows: Vec<OfferRow> =
        rows_by_ids(store, &format!("SELECT {OFFER_COLUMNS} FROM offers"), ids).await?;
    let mut found: HashMap<i64, Offer> = HashMap::new();
    for r in rows {
        let (o, _) = r.into_offer()?;
        found.insert(o.id.get(), o);
    }
    Ok(ids
        .iter()
        .filter_map(|id| found.remove(&id.get()))
        .collect())
}

pub(super) async fn offers_of_provider(
    store: &SqlStore,
    provider_id: ProviderId,
    limit: u32,
) -> StoreResult<Vec<Offer>> {
    let rows: Vec<OfferRow> = store
        .fetch_all(
            Sql::new(format!(
                "SELECT {OFFER_COLUMNS} FROM offers WHERE provider_id = $1 ORDER BY title, id LIMIT $2"
            ))
            .arg(provider_id)
            .arg(i64::from(limit)),
        )
        .await?;
    rows.into_iter()
        .map(|r| r.into_offer().map(|(o, _)| o))
        .collect()
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    offer_id: i64,
    change_seq: i64,
    at: i64,
    content: String,
}

pub(super) async fn offer_revisions(
    store: &SqlStore,
    offer_id: OfferId,
) -> StoreResult<Vec<OfferRevision>> {
    let rows: Vec<RevisionRow> = store
        .fetch_all(
            Sql::new(
                "SELECT offer_id, change_seq, at, content FROM offer_revisions \
                 WHERE offer_id = $1 ORDER BY change_seq DESC",
            )
            .arg(offer_id),
        )
        .await?;
    rows.into_iter()
        .map(|r| {
            let content: OfferContent = serde_json::from_str(&r.content).map_err(|e| {
                StoreError::Backend(format!(
                    "offer {} version {}: stored content unreadable: {e}",
                    r.offer_id, r.change_seq
                ))
            })?;
            Ok(OfferRevision {
                seq: r.change_seq,
                at: r.at,
                content,
            })
        })
        .collect()
}
