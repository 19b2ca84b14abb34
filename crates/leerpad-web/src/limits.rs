//! Limits on heavy work a stranger can ask for. Skill extraction and title matching run the
//! taxonomy (and the embedding model) over the caller's text: seconds of CPU for a long text.
//! Anonymous callers get a smaller text and a per-address rate (a keyed GCRA limiter from the
//! `governor` crate); signed-in callers are accountable and get the full size.
//!
//! The rate is counted per server process: with several nodes each allows the rate, which
//! bounds the work per node (what this protects) rather than per platform.

use crate::error::Problem;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

/// Longest text an anonymous caller may send for extraction (about four pages of CV).
pub const ANONYMOUS_MAX_EXTRACT_CHARS: usize = 10_000;

/// Forget idle addresses every this many checks, so the table stays small.
const RETAIN_EVERY: u64 = 1024;

/// Per-address rate of heavy requests by anonymous callers.
pub struct HeavyWorkLimiter {
    limiter: DefaultKeyedRateLimiter<String>,
    checks: AtomicU64,
}

impl std::fmt::Debug for HeavyWorkLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeavyWorkLimiter").finish_non_exhaustive()
    }
}

impl HeavyWorkLimiter {
    /// At most `per_minute` heavy requests a minute per address, in bursts of as many.
    pub fn new(per_minute: u32) -> Self {
        let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        HeavyWorkLimiter {
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute)),
            checks: AtomicU64::new(0),
        }
    }

    /// Take one request's share for `ip`, or a 429 problem saying when to come back.
    pub fn check(&self, ip: &str) -> Result<(), Problem> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % RETAIN_EVERY == RETAIN_EVERY - 1 {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&ip.to_owned()).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let secs = i64::try_from(wait.as_secs())
                .unwrap_or(i64::MAX)
                .saturating_add(1);
            let mut problem = Problem::new(
                axum::http::StatusCode::TOO_MANY_REQUESTS,
                "too-many-requests",
                format!(
                    "too many requests for skill extraction or title matching from this address; \
                     try again in {secs} seconds, or sign in"
                ),
            );
            problem.retry_after_secs = Some(secs);
            problem
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_quota_and_then_a_429_with_retry_after() {
        let limiter = HeavyWorkLimiter::new(3);
        for _ in 0..3 {
            assert!(limiter.check("192.0.2.1").is_ok());
        }
        let refused = limiter
            .check("192.0.2.1")
            .err()
            .map(|p| (p.status, p.retry_after_secs));
        assert!(matches!(
            refused,
            Some((axum::http::StatusCode::TOO_MANY_REQUESTS, Some(s))) if s >= 1
        ));
        // Another address is not affected.
        assert!(limiter.check("192.0.2.2").is_ok());
    }
}
