//! Providers: the stored row, look-ups by id, KvK number and member, and the upsert that
//! registrations and imports share.

use super::rows_by_ids;
use crate::db::{Engine, Sql, SqlStore, Tx};
use leerpad_domain::catalogue::{Accreditation, Provider, ProviderDraft};
use leerpad_domain::clock::UnixTime;
use leerpad_domain::ports::StoreResult;
use leerpad_domain::shared::{ProviderId, UserId};

#[derive(sqlx::FromRow)]
pub(super) struct ProviderRow {
    pub(super) id: i64,
    pub(super) kvk: String,
    name: String,
    accreditations: String,
    email: Option<String>,
    phone: Option<String>,
    website: Option<String>,
    trading_names: String,
    verified_at: Option<i64>,
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
            trading_names: r
                .trading_names
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            verified: r.verified_at.is_some(),
        }
    }
}

pub(super) const PROVIDER_COLUMNS: &str =
    "id, kvk, name, accreditations, email, phone, website, trading_names, verified_at";

fn accreditations_text(p: &ProviderDraft) -> String {
    p.accreditations
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Create or update a provider. `verified`: whoever writes it vouches for the organisation
/// (an operator's import, an administrator), so it is verified if it was not yet; an account
/// registering its own organisation leaves that to a programme manager.
pub(super) async fn upsert_provider_in(
    tx: &mut Tx,
    p: &ProviderDraft,
    verified: bool,
    at: UnixTime,
) -> StoreResult<Provider> {
    let row: ProviderRow = tx
        .exec()
        .fetch_one(
            Sql::new(format!(
                "INSERT INTO providers (kvk, name, accreditations, email, phone, website, trading_names, \
                 verified_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
                 ON CONFLICT (kvk) DO UPDATE SET name = excluded.name, accreditations = excluded.accreditations, \
                 email = excluded.email, phone = excluded.phone, website = excluded.website, \
                 trading_names = excluded.trading_names, \
                 verified_at = COALESCE(providers.verified_at, excluded.verified_at), \
                 updated_at = excluded.updated_at \
                 RETURNING {PROVIDER_COLUMNS}"
            ))
            .arg(p.kvk.as_str())
            .arg(p.name.as_str())
            .arg(accreditations_text(p))
            .arg(p.email.clone())
            .arg(p.phone.clone())
            .arg(p.website.clone())
            .arg(p.trading_names.join("\n"))
            .arg(verified.then_some(at))
            .arg(at),
        )
        .await?;
    Ok(row.into())
}

pub(super) async fn provider(store: &SqlStore, id: i64) -> StoreResult<Option<Provider>> {
    let row: Option<ProviderRow> = store
        .fetch_optional(
            Sql::new(format!(
                "SELECT {PROVIDER_COLUMNS} FROM providers WHERE id = $1"
            ))
            .arg(id),
        )
        .await?;
    Ok(row.map(Into::into))
}

pub(super) async fn providers_by_ids(
    store: &SqlStore,
    ids: &[ProviderId],
) -> StoreResult<Vec<Provider>> {
    let rows: Vec<ProviderRow> = rows_by_ids(
        store,
        &format!("SELECT {PROVIDER_COLUMNS} FROM providers"),
        ids,
    )
    .await?;
    Ok(rows.into_iter().map(Provider::from).collect())
}

pub(super) async fn provider_by_kvk(store: &SqlStore, kvk: &str) -> StoreResult<Option<Provider>> {
    let row: Option<ProviderRow> = store.fetch_optional(provider_by_kvk_sql(kvk)).await?;
    Ok(row.map(Into::into))
}

pub(super) async fn upsert_provider(
    store: &SqlStore,
    provider: &ProviderDraft,
    at: UnixTime,
) -> StoreResult<Provider> {
    let mut tx = store.begin().await?;
    let saved = upsert_provider_in(&mut tx, provider, true, at).await?;
    tx.commit().await?;
    Ok(saved)
}

pub(super) async fn provider_of_user(
    store: &SqlStore,
    user_id: UserId,
) -> StoreResult<Option<Provider>> {
    let row: Option<ProviderRow> = store.fetch_optional(provider_of_user_sql(user_id)).await?;
    Ok(row.map(Into::into))
}

/// The provider registered under a KvK number.
pub(super) fn provider_by_kvk_sql(kvk: &str) -> Sql {
    Sql::new(format!(
        "SELECT {PROVIDER_COLUMNS} FROM providers WHERE kvk = $1"
    ))
    .arg(kvk)
}

/// The organisation an account acts for (the first, should an old database hold several).
pub(super) fn provider_of_user_sql(user_id: UserId) -> Sql {
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

pub(super) async fn unverified_providers(store: &SqlStore) -> StoreResult<Vec<Provider>> {
    let rows: Vec<ProviderRow> = store
        .fetch_all(Sql::new(format!(
            "SELECT {PROVIDER_COLUMNS} FROM providers WHERE verified_at IS NULL ORDER BY created_at, id"
        )))
        .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub(super) async fn verify_provider(
    store: &SqlStore,
    provider_id: ProviderId,
    by: UserId,
    at: UnixTime,
) -> StoreResult<Option<Provider>> {
    let mut tx = store.begin().await?;
    if store.engine_kind() == Engine::Postgres {
        // Change numbers are taken one writer at a time (as in `save_offers`).
        tx.exec()
            .execute(Sql::new("SELECT pg_advisory_xact_lock(7410001)"))
            .await?;
    }
    let changed = tx
        .exec()
        .execute(
            Sql::new(
                "UPDATE providers SET verified_at = $1, verified_by = $2, updated_at = $1 \
                 WHERE id = $3 AND verified_at IS NULL",
            )
            .arg(at)
            .arg(by)
            .arg(provider_id),
        )
        .await?;
    if changed > 0 {
        // The organisation's offers take new change numbers after every existing one (unique:
        // offset by their ids), so the index publishes them; to the change feed, which never
        // showed them, they are new.
        let (max_seq, min_id): (i64, i64) = tx
            .exec()
            .fetch_one(
                Sql::new(
                    "SELECT (SELECT COALESCE(MAX(change_seq), 0) FROM offers), \
                     (SELECT COALESCE(MIN(id), 0) FROM offers WHERE provider_id = $1)",
                )
                .arg(provider_id),
            )
            .await?;
        tx.exec()
            .execute(
                Sql::new(
                    "UPDATE offers SET change_seq = $1 + id - $2 + 1, created_seq = $1 + id - $2 + 1 \
                     WHERE provider_id = $3",
                )
                .arg(max_seq)
                .arg(min_id)
                .arg(provider_id),
            )
            .await?;
    }
    let row: Option<ProviderRow> = tx
        .exec()
        .fetch_optional(
            Sql::new(format!(
                "SELECT {PROVIDER_COLUMNS} FROM providers WHERE id = $1"
            ))
            .arg(provider_id),
        )
        .await?;
    tx.commit().await?;
    Ok(row.map(Into::into))
}
