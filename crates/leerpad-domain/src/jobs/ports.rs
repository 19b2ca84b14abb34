//! What the job runner needs from storage.

use crate::UnixTime;
use crate::ports::StoreResult;
use crate::shared::JobId;

/// A job to plan.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    /// What to do (`advice-draw`, …): picks the handler.
    pub kind: &'a str,
    /// Unique for the work, e.g. `advice-draw:3:1764576000`: the same key is planned once.
    pub key: &'a str,
    /// The handler's input, as JSON.
    pub payload: &'a str,
    pub run_at: UnixTime,
}

/// A job a worker has claimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedJob {
    pub id: JobId,
    pub kind: String,
    pub key: String,
    pub payload: String,
    /// 1 the first time it is taken.
    pub attempts: u32,
}

/// A job as operators see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRecord {
    pub id: JobId,
    pub kind: String,
    pub key: String,
    pub state: String,
    pub run_at: UnixTime,
    pub attempts: u32,
    pub last_error: Option<String>,
}

#[async_trait::async_trait]
pub trait JobStore: Send + Sync {
    /// Plan a job; false when one with this key exists already (it is left as it is).
    async fn enqueue(&self, job: NewJob<'_>, at: UnixTime) -> StoreResult<bool>;
    /// Take the due job that has waited longest (pending, or running with its lease run
    /// out), leasing it until `lease_until`. No two claims get the same job while its lease
    /// lasts.
    async fn claim(&self, now: UnixTime, lease_until: UnixTime) -> StoreResult<Option<ClaimedJob>>;
    /// The job is done; it will not run again.
    async fn finish(&self, id: JobId, at: UnixTime) -> StoreResult<()>;
    /// The job failed: try again at `retry_at`, or (None) give up and keep it as failed.
    async fn fail(&self, id: JobId, error: &str, retry_at: Option<UnixTime>) -> StoreResult<()>;
    /// Jobs with this key prefix, by run time.
    async fn jobs(&self, key_prefix: &str) -> StoreResult<Vec<JobRecord>>;
}
