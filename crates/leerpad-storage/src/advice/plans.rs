//! Development plans and consents.

use super::{corrupt, json};
use crate::db::{Sql, SqlStore};
use async_trait::async_trait;
use leerpad_domain::UnixTime;
use leerpad_domain::advice::plan::{PlanComment, PlanContent, PlanVersion};
use leerpad_domain::advice::ports::PlanStore;
use leerpad_domain::ports::StoreResult;
use leerpad_domain::shared::{RegistrationId, UserId};

fn version_of(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[async_trait]
impl PlanStore for SqlStore {
    async fn save_plan_version(
        &self,
        registration_id: RegistrationId,
        learner_id: UserId,
        advisor_id: UserId,
        content: &PlanContent,
        at: UnixTime,
    ) -> StoreResult<PlanVersion> {
        let mut tx = self.begin().await?;
        tx.lock_keys(&[&format!("plan:{registration_id}")]).await?;
        let (last,): (i64,) = tx
            .exec()
            .fetch_one(
                Sql::new(
                    "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM plan_versions \
                     WHERE registration_id = $1",
                )
                .arg(registration_id),
            )
            .await?;
        tx.exec()
            .execute(
                Sql::new(
                    "INSERT INTO plan_versions (registration_id, version, learner_id, advisor_id, \
                     content, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .arg(registration_id)
                .arg(last + 1)
                .arg(learner_id)
                .arg(advisor_id)
                .arg(json(content)?)
                .arg(at),
            )
            .await?;
        tx.commit().await?;
        Ok(PlanVersion {
            registration_id,
            version: version_of(last + 1),
            learner_id,
            advisor_id,
            content: content.clone(),
            created_at: at,
        })
    }

    async fn plan_versions(
        &self,
        registration_id: RegistrationId,
    ) -> StoreResult<Vec<PlanVersion>> {
        let rows: Vec<(i64, i64, i64, String, i64)> = self
            .fetch_all(
                Sql::new(
                    "SELECT version, learner_id, advisor_id, content, created_at FROM plan_versions \
                     WHERE registration_id = $1 ORDER BY version DESC",
                )
                .arg(registration_id),
            )
            .await?;
        rows.into_iter()
            .map(|(version, learner, advisor, content, created_at)| {
                Ok(PlanVersion {
                    registration_id,
                    version: version_of(version),
                    learner_id: UserId::new(learner),
                    advisor_id: UserId::new(advisor),
                    content: serde_json::from_str(&content).map_err(|e| corrupt("plan", e))?,
                    created_at,
                })
            })
            .collect()
    }

    async fn add_plan_comment(
        &self,
        registration_id: RegistrationId,
        c: &PlanComment,
    ) -> StoreResult<()> {
        self.execute(
            Sql::new(
                "INSERT INTO plan_comments (registration_id, version, author_id, text, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .arg(registration_id)
            .arg(i64::from(c.version))
            .arg(c.author_id)
            .arg(c.text.as_str())
            .arg(c.created_at),
        )
        .await?;
        Ok(())
    }

    async fn plan_comments(
        &self,
        registration_id: RegistrationId,
    ) -> StoreResult<Vec<PlanComment>> {
        let rows: Vec<(i64, i64, String, i64)> = self
            .fetch_all(
                Sql::new(
                    "SELECT version, author_id, text, created_at FROM plan_comments \
                     WHERE registration_id = $1 ORDER BY id",
                )
                .arg(registration_id),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(version, author, text, created_at)| PlanComment {
                version: version_of(version),
                author_id: UserId::new(author),
                text,
                created_at,
            })
            .collect())
    }

    async fn delete_plan(&self, registration_id: RegistrationId) -> StoreResult<u64> {
        let mut tx = self.begin().await?;
        tx.exec()
            .execute(
                Sql::new("DELETE FROM plan_comments WHERE registration_id = $1")
                    .arg(registration_id),
            )
            .await?;
        let n = tx
            .exec()
            .execute(
                Sql::new("DELETE FROM plan_versions WHERE registration_id = $1")
                    .arg(registration_id),
            )
            .await?;
        tx.commit().await?;
        Ok(n)
    }

    async fn set_consent(
        &self,
        learner_id: UserId,
        advisor_id: UserId,
        expires_at: Option<UnixTime>,
        at: UnixTime,
    ) -> StoreResult<()> {
        let sql = match expires_at {
            Some(until) => Sql::new(
                "INSERT INTO advice_consents (learner_id, advisor_id, expires_at, changed_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (learner_id, advisor_id) DO UPDATE SET \
                 expires_at = excluded.expires_at, changed_at = excluded.changed_at",
            )
            .arg(learner_id)
            .arg(advisor_id)
            .arg(until)
            .arg(at),
            None => {
                Sql::new("DELETE FROM advice_consents WHERE learner_id = $1 AND advisor_id = $2")
                    .arg(learner_id)
                    .arg(advisor_id)
            }
        };
        self.execute(sql).await?;
        Ok(())
    }

    async fn consent_until(
        &self,
        learner_id: UserId,
        advisor_id: UserId,
    ) -> StoreResult<Option<UnixTime>> {
        let row: Option<(Option<i64>,)> = self
            .fetch_optional(
                Sql::new(
                    "SELECT expires_at FROM advice_consents WHERE learner_id = $1 AND advisor_id = $2",
                )
                .arg(learner_id)
                .arg(advisor_id),
            )
            .await?;
        Ok(row.and_then(|(until,)| until))
    }
}
