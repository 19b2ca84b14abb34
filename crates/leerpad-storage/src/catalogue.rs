//! Providers and offers.

use crate::db::{Engine, Sql, SqlStore, Tx};
use async_trait::async_trait;
use leerpad_domain::catalogue::ports::{
    CatalogueStore, ChangeKind, OfferBatches, OfferChange, OfferOwner, OfferWrite, SaveSummary,
    SavedOffer, WriteOutcome,
};
use leerpad_domain::catalogue::{Accreditation, Offer, OfferContent, Provider, ProviderDraft};
use leerpad_domain::clock::UnixTime;
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::shared::{OfferId, ProviderId, UserId};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// Offers per multi-row statement. Larger statements cost more than they save: SQLite looks
/// up every `$N` placeholder by name.
const BATCH: usize = 50;

#[derive(sqlx::FromRow)]
struct ProviderRow {
    id: i64,
    kvk: String,
    name: String,
    accreditations: String,
    email: Option<String>,
    phone: Option<String>,
    website: Option<String>,
}

impl From<ProviderRow> for Provider {
    fn from(r: ProviderRow) -> Provider {
        Provider {
            id: ProviderId::new(r.id),
            kvk: r.kvk,
            name: r.name,
            accreditations: r
                .accreditations
                .split(',')
                .filter_map(|a| a.parse::<Accreditation>().ok())
                .collect(),
            email: r.email,
            phone: r.phone,
            website: r.website,
        }
    }
}

const PROVIDER_COLUMNS: &str = "id, kvk, name, accreditations, email, phone, website";

#[derive(sqlx::FromRow)]
struct OfferRow {
    id: i64,
    provider_id: i64,
    provider_offer_id: String,
    content: String,
    created_at: i64,
    updated_at: i64,
    change_seq: i64,
}

const OFFER_COLUMNS: &str =
    "id, provider_id, provider_offer_id, content, created_at, updated_at, change_seq";

impl OfferRow {
    fn into_offer(self) -> StoreResult<(Offer, i64)> {
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

fn accreditations_text(p: &ProviderDraft) -> String {
    p.accreditations
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

async fn upsert_provider_in(tx: &mut Tx, p: &ProviderDraft, at: UnixTime) -> StoreResult<Provider> {
    let row: ProviderRow = tx
        .exec()
        .fetch_one(
            Sql::new(format!(
                "INSERT INTO providers (kvk, name, accreditations, email, phone, website, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
                 ON CONFLICT (kvk) DO UPDATE SET name = excluded.name, accreditations = excluded.accreditations, \
                 email = excluded.email, phone = excluded.phone, website = excluded.website, updated_at = excluded.updated_at \
                 RETURNING {PROVIDER_COLUMNS}"
            ))
            .arg(p.kvk.as_str())
            .arg(p.name.as_str())
            .arg(accreditations_text(p))
            .arg(p.email.clone())
            .arg(p.phone.clone())
            .arg(p.website.clone())
            .arg(at),
        )
        .await?;
    Ok(row.into())
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

#[async_trait]
impl CatalogueStore for SqlStore {
    async fn save_offers(
        &self,
        batches: &mut dyn OfferBatches,
        at: UnixTime,
    ) -> StoreResult<SaveSummary> {
        let mut tx = self.begin().await?;
        match self.engine_kind() {
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
                    let saved = upsert_provider_in(&mut tx, p, at).await?;
                    provider_ids.insert(saved.kvk.clone(), saved.id.get());
                }
            }
            let owner_id = |w: &OfferWrite| match &w.owner {
                OfferOwner::Provider(id) => *id,
                OfferOwner::ByKvk(p) => provider_ids.get(p.kvk.as_str()).copied().unwrap_or(0),
            };
            for w in &batch {
                if !seen.insert((owner_id(w), w.provider_offer_id.clone())) {
                    return Err(StoreError::Conflict(format!(
                        "offer '{}' appears twice in one write",
                        w.provider_offer_id
                    )));
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
        if self.engine_kind() == Engine::Sqlite {
            // Back to SQLite's default page cache, so pooled connections stay small.
            tx.exec()
                .execute(Sql::new("PRAGMA cache_size = -2000"))
                .await?;
        }
        tx.commit().await?;
        if self.engine_kind() == Engine::Sqlite && summary.created + summary.updated > 10_000 {
            // A large write leaves a write-ahead log as large as the data; fold it into the
            // database and truncate it rather than keep gigabytes of log on disk.
            self.execute(Sql::new("PRAGMA wal_checkpoint(TRUNCATE)"))
                .await?;
        }
        summary.last_seq = last_seq;
        Ok(summary)
    }

    async fn offer(&self, id: i64) -> StoreResult<Option<Offer>> {
        let row: Option<OfferRow> = self
            .fetch_optional(
                Sql::new(format!("SELECT {OFFER_COLUMNS} FROM offers WHERE id = $1")).arg(id),
            )
            .await?;
        row.map(|r| r.into_offer().map(|(o, _)| o)).transpose()
    }

    async fn offers_by_ids(&self, ids: &[OfferId]) -> StoreResult<Vec<Offer>> {
        let mut found: HashMap<i64, Offer> = HashMap::new();
        for chunk in ids.chunks(500) {
            let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let mut sql = Sql::new(format!(
                "SELECT {OFFER_COLUMNS} FROM offers WHERE id IN ({})",
                list.join(", ")
            ));
            for id in chunk {
                sql = sql.arg(*id);
            }
            let rows: Vec<OfferRow> = self.fetch_all(sql).await?;
            for r in rows {
                let (o, _) = r.into_offer()?;
                found.insert(o.id.get(), o);
            }
        }
        Ok(ids
            .iter()
            .filter_map(|id| found.remove(&id.get()))
            .collect())
    }

    async fn offers_changed_after(
        &self,
        after_seq: i64,
        limit: u32,
    ) -> StoreResult<Vec<(Offer, i64)>> {
        let rows: Vec<OfferRow> = self
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

    async fn offer_changes(&self, after_seq: i64, limit: u32) -> StoreResult<Vec<OfferChange>> {
        let rows: Vec<ChangeRow> = self
            .fetch_all(
                Sql::new(
                    "SELECT id, provider_id, provider_offer_id, status, updated_at, created_seq, change_seq \
                     FROM offers WHERE change_seq > $1 AND status <> 'draft' \
                     ORDER BY change_seq LIMIT $2",
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

    async fn catalogue_state(&self) -> StoreResult<(i64, i64)> {
        self.fetch_one(Sql::new(
            "SELECT COALESCE(MAX(change_seq), 0), COUNT(*) FROM offers",
        ))
        .await
    }

    async fn provider(&self, id: i64) -> StoreResult<Option<Provider>> {
        let row: Option<ProviderRow> = self
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {PROVIDER_COLUMNS} FROM providers WHERE id = $1"
                ))
                .arg(id),
            )
            .await?;
        Ok(row.map(Into::into))
    }

    async fn providers_by_ids(&self, ids: &[ProviderId]) -> StoreResult<Vec<Provider>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let mut sql = Sql::new(format!(
                "SELECT {PROVIDER_COLUMNS} FROM providers WHERE id IN ({})",
                list.join(", ")
            ));
            for id in chunk {
                sql = sql.arg(*id);
            }
            let rows: Vec<ProviderRow> = self.fetch_all(sql).await?;
            out.extend(rows.into_iter().map(Provider::from));
        }
        Ok(out)
    }

    async fn provider_by_kvk(&self, kvk: &str) -> StoreResult<Option<Provider>> {
        let row: Option<ProviderRow> = self
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {PROVIDER_COLUMNS} FROM providers WHERE kvk = $1"
                ))
                .arg(kvk),
            )
            .await?;
        Ok(row.map(Into::into))
    }

    async fn provider_member_count(&self, provider_id: ProviderId) -> StoreResult<i64> {
        let (n,): (i64,) = self
            .fetch_one(
                Sql::new("SELECT COUNT(*) FROM provider_members WHERE provider_id = $1")
                    .arg(provider_id),
            )
            .await?;
        Ok(n)
    }

    async fn upsert_provider(
        &self,
        provider: &ProviderDraft,
        at: UnixTime,
    ) -> StoreResult<Provider> {
        let mut tx = self.begin().await?;
        let saved = upsert_provider_in(&mut tx, provider, at).await?;
        tx.commit().await?;
        Ok(saved)
    }

    async fn provider_of_user(&self, user_id: UserId) -> StoreResult<Option<Provider>> {
        let row: Option<ProviderRow> = self.fetch_optional(provider_of_user_sql(user_id)).await?;
        Ok(row.map(Into::into))
    }

    async fn claim_provider(
        &self,
        user_id: UserId,
        draft: &ProviderDraft,
        may_take_unclaimed: bool,
        at: UnixTime,
    ) -> StoreResult<Provider> {
        let mut tx = self.begin().await?;
        // One claim per account at a time, and one per KvK number: both decided below.
        tx.lock_keys(&[
            &format!("account:{user_id}"),
            &format!("kvk:{}", draft.kvk.as_str()),
        ])
        .await?;
        let mine: Option<ProviderRow> = tx
            .exec()
            .fetch_optional(provider_of_user_sql(user_id))
            .await?;
        let existing: Option<ProviderRow> = tx
            .exec()
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {PROVIDER_COLUMNS} FROM providers WHERE kvk = $1"
                ))
                .arg(draft.kvk.as_str()),
            )
            .await?;
        match (&mine, &existing) {
            (Some(m), _) if m.kvk != draft.kvk.as_str() => {
                return Err(StoreError::Refused(format!(
                    "this account acts for KvK {}; another organisation needs another account",
                    m.kvk
                )));
            }
            (None, Some(e)) => {
                let (members,): (i64,) = tx
                    .exec()
                    .fetch_one(
                        Sql::new("SELECT COUNT(*) FROM provider_members WHERE provider_id = $1")
                            .arg(e.id),
                    )
                    .await?;
                if members > 0 {
                    // The claim is refused, but kept as a request a member can accept.
                    tx.exec()
                        .execute(
                            Sql::new(
                                "INSERT INTO provider_join_requests (user_id, provider_id, at) \
                                 VALUES ($1, $2, $3) ON CONFLICT (user_id, provider_id) DO NOTHING",
                            )
                            .arg(user_id)
                            .arg(e.id)
                            .arg(at),
                        )
                        .await?;
                    tx.commit().await?;
                    return Err(StoreError::Refused(format!(
                        "KvK {} is already registered by another account; your request to join \
                         is kept, and a colleague who acts for the organisation can accept it",
                        e.kvk
                    )));
                }
                if !may_take_unclaimed {
                    return Err(StoreError::Refused(format!(
                        "KvK {} is already registered; ask an administrator to verify that you act for it",
                        e.kvk
                    )));
                }
            }
            _ => {}
        }
        let saved = upsert_provider_in(&mut tx, draft, at).await?;
        if mine.is_none() {
            add_member(&mut tx, user_id, saved.id).await?;
        }
        tx.commit().await?;
        Ok(saved)
    }

    async fn add_colleague(
        &self,
        member_id: UserId,
        colleague_id: UserId,
    ) -> StoreResult<Provider> {
        let mut tx = self.begin().await?;
        tx.lock_keys(&[
            &format!("account:{member_id}"),
            &format!("account:{colleague_id}"),
        ])
        .await?;
        let Some(provider) = tx
            .exec()
            .fetch_optional::<ProviderRow>(provider_of_user_sql(member_id))
            .await?
        else {
            return Err(StoreError::Refused(
                "your account acts for no organisation yet".into(),
            ));
        };
        let theirs: Option<ProviderRow> = tx
            .exec()
            .fetch_optional(provider_of_user_sql(colleague_id))
            .await?;
        match theirs {
            Some(p) if p.id == provider.id => {}
            Some(_) => {
                return Err(StoreError::Refused(
                    "that account already acts for another organisation".into(),
                ));
            }
            None => {
                let asked = tx
                    .exec()
                    .execute(
                        Sql::new(
                            "DELETE FROM provider_join_requests WHERE user_id = $1 AND provider_id = $2",
                        )
                        .arg(colleague_id)
                        .arg(provider.id),
                    )
                    .await?;
                if asked == 0 {
                    return Err(StoreError::Refused(
                        "that account has not asked to act for your organisation: it asks by \
                         registering your KvK number"
                            .into(),
                    ));
                }
                add_member(&mut tx, colleague_id, ProviderId::new(provider.id)).await?;
            }
        }
        tx.commit().await?;
        Ok(provider.into())
    }
}

async fn add_member(tx: &mut Tx, user_id: UserId, provider_id: ProviderId) -> StoreResult<()> {
    tx.exec()
        .execute(
            Sql::new("INSERT INTO provider_members (user_id, provider_id) VALUES ($1, $2)")
                .arg(user_id)
                .arg(provider_id),
        )
        .await
        .map(drop)
}

/// The organisation an account acts for (the first, should an old database hold several).
fn provider_of_user_sql(user_id: UserId) -> Sql {
    Sql::new(format!(
        "SELECT {} FROM providers p JOIN provider_members m ON m.provider_id = p.id \
         WHERE m.user_id = $1 ORDER BY p.id LIMIT 1",
        PROVIDER_COLUMNS
            .split(", ")
            .map(|c| format!("p.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
    .arg(user_id)
}
