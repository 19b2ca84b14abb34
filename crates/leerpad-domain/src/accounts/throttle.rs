//! Login throttling: how many failed logins are tolerated before an account or an address has
//! to wait. Failures are counted in the database (see the ports), so the limit holds across
//! server processes; this module only decides.

use crate::clock::UnixTime;

/// Limits on failed logins within a sliding window.
///
/// The per-address limit protects many accounts from one guesser (password spraying), but one
/// address is often many honest people: a library, a school or a company behind one NAT. So
/// every distinct account that signed in successfully from the address within the window adds
/// `max_failures_per_account` to the address's allowance, up to
/// `max_trusted_accounts_per_ip` accounts: a busy library is not locked out by the typos of its
/// visitors, while a guesser without working passwords stays at the base limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub window_secs: i64,
    pub max_failures_per_account: i64,
    pub max_failures_per_ip: i64,
    pub max_trusted_accounts_per_ip: i64,
}

/// What storage counted within the window, inside the transaction that records the attempt.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AttemptCounts {
    /// Failed (or still undecided) password checks for the account.
    pub account_failures: i64,
    /// Failed (or still undecided) password checks from the address.
    pub ip_failures: i64,
    /// Distinct accounts that signed in successfully from the address.
    pub ip_trusted_accounts: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            window_secs: 15 * 60,
            max_failures_per_account: 5,
            max_failures_per_ip: 30,
            max_trusted_accounts_per_ip: 20,
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

    /// How many failures the address may have in the window, given how many distinct accounts
    /// signed in from it.
    pub fn ip_allowance(&self, trusted_accounts: i64) -> i64 {
        let trusted = trusted_accounts.clamp(0, self.max_trusted_accounts_per_ip.max(0));
        self.max_failures_per_ip
            .saturating_add(trusted.saturating_mul(self.max_failures_per_account))
    }

    /// Decide whether one more password check may run, from what was counted in the window.
    /// Storage calls this inside the transaction that records the attempt, so attempts sent at
    /// once are counted one after the other and cannot all slip under the limit.
    pub fn verdict(&self, counts: AttemptCounts) -> ThrottleVerdict {
        if counts.account_failures >= self.max_failures_per_account
            || counts.ip_failures >= self.ip_allowance(counts.ip_trusted_accounts)
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

    fn counts(account: i64, ip: i64, trusted: i64) -> AttemptCounts {
        AttemptCounts {
            account_failures: account,
            ip_failures: ip,
            ip_trusted_accounts: trusted,
        }
    }

    #[test]
    fn locks_at_the_limit() {
        let p = ThrottlePolicy::default();
        assert_eq!(p.verdict(counts(4, 0, 0)), ThrottleVerdict::Allowed);
        assert!(matches!(
            p.verdict(counts(5, 0, 0)),
            ThrottleVerdict::Locked { .. }
        ));
        assert!(matches!(
            p.verdict(counts(0, 30, 0)),
            ThrottleVerdict::Locked { .. }
        ));
    }

    #[test]
    fn an_address_many_people_sign_in_from_gets_more_room() {
        let p = ThrottlePolicy::default();
        // Ten library visitors signed in: 30 + 10 × 5 failures are tolerated.
        assert_eq!(p.verdict(counts(0, 79, 10)), ThrottleVerdict::Allowed);
        assert!(matches!(
            p.verdict(counts(0, 80, 10)),
            ThrottleVerdict::Locked { .. }
        ));
        // Bounded: a thousand sign-ins count as twenty.
        assert_eq!(p.ip_allowance(1000), p.ip_allowance(20));
        assert_eq!(p.ip_allowance(20), 30 + 20 * 5);
        // The per-account limit holds whatever the address.
        assert!(matches!(
            p.verdict(counts(5, 0, 20)),
            ThrottleVerdict::Locked { .. }
        ));
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
