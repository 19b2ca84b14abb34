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

use leerpad_domain::catalogue::{OfferInput, ProviderInput};
use leerpad_domain::shared::FieldError;
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

/// Read every offer of a file held in memory (an upload through the browser).
pub fn read_bytes(
    bytes: &[u8],
    format: Format,
    provider: Option<&ProviderInput>,
) -> Result<Vec<Row>, ReadError> {
    Ok(match format {
        Format::JsonLines => jsonl::rows(std::io::Cursor::new(bytes.to_vec())).collect(),
        Format::Csv => {
            csv_rows::rows(std::io::Cursor::new(bytes.to_vec()), provider.cloned())?.collect()
        }
        Format::EduDex => {
            let text = std::str::from_utf8(bytes).map_err(|e| ReadError::Malformed {
                line: 1,
                message: format!("not UTF-8 text: {e}"),
            })?;
            edudex::rows(text, provider.cloned())?
        }
    })
}

/// The byte order mark some programs (Excel among them) put at the start of a UTF-8 file.
pub const BOM: char = '\u{feff}';

/// `text` without a leading byte order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix(BOM).unwrap_or(text)
}

/// Where the offer formats are documented, relative to the repository root. Messages that send
/// people to the documentation use these (a test checks that they exist).
pub const FORMATS_DOC: &str = "docs/formats/offers.md";
pub const CSV_DOC: &str = "docs/formats/offers.md#csv";

pub(crate) fn field_error(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError::new(field, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The repository root, where documentation links are relative to.
    fn repository() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    /// The anchor GitHub gives a Markdown heading: lower case, spaces to dashes, punctuation
    /// other than dashes and underscores dropped.
    fn anchor_of(heading: &str) -> String {
        heading
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect()
    }

    /// Every `docs/….md` link (with an optional `#anchor`) in `text`.
    fn doc_links(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(i) = rest.find("docs/") {
            let link: String = rest[i..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "/._-#".contains(*c))
                .collect();
            let link = link.trim_end_matches('.').to_owned();
            if link.contains(".md") {
                out.push(link);
            }
            rest = &rest[i + "docs/".len()..];
        }
        out
    }

    fn assert_link_resolves(link: &str) {
        let (file, anchor) = link.split_once('#').unwrap_or((link, ""));
        let path = repository().join(file);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{link}: {} cannot be read: {e}", path.display()));
        if !anchor.is_empty() {
            let anchors: Vec<String> = text
                .lines()
                .filter_map(|l| l.strip_prefix('#'))
                .map(|h| anchor_of(h.trim_start_matches('#')))
                .collect();
            assert!(
                anchors.iter().any(|a| a == anchor),
                "{link}: no heading for #{anchor} in {file} (there are {anchors:?})"
            );
        }
    }

    #[test]
    fn documentation_links_in_messages_exist() {
        for link in [FORMATS_DOC, CSV_DOC] {
            assert_link_resolves(link);
        }
        // And every other `docs/…` link anywhere in this crate's source.
        let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
        let mut seen = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("source directory") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("source file");
                    for link in doc_links(&text) {
                        assert_link_resolves(&link);
                        seen += 1;
                    }
                }
            }
        }
        assert!(seen > 0, "the scan finds the links in this crate");
        assert_eq!(doc_links("see docs/formats/offers.md#csv)."), vec![CSV_DOC]);
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_text() {
        assert_eq!(strip_bom("\u{feff}{\"a\":1}"), "{\"a\":1}");
        assert_eq!(strip_bom("{}"), "{}");
        assert_eq!(strip_bom("a\u{feff}"), "a\u{feff}");
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
