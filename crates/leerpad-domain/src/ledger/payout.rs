//! When providers are paid. What a learner's completed course pays lands on the provider's
//! account in the ledger (owed to the provider); a payout run moves it through the platform's
//! clearing account to the provider's bank. Runs are on the first working day on or after the
//! 1st and the 15th of each month, so money owed is paid within 30 days (the promise made to
//! providers; [`MAX_DAYS_TO_PAYOUT`], checked for every day of many years in the tests).

use crate::shared::Date;
use crate::shared::workdays::is_working_day;
use time::Duration;

/// The most days between money becoming owed and the run that pays it.
pub const MAX_DAYS_TO_PAYOUT: i64 = 30;

/// The key of the platform's clearing account: payouts on their way to a bank.
pub const CLEARING_KEY: &str = "clearing:uitbetalingen";
/// The key of the funding account that stands for the providers' banks (money leaving the
/// platform).
pub const PROVIDER_BANKS_KEY: &str = "funding:banken-aanbieders";

/// The first working day on or after `d`.
fn working_day_from(d: Date) -> Date {
    let mut day = d;
    while !is_working_day(day) {
        match day.next_day() {
            Some(next) => day = next,
            None => break,
        }
    }
    day
}

/// The payout days of the month of `d`: the first working day on or after the 1st and the 15th.
fn payout_days_of_month(d: Date) -> [Date; 2] {
    let first = d.replace_day(1).unwrap_or(d);
    let fifteenth = d.replace_day(15).unwrap_or(d);
    [working_day_from(first), working_day_from(fifteenth)]
}

/// Whether a payout run belongs to this day.
pub fn is_payout_day(d: Date) -> bool {
    payout_days_of_month(d).contains(&d)
}

/// The latest payout day on or before `d`: the run that should have happened by then (a
/// server that was down on the day itself runs it late, never skips it).
pub fn latest_payout_day(d: Date) -> Date {
    let mut day = d;
    for _ in 0..62 {
        if is_payout_day(day) {
            return day;
        }
        match day.previous_day() {
            Some(prev) => day = prev,
            None => break,
        }
    }
    day
}

/// The first payout day after `d`: when money that becomes owed on `d` is paid (a run on `d`
/// itself may have gone already).
pub fn next_payout_day(d: Date) -> Date {
    let mut day = d;
    for _ in 0..62 {
        match day.next_day() {
            Some(next) => day = next,
            None => break,
        }
        if is_payout_day(day) {
            return day;
        }
    }
    day + Duration::days(MAX_DAYS_TO_PAYOUT)
}

/// The idempotency keys of one provider's payout in the run of `day`: to the clearing account,
/// and from there to the bank. The same run on another server, or after a restart, pays once.
pub fn payout_keys(provider_account_key: &str, day: Date) -> (String, String) {
    (
        format!("payout:{provider_account_key}:{day}"),
        format!("payout-bank:{provider_account_key}:{day}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn money_owed_on_any_day_is_paid_within_thirty_days() {
        let mut d = date!(2025 - 01 - 01);
        let mut longest = 0;
        while d < date!(2035 - 01 - 01) {
            let next = next_payout_day(d);
            assert!(next > d);
            assert!(is_payout_day(next) && is_working_day(next), "{next}");
            longest = longest.max((next - d).whole_days());
            d = d.next_day().expect("a next day");
        }
        assert!(longest <= MAX_DAYS_TO_PAYOUT, "{longest}");
        assert!(longest >= 14, "two runs a month: {longest}");
    }

    #[test]
    fn runs_move_to_the_next_working_day() {
        // 1 January is a holiday, 2 January 2027 a Saturday: the run is on Monday 4 January.
        assert!(!is_payout_day(date!(2027 - 01 - 01)));
        assert!(is_payout_day(date!(2027 - 01 - 04)));
        assert_eq!(
            latest_payout_day(date!(2027 - 01 - 10)),
            date!(2027 - 01 - 04)
        );
        // 15 November 2026 is a Sunday.
        assert_eq!(
            next_payout_day(date!(2026 - 11 - 10)),
            date!(2026 - 11 - 16)
        );
        assert_eq!(
            latest_payout_day(date!(2026 - 11 - 16)),
            date!(2026 - 11 - 16)
        );
        assert_eq!(
            next_payout_day(date!(2026 - 11 - 16)),
            date!(2026 - 12 - 01)
        );
    }
}
