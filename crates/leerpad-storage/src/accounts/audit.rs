//! The audit log: entries appended as they happen and listed newest first, filtered by
//! account or event.

use crate::db::{Sql, SqlStore};
use async_trait::async_trait;
use leerpad_domain::accounts::audit::AuditEntry;
use leerpad_domain::accounts::ports::{AuditQuery, AuditStore, StoredAuditEntry};
use leerpad_domain::ports::{StoreError, StoreResult};
use leerpad_domain::shared::UserId;

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    event: String,
    actor_user_id: Option<i64>,
    subject_user_id: Option<i64>,
    ip: Option<String>,
    detail: String,
}

#[async_trait]
impl AuditStore for SqlStore {
    async fn append_audit(&self, e: &AuditEntry) -> StoreResult<i64> {
        let (id,): (i64,) = self
            .fetch_one(
                Sql::new(
                    "INSERT INTO audit_log (at, event, actor_user_id, subject_user_id, ip, detail) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .arg(e.at)
                .arg(e.event.as_str())
                .arg(e.actor_user_id)
                .arg(e.subject_user_id)
                .arg(e.ip.clone())
                .arg(e.detail.to_string()),
            )
            .await?;
        Ok(id)
    }

    async fn list_audit(&self, q: &AuditQuery) -> StoreResult<Vec<StoredAuditEntry>> {
        // Absent filters are passed as NULL and switched off in SQL, keeping one statement.
        let rows: Vec<AuditRow> = self
            .fetch_all(
                Sql::new(
                    "SELECT id, at, event, actor_user_id, subject_user_id, ip, detail FROM audit_log \
                     WHERE ($1 IS NULL OR id < $1) \
                       AND ($2 IS NULL OR actor_user_id = $2 OR subject_user_id = $2) \
                       AND ($3 IS NULL OR event = $3) \
                     ORDER BY id DESC LIMIT $4",
                )
                .arg(q.before_id)
                .arg(q.user_id)
                .arg(q.event.clone())
                .arg(i64::from(q.limit)),
            )
            .await?;
        rows.into_iter()
            .map(|r| {
                let detail = serde_json::from_str(&r.detail).map_err(|e| {
                    StoreError::Backend(format!("corrupt audit detail in entry {}: {e}", r.id))
                })?;
                Ok(StoredAuditEntry {
                    id: r.id,
                    at: r.at,
                    event: r.event,
                    actor_user_id: r.actor_user_id.map(UserId::new),
                    subject_user_id: r.subject_user_id.map(UserId::new),
                    ip: r.ip,
                    detail,
                })
            })
            .collect()
    }
}
