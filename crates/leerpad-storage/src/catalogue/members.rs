//! Who acts for a provider: claiming an organisation by KvK number (or asking to join it),
//! accepting a colleague, and counting members.

use super::providers::{
    ProviderRow, provider_by_kvk_sql, provider_of_user_sql, upsert_provider_in,
};
use crate::db::{Sql, SqlStore, Tx};
use leerpad_domain::catalogue::{Provider, ProviderDraft};
use leerpad_domain::clock::UnixTime;
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::shared::{ProviderId, UserId};

pub(super) async fn provider_member_count(
    store: &SqlStore,
    provider_id: ProviderId,
) -> StoreResult<i64> {
    let (n,): (i64,) = store.fetch_one(member_count_sql(provider_id)).await?;
    Ok(n)
}

pub(super) async fn claim_provider(
    store: &SqlStore,
    user_id: UserId,
    draft: &ProviderDraft,
    may_take_unclaimed: bool,
    at: UnixTime,
) -> StoreResult<Provider> {
    let mut tx = store.begin().await?;
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
        .fetch_optional(provider_by_kvk_sql(draft.kvk.as_str()))
        .await?;
    match (&mine, &existing) {
        (Some(m), _) if m.kvk != draft.kvk.as_str() => {
            return tx
                .fail(StoreError::Refused(format!(
                    "this account acts for KvK {}; another organisation needs another account",
                    m.kvk
                )))
                .await;
        }
        (None, Some(e)) => {
            let (members,): (i64,) = tx
                .exec()
                .fetch_one(member_count_sql(ProviderId::new(e.id)))
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
                return tx.fail(StoreError::Refused(format!(
                    "KvK {} is already registered; ask an administrator to verify that you act for it",
                    e.kvk
                ))).await;
            }
        }
        _ => {}
    }
    // An administrator vouches for the organisation; anyone else waits for a programme manager.
    let saved = upsert_provider_in(&mut tx, draft, may_take_unclaimed, at).await?;
    if mine.is_none() {
        add_member(&mut tx, user_id, saved.id).await?;
    }
    tx.commit().await?;
    Ok(saved)
}

pub(super) async fn add_colleague(
    store: &SqlStore,
    member_id: UserId,
    colleague_id: UserId,
) -> StoreResult<Provider> {
    let mut tx = store.begin().await?;
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
        return tx
            .fail(StoreError::Refused(
                "your account acts for no organisation yet".into(),
            ))
            .await;
    };
    let theirs: Option<ProviderRow> = tx
        .exec()
        .fetch_optional(provider_of_user_sql(colleague_id))
        .await?;
    match theirs {
        Some(p) if p.id == provider.id => {}
        Some(_) => {
            return tx
                .fail(StoreError::Refused(
                    "that account already acts for another organisation".into(),
                ))
                .await;
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
                return tx
                    .fail(StoreError::Refused(
                        "that account has not asked to act for your organisation: it asks by \
                     registering your KvK number"
                            .into(),
                    ))
                    .await;
            }
            add_member(&mut tx, colleague_id, ProviderId::new(provider.id)).await?;
        }
    }
    tx.commit().await?;
    Ok(provider.into())
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

/// How many accounts act for a provider.
fn member_count_sql(provider_id: ProviderId) -> Sql {
    Sql::new("SELECT COUNT(*) FROM provider_members WHERE provider_id = $1").arg(provider_id)
}
