//! Dutch working days, for deadlines such as "the provider answers within 2 working days".
//!
//! A deadline counts the days the Algemene termijnenwet counts: not Saturdays and Sundays, and
//! not the public holidays it names — Nieuwjaarsdag, Goede Vrijdag, Tweede Paasdag, Koningsdag
//! (27 April, or 26 April when the 27th is a Sunday), Bevrijdingsdag (5 May, every year),
//! Hemelvaartsdag, Tweede Pinksterdag, Eerste and Tweede Kerstdag. The Easter-based days follow
//! from the date of Easter (the anonymous Gregorian algorithm), so every year is covered.

use super::Date;
use time::{Duration, Month, Weekday};

/// Easter Sunday of a year (Gregorian calendar).
pub fn easter(year: i32) -> Option<Date> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()
}

/// The public holidays of a year that a deadline skips, with their Dutch names, in date order.
pub fn public_holidays(year: i32) -> Vec<(Date, &'static str)> {
    let day = |month: Month, d: u8| Date::from_calendar_date(year, month, d).ok();
    let mut out: Vec<(Date, &'static str)> = Vec::new();
    let mut add = |d: Option<Date>, name: &'static str| {
        if let Some(d) = d {
            out.push((d, name));
        }
    };
    add(day(Month::January, 1), "Nieuwjaarsdag");
    let king = day(Month::April, 27).map(|d| {
        if d.weekday() == Weekday::Sunday {
            d - Duration::days(1)
        } else {
            d
        }
    });
    add(king, "Koningsdag");
    add(day(Month::May, 5), "Bevrijdingsdag");
    add(day(Month::December, 25), "Eerste Kerstdag");
    add(day(Month::December, 26), "Tweede Kerstdag");
    if let Some(e) = easter(year) {
        add(Some(e - Duration::days(2)), "Goede Vrijdag");
        add(Some(e + Duration::days(1)), "Tweede Paasdag");
        add(Some(e + Duration::days(39)), "Hemelvaartsdag");
        add(Some(e + Duration::days(50)), "Tweede Pinksterdag");
    }
    out.sort();
    out
}

/// Whether work counts on this day.
pub fn is_working_day(d: Date) -> bool {
    !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
        && !public_holidays(d.year()).iter().any(|(h, _)| *h == d)
}

/// The day `n` working days after `from` (the day itself does not count): a request made on
/// Friday with 2 working days to answer must be answered by the end of Tuesday.
pub fn add_working_days(from: Date, n: u32) -> Date {
    let mut d = from;
    let mut left = n;
    while left > 0 {
        d = d.next_day().unwrap_or(d);
        if is_working_day(d) {
            left -= 1;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn easter_falls_on_the_known_sundays() {
        assert_eq!(easter(2024), Some(date!(2024 - 03 - 31)));
        assert_eq!(easter(2025), Some(date!(2025 - 04 - 20)));
        assert_eq!(easter(2027), Some(date!(2027 - 03 - 28)));
        assert_eq!(easter(2038), Some(date!(2038 - 04 - 25)));
    }

    #[test]
    fn the_holidays_of_2027() {
        let days: Vec<Date> = public_holidays(2027).into_iter().map(|(d, _)| d).collect();
        assert_eq!(
            days,
            vec![
                date!(2027 - 01 - 01),
                date!(2027 - 03 - 26),
                date!(2027 - 03 - 29),
                date!(2027 - 04 - 27),
                date!(2027 - 05 - 05),
                date!(2027 - 05 - 06),
                date!(2027 - 05 - 17),
                date!(2027 - 12 - 25),
                date!(2027 - 12 - 26),
            ]
        );
        // 27 April 2025 is a Sunday: Koningsdag is the 26th.
        assert!(public_holidays(2025).contains(&(date!(2025 - 04 - 26), "Koningsdag")));
    }

    #[test]
    fn deadlines_skip_weekends_and_holidays() {
        // Friday 11 December 2026 + 2 working days = Tuesday the 15th.
        assert_eq!(
            add_working_days(date!(2026 - 12 - 11), 2),
            date!(2026 - 12 - 15)
        );
        // Wednesday 23 December + 2: Thursday 24, (25, 26, 27 off) Monday 28.
        assert_eq!(
            add_working_days(date!(2026 - 12 - 23), 2),
            date!(2026 - 12 - 28)
        );
        // Thursday 25 March 2027 + 1: Good Friday and Easter Monday are skipped.
        assert_eq!(
            add_working_days(date!(2027 - 03 - 25), 1),
            date!(2027 - 03 - 30)
        );
        assert_eq!(
            add_working_days(date!(2027 - 03 - 25), 0),
            date!(2027 - 03 - 25)
        );
    }
}
