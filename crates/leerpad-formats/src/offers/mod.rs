//! Reading training offers from files. Each reader yields one [`Row`] per offer: the offer as
//! given, or what is wrong with it and where. Checking the offer against the rules
//! (`leerpad_domain::catalogue::validate_offer`) is the next step, done by the caller.
//!
//! | format | file | one offer is |
//! | --- | --- | --- |
//! | JSON Lines | `*.jsonl`, `*.ndjson` | a line holding an `OfferInput` object |
//! | CSV | `*.csv` | one or more rows with the same `provider_kvk` + `provider_offer_id` (a row per run) |
//! | EDU-DEX | `*.json` | a `program` object, or each element of an array of them |

pub mod csv_rows;
pub mod edudex;
pub mod jsonl;

use leerpad_domain::catalogue::{FieldError, OfferInput, ProviderInput};
use std::path::Path;

/// The formats `leerpad import offers` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    JsonLines,
    Csv,
    EduDex,
}

impl Format {
    /// The format a file name says it has.
    pub fn of_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::EduDex),
            _ => None,
        }
    }

    pub fn parse(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "jsonl" | "ndjson" | "json-lines" => Some(Format::JsonLines),
            "csv" => Some(Format::Csv),
            "edudex" | "edu-dex" => Some(Format::EduDex),
            _ => None,
        }
    }
}

/// One offer read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Line (1-based) where the offer starts.
    pub line: u64,
    /// The provider's id of the offer when it could be read, for reports.
    pub key: Option<String>,
    pub offer: Result<OfferInput, Vec<FieldError>>,
}

/// The file as a whole cannot be read (as opposed to a bad offer in it).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("line {line}: {message}")]
    Malformed { line: u64, message: String },
}

/// Read every offer of a file in `format`. EDU-DEX programs carry no KvK number: `provider`
/// supplies it (and is used for CSV rows without provider columns).
pub fn read(
    path: &Path,
    format: Format,
    provider: Option<&ProviderInput>,
) -> Result<Box<dyn Iterator<Item = Row> + Send>, ReadError> {
    let file = std::fs::File::open(path)?;
    Ok(match format {
        Format::JsonLines => Box::new(jsonl::rows(std::io::BufReader::new(file))),
        Format::Csv => Box::new(csv_rows::rows(file, provider.cloned())?),
        Format::EduDex => {
            let text = std::fs::read_to_string(path)?;
            Box::new(edudex::rows(&text, provider.cloned())?.into_iter())
        }
    })
}

pub(crate) fn field_error(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// Euros as written by people or systems ("1234,50", "1.234,50", "1234.50", "€ 95") to cents.
pub fn euros_to_cents(raw: &str) -> Option<i64> {
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
    euros.checked_mul(100)?.checked_add(cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euro_amounts_as_written() {
        assert_eq!(euros_to_cents("1234,50"), Some(123_450));
        assert_eq!(euros_to_cents("1.234,50"), Some(123_450));
        assert_eq!(euros_to_cents("1234.50"), Some(123_450));
        assert_eq!(euros_to_cents("€ 95"), Some(9_500));
        assert_eq!(euros_to_cents("1.250"), Some(125_000), "a thousands point");
        assert_eq!(euros_to_cents("0"), Some(0));
        for bad in ["", "abc", "12,5x", "-5", "99999999999999999999"] {
            assert_eq!(euros_to_cents(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_by_name() {
        assert_eq!(
            Format::of_path(Path::new("a.JSONL")),
            Some(Format::JsonLines)
        );
        assert_eq!(Format::of_path(Path::new("a.csv")), Some(Format::Csv));
        assert_eq!(Format::of_path(Path::new("a.json")), Some(Format::EduDex));
        assert_eq!(Format::of_path(Path::new("a.xml")), None);
    }
}
