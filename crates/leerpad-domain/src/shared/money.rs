//! Money: euro cents in one type, with checked arithmetic and the one place that formats and
//! parses euros as people write them.

use serde::{Deserialize, Serialize};

/// An amount in euro cents. Serialised as the plain number of cents, so files and the API
/// keep their `…_cents` integers.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_cents(cents: i64) -> Money {
        Money(cents)
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// `self` minus `other`, but never below zero (what is left of a budget).
    pub fn saturating_sub_to_zero(self, other: Money) -> Money {
        Money(self.0.saturating_sub(other.0).max(0))
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Euros as written by people or systems ("1234,50", "1.234,50", "1234.50", "€ 95").
    pub fn parse_euros(raw: &str) -> Option<Money> {
        let t: String = raw
            .trim()
            .trim_start_matches('€')
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if t.is_empty() {
            return None;
        }
        // The last separator followed by exactly two digits is the decimal one.
        let (whole, cents) = match t.rfind([',', '.']) {
            Some(i) if t.len() - i == 3 => (&t[..i], &t[i + 1..]),
            _ => (t.as_str(), "00"),
        };
        let whole: String = whole.chars().filter(|c| *c != '.' && *c != ',').collect();
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if !cents.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let euros: i64 = whole.parse().ok()?;
        let cents: i64 = cents.parse().ok()?;
        euros.checked_mul(100)?.checked_add(cents).map(Money)
    }

    /// As machines read it: "1234.50" (schema.org prices, CSV exports).
    pub fn decimal(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let cents = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", cents / 100, cents % 100)
    }

    /// As people read it: "€ 1.234,50" and "€ 95,-" in Dutch, "€1,234.50" and "€95" in English.
    pub fn format_euros(self, lang: &str) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let cents = self.0.unsigned_abs();
        let amount = amount(cents, lang);
        match (lang, cents % 100) {
            ("en", _) => format!("{sign}€{amount}"),
            (_, 0) => format!("{sign}€ {amount},-"),
            _ => format!("{sign}€ {amount}"),
        }
    }

    /// The amount as people type it, without the euro sign: "1.234,50" and "95" in Dutch,
    /// "1,234.50" and "95" in English; [`Money::parse_euros`] reads it back.
    pub fn format_amount(self, lang: &str) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("{sign}{}", amount(self.0.unsigned_abs(), lang))
    }
}

impl Money {
    /// `percent` % of this amount, rounded down to whole cents (what a scheme pays).
    pub fn percent_floor(self, percent: u8) -> Money {
        Money(self.0.saturating_mul(i64::from(percent)).div_euclid(100))
    }

    /// `percent` % of this amount, rounded to the nearest cent, halves up (VAT).
    pub fn percent_half_up(self, percent: u8) -> Money {
        Money((self.0.saturating_mul(i64::from(percent)) + 50).div_euclid(100))
    }

    /// `percent` % of this amount, rounded up to whole cents (what a person pays).
    pub fn percent_ceil(self, percent: u8) -> Money {
        Money((self.0.saturating_mul(i64::from(percent)) + 99).div_euclid(100))
    }
}

impl std::fmt::Display for Money {
    /// The plain number of cents, as in files and messages to integrators.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// `+` and `-` saturate for the same reason as [`Sum`](std::iter::Sum): amounts are bounded
/// where they enter (at most a million euros per cost line), so saturation never shows in
/// practice, and money code must never panic.
impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        Money(self.0.saturating_sub(other.0))
    }
}

impl std::ops::AddAssign for Money {
    fn add_assign(&mut self, other: Money) {
        *self = *self + other;
    }
}

impl std::ops::SubAssign for Money {
    fn sub_assign(&mut self, other: Money) {
        *self = *self - other;
    }
}

impl std::iter::Sum for Money {
    /// Sums saturate: amounts here are far below `i64::MAX` cents, and a sum that would
    /// overflow is a data error better shown as a huge number than a panic.
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.fold(0i64, |acc, m| acc.saturating_add(m.0)))
    }
}

/// `cents` with the language's thousands separator, and its decimals unless they are zero.
fn amount(cents: u64, lang: &str) -> String {
    let (whole, rest) = (cents / 100, cents % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(if lang == "en" { ',' } else { '.' });
        }
        grouped.push(c);
    }
    match (lang, rest) {
        (_, 0) => grouped,
        ("en", r) => format!("{grouped}.{r:02}"),
        (_, r) => format!("{grouped},{r:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::Money;
    use proptest::prelude::*;

    #[test]
    fn euros_are_written_as_people_read_them() {
        let m = Money::from_cents(123_450);
        assert_eq!(m.format_euros("nl"), "€ 1.234,50");
        assert_eq!(m.format_euros("en"), "€1,234.50");
        assert_eq!(Money::from_cents(9_500).format_euros("nl"), "€ 95,-");
        assert_eq!(Money::from_cents(9_500).format_euros("en"), "€95");
        assert_eq!(Money::from_cents(-250).format_euros("nl"), "-€ 2,50");
        assert_eq!(m.decimal(), "1234.50");
        assert_eq!(Money::from_cents(-5).decimal(), "-0.05");
    }

    #[test]
    fn euros_are_read_as_people_write_them() {
        for (text, cents) in [
            ("1234,50", 123_450),
            ("1.234,50", 123_450),
            ("1234.50", 123_450),
            ("€ 95", 9_500),
            ("1.000", 100_000),
            ("0", 0),
        ] {
            assert_eq!(
                Money::parse_euros(text),
                Some(Money::from_cents(cents)),
                "{text}"
            );
        }
        for bad in ["", "€", "twaalf", "12,5x", "-3", "99999999999999999999"] {
            assert_eq!(Money::parse_euros(bad), None, "{bad}");
        }
    }

    #[test]
    fn arithmetic_is_checked() {
        let max = Money::from_cents(i64::MAX);
        assert_eq!(max.checked_add(Money::from_cents(1)), None);
        assert_eq!(
            Money::from_cents(5).saturating_sub_to_zero(Money::from_cents(9)),
            Money::ZERO
        );
        let total: Money = [1, 2, 3].into_iter().map(Money::from_cents).sum();
        assert_eq!(total, Money::from_cents(6));
    }

    proptest! {
        #[test]
        fn formatted_dutch_amounts_parse_back(cents in 0i64..10_000_000_000) {
            let m = Money::from_cents(cents);
            let text = m.format_euros("nl").replace(",-", "");
            prop_assert_eq!(Money::parse_euros(&text), Some(m));
        }
    }
}
