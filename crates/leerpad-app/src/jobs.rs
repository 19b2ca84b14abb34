//! The job runner: takes due jobs one at a time and hands each to its feature. Planned jobs
//! survive restarts (they are rows); a job whose worker died runs again after its lease, and
//! each job's work is written to act once (see `leerpad_domain::jobs`).

use crate::advice::{
    Advice, CONSENT_JOB, ConsentJob, DRAW_JOB, DrawJob, REMINDER_JOB, ReminderJob,
};
use crate::enrolment::Enrolments;
use crate::error::{AppError, AppResult};
use crate::financing::Financing;
use crate::ledger::Ledger;
use leerpad_domain::advice::advisors::local_day;
use leerpad_domain::clock::Clock;
use leerpad_domain::jobs::ports::{ClaimedJob, JobStore, NewJob};
use leerpad_domain::ledger::payout::latest_payout_day;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// How long a worker may hold a job before another may take it.
const LEASE_SECS: i64 = 300;
/// Attempts before a job is kept as failed.
const MAX_ATTEMPTS: u32 = 5;

/// The providers' payout run of a day (`leerpad_domain::ledger::payout`).
pub const PAYOUT_JOB: &str = "provider-payout";
/// The yearly deposits of schemes onto learning accounts.
pub const YEARLY_DEPOSITS_JOB: &str = "yearly-deposits";

/// The features whose work the runner does.
#[derive(Clone)]
pub struct JobFeatures {
    pub advice: Arc<Advice>,
    pub ledger: Arc<Ledger>,
    pub enrolments: Arc<Enrolments>,
    pub financing: Arc<Financing>,
    pub calls: Arc<crate::calls::Calls>,
    pub quality: Arc<crate::quality::Quality>,
}

#[derive(Clone)]
pub struct Jobs {
    store: Arc<dyn JobStore>,
    advice: Arc<Advice>,
    ledger: Arc<Ledger>,
    enrolments: Arc<Enrolments>,
    financing: Arc<Financing>,
    calls: Arc<crate::calls::Calls>,
    quality: Arc<crate::quality::Quality>,
    clock: Arc<dyn Clock>,
}

#[derive(Debug, Serialize, Deserialize)]
struct PayoutJob {
    #[serde(with = "leerpad_domain::shared::iso_date")]
    day: leerpad_domain::shared::Date,
}

impl Jobs {
    pub fn new(store: Arc<dyn JobStore>, features: JobFeatures, clock: Arc<dyn Clock>) -> Jobs {
        Jobs {
            store,
            advice: features.advice,
            ledger: features.ledger,
            enrolments: features.enrolments,
            financing: features.financing,
            calls: features.calls,
            quality: features.quality,
            clock,
        }
    }

    /// Plan the calendar's jobs that are due by now: the latest payout run (a server that was
    /// down on the day runs it late, never skips it) and this year's deposits. A planned key
    /// is planned once, so every round may ask again; `serve` asks before each round of
    /// [`Self::run_due`].
    pub async fn plan_calendar(&self) -> AppResult<()> {
        let now = self.clock.now();
        let Some(today) = local_day(now) else {
            return Ok(());
        };
        let day = latest_payout_day(today);
        let payload = serde_json::to_string(&PayoutJob { day })
            .map_err(|e| AppError::Internal(e.to_string()))?;
        self.store
            .enqueue(
                NewJob {
                    kind: PAYOUT_JOB,
                    key: &format!("{PAYOUT_JOB}:{day}"),
                    payload: &payload,
                    run_at: now,
                },
                now,
            )
            .await?;
        self.store
            .enqueue(
                NewJob {
                    kind: YEARLY_DEPOSITS_JOB,
                    key: &format!("{YEARLY_DEPOSITS_JOB}:{}", today.year()),
                    payload: "{}",
                    run_at: now,
                },
                now,
            )
            .await?;
        Ok(())
    }

    /// Run every job that is due now; returns how many ran (failed ones included). Enrolments
    /// and holds past their deadline are ended in the same round: they are found by their
    /// deadline in their own tables, so a restart loses none, and each ends once.
    pub async fn run_due(&self) -> AppResult<usize> {
        let mut ran = self.enrolments.expire_due().await?;
        ran += self.ledger.expire_due().await?;
        ran += self.calls.expire_due().await?;
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
            PAYOUT_JOB => {
                let input: PayoutJob = serde_json::from_str(&job.payload)
                    .map_err(|e| AppError::Internal(format!("job {}: {e}", job.key)))?;
                let run = self.ledger.pay_providers(input.day).await?;
                tracing::info!(job = %job.key, providers = run.providers, total = %run.total.decimal(), "providers paid");
                Ok(())
            }
            crate::quality::SURVEY_JOB => {
                let input: crate::quality::SurveyJob = serde_json::from_str(&job.payload)
                    .map_err(|e| AppError::Internal(format!("job {}: {e}", job.key)))?;
                self.quality.invite(&job.key, &input).await
            }
            YEARLY_DEPOSITS_JOB => {
                let made = self.financing.yearly_deposits_sweep().await?;
                tracing::info!(job = %job.key, deposits = made, "yearly deposits made");
                Ok(())
            }
            other => Err(AppError::Internal(format!(
                "no handler for jobs of kind '{other}'"
            ))),
        }
    }
}
