//! Survey answers and ratings on SQLite and PostgreSQL.

use crate::db::{Sql, SqlStore};
use async_trait::async_trait;
use leerpad_domain::UnixTime;
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::quality::ports::QualityStore;
use leerpad_domain::quality::{Complaint, Rating, SurveyAnswer, SurveyKind};
use leerpad_domain::shared::{OfferId, ProviderId, UserId};

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

    async fn rating_of_provider(&self, provider: ProviderId) -> StoreResult<Rating> {
        let row: Option<SumRow> = self
            .fetch_optional(
                Sql::new(format!(
                    "SELECT {} FROM survey_answers WHERE provider_id = $1 GROUP BY provider_id",
                    SUMS.replacen("offer_id", "provider_id", 1)
                ))
                .arg(provider),
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

    async fn add_complaint(&self, complaint: &Complaint) -> StoreResult<i64> {
        add_complaint(self, complaint).await
    }

    async fn complaint(&self, id: i64) -> StoreResult<Option<Complaint>> {
        complaint_by_id(self, id).await
    }

    async fn complaints(
        &self,
        provider: Option<ProviderId>,
        limit: u32,
    ) -> StoreResult<Vec<Complaint>> {
        complaints(self, provider, limit).await
    }

    async fn complaints_of_learner(
        &self,
        learner: UserId,
        limit: u32,
    ) -> StoreResult<Vec<Complaint>> {
        let rows: Vec<ComplaintRow> = self
            .fetch_all(
                Sql::new(format!(
                    "SELECT {COMPLAINT_COLUMNS} FROM complaints WHERE learner_id = $1 \
                     ORDER BY at DESC, id DESC LIMIT $2"
                ))
                .arg(learner)
                .arg(i64::from(limit)),
            )
            .await?;
        Ok(rows.into_iter().map(complaint).collect())
    }

    async fn answer_complaint(
        &self,
        id: i64,
        answer: &str,
        by: Option<UserId>,
        at: UnixTime,
    ) -> StoreResult<()> {
        answer_complaint(self, id, answer, by, at).await
    }
}

type ComplaintRow = (
    i64,
    i64,
    Option<i64>,
    i64,
    i64,
    String,
    String,
    i64,
    Option<String>,
    Option<i64>,
);

const COMPLAINT_COLUMNS: &str = "id, enrolment_id, learner_id, offer_id, provider_id, subject, body, \
     at, answer, answered_at";

fn complaint(
    (id, enrolment, learner, offer, provider, subject, text, at, answer, answered_at): ComplaintRow,
) -> Complaint {
    Complaint {
        id,
        enrolment,
        learner: learner.map(UserId::new),
        offer: OfferId::new(offer),
        provider: ProviderId::new(provider),
        subject,
        text,
        at,
        answer,
        answered_at,
    }
}

pub(crate) async fn add_complaint(store: &SqlStore, c: &Complaint) -> StoreResult<i64> {
    let (id,): (i64,) = store
        .fetch_one(
            Sql::new(
                "INSERT INTO complaints (enrolment_id, learner_id, offer_id, provider_id, subject, body, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .arg(c.enrolment)
            .arg(c.learner)
            .arg(c.offer)
            .arg(c.provider)
            .arg(c.subject.as_str())
            .arg(c.text.as_str())
            .arg(c.at),
        )
        .await?;
    Ok(id)
}

pub(crate) async fn complaint_by_id(store: &SqlStore, id: i64) -> StoreResult<Option<Complaint>> {
    let row: Option<ComplaintRow> = store
        .fetch_optional(
            Sql::new(format!(
                "SELECT {COMPLAINT_COLUMNS} FROM complaints WHERE id = $1"
            ))
            .arg(id),
        )
        .await?;
    Ok(row.map(complaint))
}

pub(crate) async fn complaints(
    store: &SqlStore,
    provider: Option<ProviderId>,
    limit: u32,
) -> StoreResult<Vec<Complaint>> {
    let limit = i64::from(limit);
    let sql = match provider {
        Some(p) => Sql::new(format!(
            "SELECT {COMPLAINT_COLUMNS} FROM complaints WHERE provider_id = $1 \
             ORDER BY at DESC, id DESC LIMIT $2"
        ))
        .arg(p)
        .arg(limit),
        None => Sql::new(format!(
            "SELECT {COMPLAINT_COLUMNS} FROM complaints ORDER BY at DESC, id DESC LIMIT $1"
        ))
        .arg(limit),
    };
    let rows: Vec<ComplaintRow> = store.fetch_all(sql).await?;
    Ok(rows.into_iter().map(complaint).collect())
}

pub(crate) async fn answer_complaint(
    store: &SqlStore,
    id: i64,
    answer: &str,
    by: Option<UserId>,
    at: UnixTime,
) -> StoreResult<()> {
    store
        .execute(
            Sql::new(
                "UPDATE complaints SET answer = $1, answered_by = $2, answered_at = $3 WHERE id = $4",
            )
            .arg(answer)
            .arg(by)
            .arg(at)
            .arg(id),
        )
        .await
        .map(drop)
}
