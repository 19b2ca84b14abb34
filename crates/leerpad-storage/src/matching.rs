//! Demand figures and learners' profiles.

use crate::db::{Sql, SqlStore};
use async_trait::async_trait;
use leerpad_domain::clock::UnixTime;
use leerpad_domain::matching::ports::{MatchingStore, StoredProfile};
use leerpad_domain::matching::{DemandRecord, DemandSubject, LearnerProfile};
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::shared::UserId;

/// Rows per INSERT statement (6 arguments each, well below both engines' limits).
const DEMAND_BATCH: usize = 500;

fn subject_key(s: &DemandSubject) -> String {
    match s {
        DemandSubject::Occupation(uri) => format!("occupation:{uri}"),
        DemandSubject::Isco(code) => format!("isco:{code}"),
    }
}

fn json_error(e: serde_json::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

#[async_trait]
impl MatchingStore for SqlStore {
    async fn save_demand(&self, records: &[DemandRecord], at: UnixTime) -> StoreResult<u64> {
        let mut tx = self.begin().await?;
        let mut written = 0;
        for batch in records.chunks(DEMAND_BATCH) {
            let mut text = String::from(
                "INSERT INTO demand_figures (subject, area_kind, area, period, record, imported_at) VALUES ",
            );
            for i in 0..batch.len() {
                let b = i * 6;
                if i > 0 {
                    text.push(',');
                }
                text.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6
                ));
            }
            text.push_str(
                " ON CONFLICT (subject, area_kind, area, period) DO UPDATE \
                 SET record = excluded.record, imported_at = excluded.imported_at",
            );
            let mut sql = Sql::new(text);
            for r in batch {
                sql = sql
                    .arg(subject_key(&r.subject))
                    .arg(r.area.kind())
                    .arg(r.area.name())
                    .arg(r.period.as_str())
                    .arg(serde_json::to_string(r).map_err(json_error)?)
                    .arg(at);
            }
            written += tx.exec().execute(sql).await?;
        }
        tx.commit().await?;
        Ok(written)
    }

    async fn demand(&self) -> StoreResult<Vec<DemandRecord>> {
        let rows: Vec<(String,)> = self
            .fetch_all(Sql::new(
                "SELECT record FROM demand_figures ORDER BY subject, area_kind, area, period",
            ))
            .await?;
        rows.into_iter()
            .map(|(json,)| {
                serde_json::from_str(&json)
                    .map_err(|e| StoreError::Backend(format!("corrupt demand figure: {e}")))
            })
            .collect()
    }

    async fn profile(&self, user_id: UserId) -> StoreResult<Option<StoredProfile>> {
        let row: Option<(String, i64)> = self
            .fetch_optional(
                Sql::new("SELECT profile, version FROM learner_profiles WHERE user_id = $1")
                    .arg(user_id),
            )
            .await?;
        row.map(|(json, version)| {
            let profile = serde_json::from_str(&json).map_err(|e| {
                StoreError::Backend(format!("corrupt profile of user {user_id}: {e}"))
            })?;
            Ok(StoredProfile { profile, version })
        })
        .transpose()
    }

    async fn save_profile(
        &self,
        user_id: UserId,
        profile: &LearnerProfile,
        expected_version: i64,
        at: UnixTime,
    ) -> StoreResult<i64> {
        let json = serde_json::to_string(profile).map_err(json_error)?;
        // One statement decides and writes: an insert that only succeeds when nothing is
        // stored yet, or an update that only succeeds at the expected version.
        let sql = if expected_version == 0 {
            Sql::new(
                "INSERT INTO learner_profiles (user_id, profile, updated_at, version) \
                 VALUES ($1, $2, $3, 1) ON CONFLICT (user_id) DO NOTHING RETURNING version",
            )
            .arg(user_id)
            .arg(json)
            .arg(at)
        } else {
            Sql::new(
                "UPDATE learner_profiles SET profile = $2, updated_at = $3, version = version + 1 \
                 WHERE user_id = $1 AND version = $4 RETURNING version",
            )
            .arg(user_id)
            .arg(json)
            .arg(at)
            .arg(expected_version)
        };
        let saved: Option<(i64,)> = self.fetch_optional(sql).await?;
        saved.map(|(v,)| v).ok_or_else(|| {
            StoreError::Conflict(format!(
                "the profile was changed by someone else (you edited version {expected_version})"
            ))
        })
    }
}
