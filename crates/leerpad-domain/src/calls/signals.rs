//! Signals for a call's programme manager: things worth a look, not verdicts. A price raised
//! after approval (the call pays the approved price; learners outside the call pay more), many
//! learners who did not come, and a sudden rush of requests for a course.

use crate::shared::Money;

/// No-shows worth a look: at least this many …
pub const NO_SHOWS_AT_LEAST: u32 = 3;
/// … and at least this share of the provider's started or no-show enrolments, in percent.
pub const NO_SHOW_PERCENT: u32 = 20;
/// Requests in the last week worth a look: at least this many …
pub const RUSH_AT_LEAST: u32 = 10;
/// … and at least this many times the weekly average of the eight weeks before.
pub const RUSH_TIMES: u32 = 3;

/// Whether the course costs more in the catalogue now than when the call approved it.
pub fn price_raised(at_approval: Money, current: Money) -> bool {
    current > at_approval
}

/// Whether a provider's no-shows are worth a look: `no_shows` of `taken` (enrolments that
/// started or where the learner did not come).
pub fn many_no_shows(no_shows: u32, taken: u32) -> bool {
    no_shows >= NO_SHOWS_AT_LEAST
        && u64::from(no_shows) * 100 >= u64::from(taken) * u64::from(NO_SHOW_PERCENT)
}

/// Whether a course's requests in the last week are a sudden rush against the eight weeks
/// before (`before`: their total).
pub fn sudden_volume(last_week: u32, before: u32) -> bool {
    // Compared as last_week * 8 >= RUSH_TIMES * before, so no average is rounded.
    last_week >= RUSH_AT_LEAST
        && u64::from(last_week) * 8 >= u64::from(RUSH_TIMES) * u64::from(before)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_as_documented() {
        assert!(price_raised(Money::from_cents(100), Money::from_cents(101)));
        assert!(!price_raised(
            Money::from_cents(100),
            Money::from_cents(100)
        ));
        assert!(!many_no_shows(2, 2), "two is chance");
        assert!(many_no_shows(3, 15));
        assert!(!many_no_shows(3, 16), "under a fifth");
        assert!(!sudden_volume(9, 0));
        assert!(sudden_volume(10, 0));
        // 8 weeks of 5 a week (40) is an average of 5; 15 is three times that.
        assert!(sudden_volume(15, 40));
        assert!(!sudden_volume(14, 40));
    }
}
