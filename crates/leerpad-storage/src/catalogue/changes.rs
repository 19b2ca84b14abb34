//! The change feed: offers changed after a change number, the changes themselves (created,
//! updated, archived) and the catalogue's last number and size.

use super::offers::{OFFER_COLUMNS, OfferRow};
use crate::db::{Sql, SqlStore};
use leerpad_domain::catalogue::Offer;
use leerpad_domain::catalogue::ports::{ChangeKind, OfferChange};
use leerpad_domain::ports::StoreResult;
use leerpad_domain::shared::{OfferId, ProviderId};

#[derive(sqlx::FromRow)]
struct ChangeRow {
    id: i64,
    provider_id: i64,
    provider_offer_id: String,
    status: String,
    updated_at: i64,
    created_seq: i64,
    change_seq: i64,
}

pub(super) async fn offers_changed_after(
    store: &SqlStore,
    after_seq: i64,
    limit: u32,
) -> StoreResult<Vec<(Offer, i64)>> {
    let rows: Vec<OfferRow> = store
        .fetch_all(
            Sql::new(format!(
                "SELECT {OFFER_COLUMNS} FROM offers WHERE change_seq > $1 ORDER BY change_seq LIMIT $2"
            ))
            .arg(after_seq)
            .arg(i64::from(limit)),
        )
        .await?;
    rows.into_iter().map(OfferRow::into_offer).collect()
}

pub(super) async fn offer_changes(
    store: &SqlStore,
    after_seq: i64,
    limit: u32,
) -> StoreResult<Vec<OfferChange>> {
    let rows: Vec<ChangeRow> = store
        .fetch_all(
            Sql::new(
                "SELECT o.id, o.provider_id, o.provider_offer_id, o.status, o.updated_at, o.created_seq, \
                 o.change_seq FROM offers o JOIN providers p ON p.id = o.provider_id \
                 WHERE o.change_seq > $1 AND o.status <> 'draft' AND p.verified_at IS NOT NULL \
                 ORDER BY o.change_seq LIMIT $2",
            )
            .arg(after_seq)
            .arg(i64::from(limit)),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| OfferChange {
            seq: r.change_seq,
            offer_id: OfferId::new(r.id),
            provider_id: ProviderId::new(r.provider_id),
            provider_offer_id: r.provider_offer_id,
            kind: if r.status == "archived" {
                ChangeKind::Archived
            } else if r.created_seq == r.change_seq {
                ChangeKind::Created
            } else {
                ChangeKind::Updated
            },
            at: r.updated_at,
        })
        .collect())
}

pub(super) async fn catalogue_state(store: &SqlStore) -> StoreResult<(i64, i64)> {
    store
        .fetch_one(Sql::new(
            "SELECT COALESCE(MAX(change_seq), 0), COUNT(*) FROM offers",
        ))
        .await
}
