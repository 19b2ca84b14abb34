//! The field readers every validation step uses: each turns a raw value into a typed one or
//! records what is wrong with it under the field's name, so all problems come out at once.

use super::LocalizedInput;
use crate::shared::{Date, FieldError, Localized, iso_date_option};

pub(super) struct Errors(pub(super) Vec<FieldError>);

impl Errors {
    pub(super) fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field.into(), message.into()));
    }

    /// A problem pages can say in their own language: `code` is the translation key
    /// (`catalogue-error-…`), `args` its arguments; the message stays English for files and the API.
    pub(super) fn coded(
        &mut self,
        field: impl Into<String>,
        message: impl Into<String>,
        code: &'static str,
        args: Vec<(&'static str, String)>,
    ) {
        self.0
            .push(FieldError::new(field.into(), message.into()).coded(code, args));
    }

    /// A text: trimmed, at most `max` characters, no control characters except line breaks.
    pub(super) fn text(&mut self, field: &str, raw: Option<&str>, max: usize) -> String {
        let t = raw.unwrap_or("").trim();
        if t.chars().count() > max {
            self.coded(
                field,
                format!("longer than {max} characters"),
                "catalogue-error-too-long",
                vec![("max", max.to_string())],
            );
        } else if t
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            self.add(field, "contains control characters");
        }
        t.to_owned()
    }

    pub(super) fn localized(&mut self, field: &str, raw: &LocalizedInput, max: usize) -> Localized {
        Localized {
            nl: self.text(&format!("{field}.nl"), raw.nl.as_deref(), max),
            en: self.text(&format!("{field}.en"), raw.en.as_deref(), max),
        }
    }

    pub(super) fn choice<T: std::str::FromStr + Copy>(
        &mut self,
        field: &str,
        raw: &str,
        all: fn() -> String,
    ) -> Option<T> {
        match raw.trim().parse::<T>() {
            Ok(v) => Some(v),
            Err(_) if raw.trim().is_empty() => {
                self.coded(
                    field,
                    format!("required: one of {}", all()),
                    "catalogue-error-choose",
                    Vec::new(),
                );
                None
            }
            Err(_) => {
                self.coded(
                    field,
                    format!("'{}' is not one of {}", clip(raw), all()),
                    "catalogue-error-choose",
                    Vec::new(),
                );
                None
            }
        }
    }

    /// A choice that may be left out (or blank), meaning `default`.
    pub(super) fn choice_or<T: std::str::FromStr + Copy>(
        &mut self,
        field: &str,
        raw: Option<&str>,
        default: T,
        all: fn() -> String,
    ) -> Option<T> {
        match raw.filter(|s| !s.trim().is_empty()) {
            Some(s) => self.choice(field, s, all),
            None => Some(default),
        }
    }

    pub(super) fn date(&mut self, field: &str, raw: Option<&str>) -> Option<Date> {
        let raw = raw.map(str::trim).filter(|s| !s.is_empty())?;
        let parsed = iso_date_option::parse(raw);
        if parsed.is_none() {
            self.coded(
                field,
                format!("'{}' is not a date (YYYY-MM-DD)", clip(raw)),
                "catalogue-error-date",
                vec![("value", clip(raw))],
            );
        }
        parsed
    }

    pub(super) fn code5(&mut self, field: &str, raw: Option<&str>) -> Option<String> {
        let raw = raw.map(str::trim).filter(|s| !s.is_empty())?;
        if raw.len() == 5 && raw.bytes().all(|b| b.is_ascii_digit()) {
            Some(raw.to_owned())
        } else {
            self.coded(
                field,
                format!("'{}' is not a 5-digit code", clip(raw)),
                "catalogue-error-code5",
                vec![("value", clip(raw))],
            );
            None
        }
    }
}

/// At most 40 characters of a value, for messages.
pub(super) fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}
