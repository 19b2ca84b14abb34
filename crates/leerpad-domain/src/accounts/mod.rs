//! Accounts: input rules (what counts as a valid e-mail address, password and display name),
//! the audit log's events, login throttling and the storage port of the account use cases.
//!
//! Values are parsed once at the edge into these types, so code past the edge never sees an
//! overlong or malformed value.

pub mod audit;
pub mod ports;
pub mod throttle;

use serde::Serialize;
use std::fmt;

/// Why account input was refused; each variant names the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("email: not a valid e-mail address")]
    InvalidEmail,
    #[error("email: longer than {max} characters")]
    EmailTooLong { max: usize },
    #[error("password: shorter than {min} characters")]
    PasswordTooShort { min: usize },
    #[error("password: longer than {max} characters")]
    PasswordTooLong { max: usize },
    #[error("display_name: must not be empty")]
    DisplayNameEmpty,
    #[error("display_name: longer than {max} characters")]
    DisplayNameTooLong { max: usize },
    #[error("display_name: contains control characters")]
    DisplayNameControlChars,
    #[error("name: give the token a name of 1 to {max} characters without control characters")]
    TokenName { max: usize },
    #[error("valid_days: between 1 and {max}")]
    TokenValidity { max: u32 },
}

impl AccountError {
    /// The input field the error is about, for tying messages to form fields.
    pub fn field(&self) -> &'static str {
        match self {
            AccountError::InvalidEmail | AccountError::EmailTooLong { .. } => "email",
            AccountError::PasswordTooShort { .. } | AccountError::PasswordTooLong { .. } => {
                "password"
            }
            AccountError::DisplayNameEmpty
            | AccountError::DisplayNameTooLong { .. }
            | AccountError::DisplayNameControlChars => "display_name",
            AccountError::TokenName { .. } => "name",
            AccountError::TokenValidity { .. } => "valid_days",
        }
    }
}

/// An e-mail address, trimmed and lower-cased so that one person has one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, AccountError> {
        let trimmed = raw.trim();
        if trimmed.chars().count() > Self::MAX_LEN {
            return Err(AccountError::EmailTooLong { max: Self::MAX_LEN });
        }
        let lowered = trimmed.to_lowercase();
        let parsed = email_address::EmailAddress::parse_with_options(
            &lowered,
            email_address::Options::default().without_display_text(),
        )
        .map_err(|_| AccountError::InvalidEmail)?;
        // Require a dot in the domain: "user@localhost" is no address a person reads mail at.
        if !parsed.domain().contains('.') {
            return Err(AccountError::InvalidEmail);
        }
        Ok(Email(lowered))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password as typed; its length is checked in characters, never logged or displayed.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// NCSC and NIST advise length over composition rules.
    pub const MIN_LEN: usize = 10;
    /// Bounds the hashing work an attacker can ask for.
    pub const MAX_LEN: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, AccountError> {
        let n = raw.chars().count();
        if n < Self::MIN_LEN {
            return Err(AccountError::PasswordTooShort { min: Self::MIN_LEN });
        }
        if n > Self::MAX_LEN {
            return Err(AccountError::PasswordTooLong { max: Self::MAX_LEN });
        }
        Ok(Password(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// The name shown to advisors and in the page header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_LEN: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, AccountError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(AccountError::DisplayNameEmpty);
        }
        if trimmed.chars().count() > Self::MAX_LEN {
            return Err(AccountError::DisplayNameTooLong { max: Self::MAX_LEN });
        }
        if trimmed.chars().any(char::is_control) {
            return Err(AccountError::DisplayNameControlChars);
        }
        Ok(DisplayName(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name a person gives an API token ("koppeling met HR-systeem").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenName(String);

impl TokenName {
    pub const MAX_LEN: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, AccountError> {
        let err = AccountError::TokenName { max: Self::MAX_LEN };
        let name = DisplayName::parse(raw).map_err(|_| err.clone())?;
        Ok(TokenName(name.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How long a personal API token stays valid, in days; `None` means until revoked.
pub fn token_validity(days: Option<u32>) -> Result<Option<u32>, AccountError> {
    const MAX_DAYS: u32 = 3650;
    match days {
        Some(d) if !(1..=MAX_DAYS).contains(&d) => {
            Err(AccountError::TokenValidity { max: MAX_DAYS })
        }
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn email_is_normalised() {
        let e = Email::parse("  Anna.de.Vries@Example.NL ").map(|e| e.0);
        assert_eq!(e, Ok("anna.de.vries@example.nl".to_owned()));
    }

    #[test]
    fn bad_emails_are_refused() {
        for bad in [
            "",
            "anna",
            "anna@",
            "@example.nl",
            "anna@localhost",
            "a b@example.nl",
        ] {
            assert_eq!(Email::parse(bad), Err(AccountError::InvalidEmail), "{bad}");
        }
        let long = format!("{}@example.nl", "a".repeat(250));
        assert_eq!(
            Email::parse(&long),
            Err(AccountError::EmailTooLong { max: 254 })
        );
    }

    #[test]
    fn password_length_is_counted_in_characters() {
        assert!(Password::parse("ééééééééé").is_err());
        assert!(Password::parse("éééééééééé").is_ok());
        assert_eq!(
            Password::parse(&"x".repeat(129)).map(|_| ()),
            Err(AccountError::PasswordTooLong { max: 128 })
        );
        assert_eq!(
            format!("{:?}", Password::parse("geheim-wachtwoord")),
            "Ok(Password(***))"
        );
    }

    #[test]
    fn token_validity_is_one_day_to_ten_years() {
        assert_eq!(token_validity(None), Ok(None));
        assert_eq!(token_validity(Some(30)), Ok(Some(30)));
        assert_eq!(
            token_validity(Some(0)).map_err(|e| e.field()),
            Err("valid_days")
        );
        assert!(token_validity(Some(3651)).is_err());
    }

    #[test]
    fn display_name_rules() {
        assert_eq!(
            DisplayName::parse("  "),
            Err(AccountError::DisplayNameEmpty)
        );
        assert_eq!(
            DisplayName::parse("a\u{7}b"),
            Err(AccountError::DisplayNameControlChars)
        );
        assert_eq!(
            DisplayName::parse(" Fatima ").map(|d| d.0),
            Ok("Fatima".to_owned())
        );
    }

    proptest! {
        #[test]
        fn parsing_never_panics_and_bounds_hold(s in ".{0,400}") {
            if let Ok(e) = Email::parse(&s) { prop_assert!(e.as_str().chars().count() <= Email::MAX_LEN); }
            if let Ok(p) = Password::parse(&s) { prop_assert!(p.expose().chars().count() <= Password::MAX_LEN); }
            if let Ok(d) = DisplayName::parse(&s) { prop_assert!(!d.as_str().is_empty()); }
        }
    }
}
