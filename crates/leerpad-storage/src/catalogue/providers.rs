//! Providers: the stored row, look-ups by id, KvK number and member, and the upsert that
//! registrations and imports share.

use super::rows_by_ids;
use crate::db::{Sql, SqlStore, Tx};
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

pub(super) const PROVIDER_COLUMNS: &str = "id, kvk, name, accreditations, email, phone, website";

fn accreditations_text(p: &ProviderDraft) -> String {
    p.accreditations
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

pub(super) async fn upsert_provider_in(
    tx: &mut Tx,
    p: &ProviderDraft,
    at: UnixTime,
) -> StoreResult<Provider> {
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
    let saved = upsert_provider_in(&mut tx, provider, at).await?;
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
