//! Saving offers in batches: providers named by KvK number upserted once, offers written in
//! multi-row statements with a content hash so unchanged ones are left alone, and every write
//! numbered for the change feed.

use super::providers::upsert_provider_in;
use crate::db::{Engine, Sql, SqlStore, Tx};
use leerpad_domain::catalogue::OfferContent;
use leerpad_domain::catalogue::ports::{
    OfferBatches, OfferOwner, OfferWrite, SaveSummary, SavedOffer, WriteOutcome,
};
use leerpad_domain::clock::UnixTime;
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::shared::{OfferId, ProviderId};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// Offers per multi-row statement. Larger statements cost more than they save: SQLite looks
/// up every `$N` placeholder by name.
const BATCH: usize = 50;

#[derive(sqlx::FromRow)]
struct WrittenRow {
    id: i64,
    provider_id: i64,
    provider_offer_id: String,
    created_seq: i64,
    change_seq: i64,
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    id: i64,
    provider_id: i64,
    provider_offer_id: String,
}

fn placeholders(rows: usize, per_row: usize, first: usize) -> String {
    (0..rows)
        .map(|r| {
            let cols: Vec<String> = (0..per_row)
                .map(|c| format!("${}", first + r * per_row + c))
                .collect();
            format!("({})", cols.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A content hash, so re-importing an unchanged offer writes nothing.
fn content_hash(json: &str) -> String {
    let digest = Sha256::digest(json.as_bytes());
    digest.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// The title shown in lists and reports: Dutch, else English.
fn display_title(c: &OfferContent) -> &str {
    c.title.get("nl")
}

/// Write one chunk of offers (keys already resolved) with one statement: new offers are
/// inserted, changed ones updated, unchanged ones (same content hash) left alone. Every offer
/// is offered the next change number; unchanged ones leave a gap, which the change feed does
/// not mind.
async fn write_chunk(
    tx: &mut Tx,
    chunk: &[OfferWrite],
    keys: &[(i64, &str)],
    next_seq: &mut i64,
    last_seq: &mut i64,
    at: UnixTime,
) -> StoreResult<Vec<SavedOffer>> {
    let mut sql = Sql::new(format!(
        "INSERT INTO offers (provider_id, provider_offer_id, status, title, content, content_hash, \
         created_at, updated_at, created_seq, change_seq) VALUES {} \
         ON CONFLICT (provider_id, provider_offer_id) DO UPDATE SET status = excluded.status, \
         title = excluded.title, content = excluded.content, content_hash = excluded.content_hash, \
         updated_at = excluded.updated_at, change_seq = excluded.change_seq \
         WHERE offers.content_hash <> excluded.content_hash \
         RETURNING id, provider_id, provider_offer_id, created_seq, change_seq",
        placeholders(chunk.len(), 10, 1)
    ));
    for (w, (provider_id, offer_id)) in chunk.iter().zip(keys) {
        let json = serde_json::to_string(&w.content)
            .map_err(|e| StoreError::Backend(format!("encoding offer: {e}")))?;
        let hash = content_hash(&json);
        *next_seq += 1;
        sql = sql
            .arg(*provider_id)
            .arg(*offer_id)
            .arg(w.content.status.as_str())
            .arg(display_title(&w.content))
            .arg(json)
            .arg(hash)
            .arg(at)
            .arg(at)
            .arg(*next_seq)
            .arg(*next_seq);
    }
    let written: Vec<WrittenRow> = tx.exec().fetch_all(sql).await?;
    let mut found: HashMap<(i64, String), (i64, WriteOutcome)> = written
        .into_iter()
        .map(|r| {
            *last_seq = (*last_seq).max(r.change_seq);
            let outcome = if r.created_seq == r.change_seq {
                WriteOutcome::Created
            } else {
                WriteOutcome::Updated
            };
            ((r.provider_id, r.provider_offer_id), (r.id, outcome))
        })
        .collect();
    // Unchanged offers were not returned: look up their ids.
    let missing: Vec<(i64, &str)> = keys
        .iter()
        .filter(|(p, o)| !found.contains_key(&(*p, (*o).to_owned())))
        .copied()
        .collect();
    if !missing.is_empty() {
        let mut sql = Sql::new(format!(
            "SELECT id, provider_id, provider_offer_id FROM offers \
             WHERE (provider_id, provider_offer_id) IN (VALUES {})",
            placeholders(missing.len(), 2, 1)
        ));
        for (p, o) in &missing {
            sql = sql.arg(*p).arg(*o);
        }
        let rows: Vec<KeyRow> = tx.exec().fetch_all(sql).await?;
        found.extend(rows.into_iter().map(|r| {
            (
                (r.provider_id, r.provider_offer_id),
                (r.id, WriteOutcome::Unchanged),
            )
        }));
    }
    keys.iter()
        .map(|(p, o)| {
            let (offer_id, outcome) = found
                .get(&(*p, (*o).to_owned()))
                .copied()
                .ok_or_else(|| StoreError::Backend(format!("offer '{o}' was not written")))?;
            Ok(SavedOffer {
                offer_id: OfferId::new(offer_id),
                provider_id: ProviderId::new(*p),
                outcome,
            })
        })
        .collect()
}

pub(super) async fn save_offers(
    store: &SqlStore,
    batches: &mut dyn OfferBatches,
    at: UnixTime,
) -> StoreResult<SaveSummary> {
    let mut tx = store.begin().await?;
    match store.engine_kind() {
        Engine::Postgres => {
            // Writers take change numbers one after another, so the change feed never shows
            // a number before an earlier one has committed.
            tx.exec()
                .execute(Sql::new("SELECT pg_advisory_xact_lock(7410001)"))
                .await?;
        }
        Engine::Sqlite => {
            // A large page cache for this write keeps a big import's index pages in memory
            // (the default is 2 MB); it is set back before the commit.
            tx.exec()
                .execute(Sql::new("PRAGMA cache_size = -262144"))
                .await?;
        }
    }
    let (max_seq,): (i64,) = tx
        .exec()
        .fetch_one(Sql::new("SELECT COALESCE(MAX(change_seq), 0) FROM offers"))
        .await?;
    let mut next_seq = max_seq;
    let mut last_seq = 0;
    let mut summary = SaveSummary::default();
    let mut provider_ids: HashMap<String, i64> = HashMap::new();
    let mut seen: HashSet<(i64, String)> = HashSet::new();
    while let Some(batch) = batches.next_batch() {
        // Providers named by KvK number, once each.
        for w in &batch {
            if let OfferOwner::ByKvk(p) = &w.owner
                && !provider_ids.contains_key(p.kvk.as_str())
            {
                let saved = upsert_provider_in(&mut tx, p, true, at).await?;
                provider_ids.insert(saved.kvk.clone(), saved.id.get());
            }
        }
        let owner_id = |w: &OfferWrite| match &w.owner {
            OfferOwner::Provider(id) => *id,
            OfferOwner::ByKvk(p) => provider_ids.get(p.kvk.as_str()).copied().unwrap_or(0),
        };
        for w in &batch {
            if !seen.insert((owner_id(w), w.provider_offer_id.clone())) {
                return tx
                    .fail(StoreError::Conflict(format!(
                        "offer '{}' appears twice in one write",
                        w.provider_offer_id
                    )))
                    .await;
            }
        }
        let mut saved = Vec::with_capacity(batch.len());
        for chunk in batch.chunks(BATCH) {
            let keys: Vec<(i64, &str)> = chunk
                .iter()
                .map(|w| (owner_id(w), w.provider_offer_id.as_str()))
                .collect();
            saved.extend(
                write_chunk(&mut tx, chunk, &keys, &mut next_seq, &mut last_seq, at).await?,
            );
        }
        record_revisions(&mut tx, &batch, &saved).await?;
        for s in &saved {
            match s.outcome {
                WriteOutcome::Created => summary.created += 1,
                WriteOutcome::Updated => summary.updated += 1,
                WriteOutcome::Unchanged => summary.unchanged += 1,
            }
        }
        batches
            .written(&batch, &saved)
            .map_err(|e| StoreError::Backend(format!("import aborted: {e}")))?;
    }
    batches
        .finish()
        .map_err(|e| StoreError::Backend(format!("import aborted: {e}")))?;
    if store.engine_kind() == Engine::Sqlite {
        // Back to SQLite's default page cache, so pooled connections stay small.
        tx.exec()
            .execute(Sql::new("PRAGMA cache_size = -2000"))
            .await?;
    }
    tx.commit().await?;
    if store.engine_kind() == Engine::Sqlite && summary.created + summary.updated > 10_000 {
        // A large write leaves a write-ahead log as large as the data; fold it into the
        // database and truncate it rather than keep gigabytes of log on disk.
        store
            .execute(Sql::new("PRAGMA wal_checkpoint(TRUNCATE)"))
            .await?;
    }
    summary.last_seq = last_seq;
    Ok(summary)
}

/// Keep the version of each offer a provider wrote itself (created or changed), for its history.
async fn record_revisions(
    tx: &mut Tx,
    batch: &[OfferWrite],
    saved: &[SavedOffer],
) -> StoreResult<()> {
    let ids: Vec<i64> = batch
        .iter()
        .zip(saved)
        .filter(|(w, s)| {
            matches!(w.owner, OfferOwner::Provider(_)) && s.outcome != WriteOutcome::Unchanged
        })
        .map(|(_, s)| s.offer_id.get())
        .collect();
    for chunk in ids.chunks(500) {
        let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let mut sql = Sql::new(format!(
            "INSERT INTO offer_revisions (offer_id, change_seq, at, content) \
             SELECT id, change_seq, updated_at, content FROM offers WHERE id IN ({})",
            list.join(", ")
        ));
        for id in chunk {
            sql = sql.arg(*id);
        }
        tx.exec().execute(sql).await?;
    }
    Ok(())
}
