//! Reading the form's typed values (amounts, whole numbers, dates, choices) and the values
//! its selects and ticked lists offer.

use leerpad_domain::catalogue::model::{Accreditation, CostKind, Level, Modality, OfferKind};
use leerpad_domain::financing::{
    Benefit, EducationLevel, EmploymentStatus, FunderKind, Payment, Sector,
};
use leerpad_domain::shared::{Date, Money, iso_date_option};
use std::str::FromStr;

/// Problems found while reading the form: field, translation key, arguments.
pub type Problems = Vec<(&'static str, &'static str, Vec<(&'static str, String)>)>;

/// Reads typed values, noting each field that does not hold one.
pub struct Reader<'e> {
    pub errors: &'e mut Problems,
}

impl Reader<'_> {
    pub fn fail(
        &mut self,
        field: &'static str,
        key: &'static str,
        args: Vec<(&'static str, String)>,
    ) {
        if !self.errors.iter().any(|(f, _, _)| *f == field) {
            self.errors.push((field, key, args));
        }
    }

    pub fn euros(&mut self, field: &'static str, raw: &str) -> Option<Money> {
        if raw.trim().is_empty() {
            return None;
        }
        let parsed = Money::parse_euros(raw);
        if parsed.is_none() {
            self.fail(field, "scheme-form-error-euros", Vec::new());
        }
        parsed
    }

    pub fn number<T: FromStr>(&mut self, field: &'static str, raw: &str) -> Option<T> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        let parsed = raw.parse().ok();
        if parsed.is_none() {
            self.fail(field, "scheme-form-error-number", Vec::new());
        }
        parsed
    }

    pub fn percent(&mut self, field: &'static str, raw: &str) -> Option<u8> {
        let raw = raw.trim().trim_end_matches('%').trim();
        let n: u32 = self.number(field, raw)?;
        let p = u8::try_from(n).ok();
        if p.is_none() {
            self.fail(
                field,
                "scheme-error-percent-over-100",
                vec![("percent", n.to_string())],
            );
        }
        p
    }

    /// A date as ISO (what a date field sends) or as Dutch people type it: 1-1-2026, 01-01-2026.
    pub fn date(&mut self, field: &'static str, raw: &str) -> Option<Date> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        let dutch = || {
            let parts: Vec<&str> = raw.split(['-', '/', '.']).collect();
            let [d, m, y] = parts.as_slice() else {
                return None;
            };
            let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
            Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
        };
        let parsed = iso_date_option::parse(raw).or_else(dutch);
        if parsed.is_none() {
            self.fail(field, "scheme-form-error-date", Vec::new());
        }
        parsed
    }

    pub fn choice<T: FromStr>(&mut self, field: &'static str, raw: &str) -> Option<T> {
        let parsed = raw.trim().parse().ok();
        if parsed.is_none() {
            self.fail(field, "scheme-form-error-choice", Vec::new());
        }
        parsed
    }

    pub fn choices<T: FromStr>(&mut self, field: &'static str, raw: &[String]) -> Vec<T> {
        raw.iter().filter_map(|v| self.choice(field, v)).collect()
    }
}

/// The values a ticked list or a select offers: identifier and translation key.
pub fn options(field: &str) -> Vec<(String, String)> {
    fn of<T: Copy + std::fmt::Display>(all: &[T], prefix: &str) -> Vec<(String, String)> {
        all.iter()
            .map(|v| (v.to_string(), format!("{prefix}{v}")))
            .collect()
    }
    match field {
        "funder_kind" => of(FunderKind::ALL, "funder-"),
        "benefit" => of(Benefit::ALL, "benefit-"),
        "payment" => of(Payment::ALL, "payment-"),
        "cost_kinds" => of(CostKind::ALL, "cost-"),
        "offer_kinds" => of(OfferKind::ALL, "kind-"),
        "levels" => of(Level::ALL, "level-"),
        "employment" => of(EmploymentStatus::ALL, "employment-"),
        "education" => of(EducationLevel::ALL, "education-"),
        "sectors" => of(Sector::ALL, "sector-"),
        "modality" => of(Modality::ALL, "modality-"),
        // Quality marks are names, the same in every language.
        "accreditation" => of(Accreditation::ALL, ""),
        _ => Vec::new(),
    }
}
