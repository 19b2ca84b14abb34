//! Chamber of Commerce (Kamer van Koophandel) numbers.

use serde::{Deserialize, Serialize};

/// A KvK number: the 8-digit registration number of a Dutch organisation in the trade register.
/// KvK numbers are sequence numbers without a check digit, so the check is their form: exactly
/// eight digits (spaces and dots as people write them are dropped), not all zeros.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct KvkNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a KvK number: it has exactly 8 digits")]
pub struct InvalidKvk(pub String);

impl KvkNumber {
    pub fn parse(raw: &str) -> Result<KvkNumber, InvalidKvk> {
        let digits: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '\u{a0}'))
            .collect();
        if digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()) && digits != "00000000" {
            Ok(KvkNumber(digits))
        } else {
            Err(InvalidKvk(raw.chars().take(40).collect()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for KvkNumber {
    type Error = InvalidKvk;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        KvkNumber::parse(&s)
    }
}

impl From<KvkNumber> for String {
    fn from(k: KvkNumber) -> String {
        k.0
    }
}

impl std::fmt::Display for KvkNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_digits_as_people_write_them() {
        assert_eq!(
            KvkNumber::parse("12345678").map(|k| k.0),
            Ok("12345678".into())
        );
        assert_eq!(
            KvkNumber::parse("1234 5678").map(|k| k.0),
            Ok("12345678".into())
        );
        assert_eq!(
            KvkNumber::parse("12.34.56.78").map(|k| k.0),
            Ok("12345678".into())
        );
        for bad in [
            "1234567",
            "123456789",
            "1234567a",
            "00000000",
            "",
            "１２３４５６７８",
        ] {
            assert!(KvkNumber::parse(bad).is_err(), "{bad}");
        }
    }
}
