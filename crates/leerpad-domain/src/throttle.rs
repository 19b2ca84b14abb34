//! Login throttling: how many failed logins are tolerated before an account or an address has
//! to wait. Failures are counted in the database (see the ports), so the limit holds across
//! server processes; this module only decides.

use crate::clock::UnixTime;

/// Limits on failed logins within a sliding window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub window_secs: i64,
    pub max_failures_per_account: i64,
    pub max_failures_per_ip: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            window_secs: 15 * 60,
            max_failures_per_account: 5,
            max_failures_per_ip: 30,
        }
    }
}

/// Whether a login attempt may proceed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleVerdict {
    Allowed,
    /// Too many recent failures; try again after this many seconds.
    Locked {
        retry_after_secs: i64,
    },
}

impl ThrottlePolicy {
    /// Start of the window that counts at `now`.
    pub fn window_start(&self, now: UnixTime) -> UnixTime {
        now.saturating_sub(self.window_secs)
    }

    /// Decide from the failures counted in the window for the account and for the address.
    pub fn verdict(&self, account_failures: i64, ip_failures: i64) -> ThrottleVerdict {
        if account_failures >= self.max_failures_per_account
            || ip_failures >= self.max_failures_per_ip
        {
            ThrottleVerdict::Locked {
                retry_after_secs: self.window_secs,
            }
        } else {
            ThrottleVerdict::Allowed
        }
    }
}

/// Session lifetime: a session ends after `idle_secs` without use or `absolute_secs` after login,
/// whichever comes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle_secs: i64,
    pub absolute_secs: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle_secs: 2 * 60 * 60,
            absolute_secs: 7 * 24 * 60 * 60,
        }
    }
}

impl SessionPolicy {
    /// When a session created at `created` and last used at `last_seen` expires.
    pub fn expires_at(&self, created: UnixTime, last_seen: UnixTime) -> UnixTime {
        (last_seen.saturating_add(self.idle_secs)).min(created.saturating_add(self.absolute_secs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_at_the_limit() {
        let p = ThrottlePolicy::default();
        assert_eq!(p.verdict(4, 0), ThrottleVerdict::Allowed);
        assert!(matches!(p.verdict(5, 0), ThrottleVerdict::Locked { .. }));
        assert!(matches!(p.verdict(0, 30), ThrottleVerdict::Locked { .. }));
    }

    #[test]
    fn session_ends_at_idle_or_absolute_limit() {
        let p = SessionPolicy {
            idle_secs: 10,
            absolute_secs: 100,
        };
        assert_eq!(p.expires_at(0, 0), 10);
        assert_eq!(p.expires_at(0, 95), 100);
    }
}
