//! The ESCO taxonomy: snapshot and concept rows.

use crate::db::{Sql, SqlStore, Tx};
use async_trait::async_trait;
use leerpad_domain::clock::UnixTime;
use leerpad_domain::ports::StoreResult;
use leerpad_domain::taxonomy::ports::{
    ConceptRow, TaxonomyImportCounts, TaxonomySnapshot, TaxonomyStore,
};

/// Rows per multi-row INSERT: few round trips, well under both engines' parameter limits.
const BATCH: usize = 400;

async fn upsert_rows(
    tx: &mut Tx,
    table: &str,
    kind_col: &str,
    detail_col: &str,
    rows: &[ConceptRow],
    written: &mut u64,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> StoreResult<()> {
    for chunk in rows.chunks(BATCH) {
        let placeholders: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * 5;
                format!(
                    "(${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5
                )
            })
            .collect();
        let mut sql = Sql::new(format!(
            "INSERT INTO {table} (uri, {kind_col}, {detail_col}, label_en, label_nl) VALUES {} \
             ON CONFLICT (uri) DO UPDATE SET {kind_col} = excluded.{kind_col}, {detail_col} = excluded.{detail_col}, \
             label_en = excluded.label_en, label_nl = excluded.label_nl",
            placeholders.join(", ")
        ));
        for r in chunk {
            sql = sql
                .arg(r.uri.as_str())
                .arg(r.kind.as_str())
                .arg(r.detail.as_str())
                .arg(r.label_en.as_str())
                .arg(r.label_nl.clone());
        }
        tx.exec().execute(sql).await?;
        *written += chunk.len() as u64;
        progress(*written);
    }
    Ok(())
}

#[async_trait]
impl TaxonomyStore for SqlStore {
    async fn save_taxonomy(
        &self,
        snapshot: &TaxonomySnapshot,
        at: UnixTime,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> StoreResult<TaxonomyImportCounts> {
        let mut tx = self.begin().await?;
        tx.exec()
            .execute(
                Sql::new(
                    "INSERT INTO esco_snapshot (id, version, imported_at, data) VALUES (1, $1, $2, $3) \
                     ON CONFLICT (id) DO UPDATE SET version = excluded.version, \
                     imported_at = excluded.imported_at, data = excluded.data",
                )
                .arg(snapshot.version.as_str())
                .arg(at)
                .arg(snapshot.packed.clone()),
            )
            .await?;
        let mut written = 0;
        upsert_rows(
            &mut tx,
            "esco_skills",
            "skill_type",
            "reuse_level",
            &snapshot.skills,
            &mut written,
            progress,
        )
        .await?;
        upsert_rows(
            &mut tx,
            "esco_occupations",
            "isco_code",
            "code",
            &snapshot.occupations,
            &mut written,
            progress,
        )
        .await?;
        tx.commit().await?;
        Ok(TaxonomyImportCounts {
            skills: snapshot.skills.len() as u64,
            occupations: snapshot.occupations.len() as u64,
        })
    }

    async fn load_taxonomy(&self) -> StoreResult<Option<Vec<u8>>> {
        let row: Option<(Vec<u8>,)> = self
            .fetch_optional(Sql::new("SELECT data FROM esco_snapshot WHERE id = 1"))
            .await?;
        Ok(row.map(|(d,)| d))
    }
}

impl SqlStore {
    /// Rows in one of the taxonomy tables (for operators and tests).
    pub async fn count_rows(&self, table: &str) -> StoreResult<i64> {
        if !matches!(table, "esco_skills" | "esco_occupations") {
            return Err(leerpad_domain::ports::StoreError::Backend(format!(
                "not a taxonomy table: {table}"
            )));
        }
        let (n,): (i64,) = self
            .fetch_one(Sql::new(format!("SELECT COUNT(*) FROM {table}")))
            .await?;
        Ok(n)
    }
}
