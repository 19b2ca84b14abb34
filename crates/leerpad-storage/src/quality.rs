//! Survey answers and ratings on SQLite and PostgreSQL.

use crate::db::{Sql, SqlStore};
use async_trait::async_trait;
use leerpad_domain::UnixTime;
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::quality::ports::QualityStore;
use leerpad_domain::quality::{Rating, SurveyAnswer, SurveyKind};
use leerpad_domain::shared::OfferId;

fn flag(v: Option<bool>) -> Option<i64> {
    v.map(i64::from)
}

/// Sums per offer: ratings 1..=5, recommend yes, outcome answers, working yes, using yes.
const SUMS: &str = "offer_id, \
     CAST(SUM(CASE WHEN kind = 'end' AND rating = 1 THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN kind = 'end' AND rating = 2 THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN kind = 'end' AND rating = 3 THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN kind = 'end' AND rating = 4 THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN kind = 'end' AND rating = 5 THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN kind = 'end' AND recommend = 1 THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN kind = 'outcome' THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN kind = 'outcome' AND working = 1 THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN kind = 'outcome' AND using_skills = 1 THEN 1 ELSE 0 END) AS BIGINT)";

type SumRow = (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);

fn rating((_, r1, r2, r3, r4, r5, rec, out, work, used): SumRow) -> Rating {
    let n = |v: i64| u32::try_from(v).unwrap_or(0);
    Rating {
        distribution: [n(r1), n(r2), n(r3), n(r4), n(r5)],
        recommend_yes: n(rec),
        outcome_answers: n(out),
        working_yes: n(work),
        using_yes: n(used),
    }
}

#[async_trait]
impl QualityStore for SqlStore {
    async fn save_answer(&self, a: &SurveyAnswer, at: UnixTime) -> StoreResult<()> {
        let n = self
            .execute(
                Sql::new(
                    "INSERT INTO survey_answers (enrolment_id, kind, offer_id, provider_id, \
                     learner_id, rating, recommend, working, using_skills, comment, at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                     ON CONFLICT (enrolment_id, kind) DO NOTHING",
                )
                .arg(a.enrolment)
                .arg(a.kind.as_str())
                .arg(a.offer)
                .arg(a.provider)
                .arg(a.learner)
                .arg(a.rating.map(i64::from))
                .arg(flag(a.recommend))
                .arg(flag(a.working))
                .arg(flag(a.using_skills))
                .arg(a.comment.as_str())
                .arg(at),
            )
            .await?;
        if n == 0 {
            return Err(StoreError::Conflict(
                "this survey was answered already".into(),
            ));
        }
        Ok(())
    }

    async fn answered(&self, enrolment: i64, kind: SurveyKind) -> StoreResult<bool> {
        let row: Option<(i64,)> = self
            .fetch_optional(
                Sql::new(
                    "SELECT enrolment_id FROM survey_answers WHERE enrolment_id = $1 AND kind = $2",
                )
                .arg(enrolment)
                .arg(kind.as_str()),
            )
            .await?;
        Ok(row.is_some())
    }

    async fn rating_of(&self, offer: OfferId) -> StoreResult<Rating> {
        let row: Option<SumRow> = self
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {SUMS} FROM survey_answers WHERE offer_id = $1 GROUP BY offer_id"
                ))
                .arg(offer),
            )
            .await?;
        Ok(row.map(rating).unwrap_or_default())
    }

    async fn rated_offers(&self, min_answers: u32) -> StoreResult<Vec<(OfferId, Rating)>> {
        let rows: Vec<SumRow> = self
            .fetch_all(Sql::new(format!(
                "SELECT {SUMS} FROM survey_answers GROUP BY offer_id ORDER BY offer_id"
            )))
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| (OfferId::new(r.0), rating(r)))
            .filter(|(_, r)| r.answers() >= min_answers)
            .collect())
    }
}
