//! Durable jobs: planned once per key, claimed one at a time under a lease.

use crate::db::{Sql, SqlStore};
use async_trait::async_trait;
use leerpad_domain::UnixTime;
use leerpad_domain::jobs::ports::{ClaimedJob, JobRecord, JobStore, NewJob};
use leerpad_domain::ports::StoreResult;
use leerpad_domain::shared::JobId;

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[async_trait]
impl JobStore for SqlStore {
    async fn enqueue(&self, job: NewJob<'_>, at: UnixTime) -> StoreResult<bool> {
        let added = self
            .execute(
                Sql::new(
                    "INSERT INTO jobs (kind, key, payload, run_at, state, created_at) \
                     VALUES ($1, $2, $3, $4, 'pending', $5) ON CONFLICT (key) DO NOTHING",
                )
                .arg(job.kind)
                .arg(job.key)
                .arg(job.payload)
                .arg(job.run_at)
                .arg(at),
            )
            .await?;
        Ok(added == 1)
    }

    async fn claim(&self, now: UnixTime, lease_until: UnixTime) -> StoreResult<Option<ClaimedJob>> {
        let mut tx = self.begin().await?;
        let skip_locked = tx.skip_locked();
        let row: Option<(i64, String, String, String, i64)> = tx
            .exec()
            .fetch_optional(
                Sql::new(format!(
                    "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = $1 \
                     WHERE id = (SELECT id FROM jobs WHERE run_at <= $2 \
                     AND (state = 'pending' OR (state = 'running' AND locked_until <= $2)) \
                     ORDER BY run_at, id LIMIT 1{skip_locked}) \
                     RETURNING id, kind, key, payload, attempts"
                ))
                .arg(lease_until)
                .arg(now),
            )
            .await?;
        tx.commit().await?;
        Ok(row.map(|(id, kind, key, payload, attempts)| ClaimedJob {
            id: JobId::new(id),
            kind,
            key,
            payload,
            attempts: count(attempts),
        }))
    }

    async fn finish(&self, id: JobId, at: UnixTime) -> StoreResult<()> {
        self.execute(
            Sql::new(
                "UPDATE jobs SET state = 'done', finished_at = $1, locked_until = NULL WHERE id = $2",
            )
            .arg(at)
            .arg(id),
        )
        .await?;
        Ok(())
    }

    async fn fail(&self, id: JobId, error: &str, retry_at: Option<UnixTime>) -> StoreResult<()> {
        let sql = match retry_at {
            Some(when) => Sql::new(
                "UPDATE jobs SET state = 'pending', run_at = $1, last_error = $2, \
                 locked_until = NULL WHERE id = $3",
            )
            .arg(when),
            None => Sql::new(
                "UPDATE jobs SET state = 'failed', finished_at = $1, last_error = $2, \
                 locked_until = NULL WHERE id = $3",
            )
            .arg(None::<i64>),
        };
        self.execute(sql.arg(error).arg(id)).await?;
        Ok(())
    }

    async fn jobs(&self, key_prefix: &str) -> StoreResult<Vec<JobRecord>> {
        let rows: Vec<(i64, String, String, String, i64, i64, Option<String>)> = self
            .fetch_all(
                Sql::new(
                    "SELECT id, kind, key, state, run_at, attempts, last_error FROM jobs \
                     WHERE substr(key, 1, length($1)) = $1 ORDER BY run_at, id",
                )
                .arg(key_prefix),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, kind, key, state, run_at, attempts, last_error)| JobRecord {
                    id: JobId::new(id),
                    kind,
                    key,
                    state,
                    run_at,
                    attempts: count(attempts),
                    last_error,
                },
            )
            .collect())
    }
}
