//! The job runner: takes due jobs one at a time and hands each to its feature. Planned jobs
//! survive restarts (they are rows); a job whose worker died runs again after its lease, and
//! each job's work is written to act once (see `leerpad_domain::jobs`).

use crate::advice::{
    Advice, CONSENT_JOB, ConsentJob, DRAW_JOB, DrawJob, REMINDER_JOB, ReminderJob,
};
use crate::enrolment::Enrolments;
use crate::error::{AppError, AppResult};
use crate::ledger::Ledger;
use leerpad_domain::clock::Clock;
use leerpad_domain::jobs::ports::{ClaimedJob, JobStore};
use std::sync::Arc;

/// How long a worker may hold a job before another may take it.
const LEASE_SECS: i64 = 300;
/// Attempts before a job is kept as failed.
const MAX_ATTEMPTS: u32 = 5;

#[derive(Clone)]
pub struct Jobs {
    store: Arc<dyn JobStore>,
    advice: Arc<Advice>,
    ledger: Arc<Ledger>,
    enrolments: Arc<Enrolments>,
    clock: Arc<dyn Clock>,
}

impl Jobs {
    pub fn new(
        store: Arc<dyn JobStore>,
        advice: Arc<Advice>,
        ledger: Arc<Ledger>,
        enrolments: Arc<Enrolments>,
        clock: Arc<dyn Clock>,
    ) -> Jobs {
        Jobs {
            store,
            advice,
            ledger,
            enrolments,
            clock,
        }
    }

    /// Run every job that is due now; returns how many ran (failed ones included). Enrolments
    /// and holds past their deadline are ended in the same round: they are found by their
    /// deadline in their own tables, so a restart loses none, and each ends once.
    pub async fn run_due(&self) -> AppResult<usize> {
        let mut ran = self.enrolments.expire_due().await?;
        ran += self.ledger.expire_due().await?;
        loop {
            let now = self.clock.now();
            let Some(job) = self.store.claim(now, now + LEASE_SECS).await? else {
                return Ok(ran);
            };
            ran += 1;
            match self.run(&job).await {
                Ok(()) => self.store.finish(job.id, self.clock.now()).await?,
                Err(e) => {
                    tracing::warn!(job = %job.key, attempt = job.attempts, error = %e, "job failed");
                    let retry = (job.attempts < MAX_ATTEMPTS)
                        .then(|| self.clock.now() + 60 * i64::from(job.attempts));
                    self.store.fail(job.id, &e.to_string(), retry).await?;
                }
            }
        }
    }

    async fn run(&self, job: &ClaimedJob) -> AppResult<()> {
        match job.kind.as_str() {
            DRAW_JOB => {
                let input: DrawJob = serde_json::from_str(&job.payload)
                    .map_err(|e| AppError::Internal(format!("job {}: {e}", job.key)))?;
                let draw = self.advice.draw(&input).await?;
                tracing::info!(job = %job.key, registrations = draw.registrations.len(), "drawn");
                Ok(())
            }
            REMINDER_JOB => {
                let input: ReminderJob = serde_json::from_str(&job.payload)
                    .map_err(|e| AppError::Internal(format!("job {}: {e}", job.key)))?;
                self.advice.remind(&job.key, &input).await
            }
            CONSENT_JOB => {
                let input: ConsentJob = serde_json::from_str(&job.payload)
                    .map_err(|e| AppError::Internal(format!("job {}: {e}", job.key)))?;
                self.advice.end_consent(&job.key, &input).await
            }
            other => Err(AppError::Internal(format!(
                "no handler for jobs of kind '{other}'"
            ))),
        }
    }
}
