//! CSV: one row per run; consecutive rows with the same `provider_kvk` and
//! `provider_offer_id` are one offer (its first row gives the offer's columns, every row a run).
//! Lists (`languages`, `skills`, `provider_accreditations`) are separated by `;`. Amounts are
//! euros (`1234,50` or `1234.50`). The columns are documented in `docs/formats/offers.md#csv`
//! ([`CSV_DOC`](super::CSV_DOC)). A byte order mark at the start of the file is skipped.

use super::{BOM, CSV_DOC, ReadError, Row, field_error};
use leerpad_domain::catalogue::{CostInput, LocalizedInput, OfferInput, ProviderInput, RunInput};
use leerpad_domain::shared::{FieldError, Money};
use std::collections::HashMap;
use std::io::BufRead;

/// Every column the reader knows; any other header is refused (a misspelt column would
/// otherwise be ignored silently).
pub const COLUMNS: &[&str] = &[
    "provider_kvk",
    "provider_name",
    "provider_accreditations",
    "provider_offer_id",
    "title_nl",
    "title_en",
    "summary_nl",
    "summary_en",
    "description_nl",
    "description_en",
    "kind",
    "level",
    "nlqf",
    "crebo",
    "croho",
    "modality",
    "schedule",
    "study_load_hours",
    "languages",
    "credential",
    "skills",
    "status",
    "tuition_eur",
    "exam_eur",
    "materials_eur",
    "registration_eur",
    "other_eur",
    "vat_percent",
    "run_id",
    "run_start",
    "run_end",
    "run_municipality",
    "run_status",
    "run_deadline",
];

const REQUIRED: &[&str] = &["provider_offer_id", "kind", "modality"];

struct Record {
    line: u64,
    values: HashMap<&'static str, String>,
}

impl Record {
    fn get(&self, column: &str) -> Option<String> {
        self.values
            .get(column)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    fn key(&self) -> (String, String) {
        (
            self.get("provider_kvk").unwrap_or_default(),
            self.get("provider_offer_id").unwrap_or_default(),
        )
    }
}

fn list(v: Option<String>) -> Vec<String> {
    v.map(|s| {
        s.split(';')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

fn run_of(r: &Record) -> Option<RunInput> {
    let run = RunInput {
        id: r.get("run_id"),
        start: r.get("run_start"),
        end: r.get("run_end"),
        municipality: r.get("run_municipality"),
        status: r.get("run_status"),
        application_deadline: r.get("run_deadline"),
    };
    (run != RunInput::default()).then_some(run)
}

fn offer_of(
    group: &[Record],
    provider: Option<&ProviderInput>,
) -> Result<OfferInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let Some(first) = group.first() else {
        return Err(vec![field_error("", "empty group")]);
    };
    let mut int = |column: &str| -> Option<i64> {
        let v = first.get(column)?;
        match v.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(field_error(column, format!("'{v}' is not a whole number")));
                None
            }
        }
    };
    let nlqf = int("nlqf");
    let study_load_hours = int("study_load_hours");
    let vat_percent = int("vat_percent");
    let mut costs = Vec::new();
    for (column, kind) in [
        ("tuition_eur", "tuition"),
        ("exam_eur", "exam"),
        ("materials_eur", "materials"),
        ("registration_eur", "registration"),
        ("other_eur", "other"),
    ] {
        if let Some(v) = first.get(column) {
            match Money::parse_euros(&v) {
                Some(cents) => costs.push(CostInput {
                    kind: kind.to_owned(),
                    amount_cents: cents,
                    vat_percent,
                    required: None,
                }),
                None => errors.push(field_error(
                    column,
                    format!("'{v}' is not an amount in euros"),
                )),
            }
        }
    }
    let provider = match (first.get("provider_kvk"), provider) {
        (Some(kvk), _) => Some(ProviderInput {
            kvk,
            name: first.get("provider_name").unwrap_or_default(),
            accreditations: list(first.get("provider_accreditations")),
            ..Default::default()
        }),
        (None, Some(p)) => Some(p.clone()),
        (None, None) => None,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(OfferInput {
        provider,
        provider_offer_id: first.get("provider_offer_id").unwrap_or_default(),
        title: LocalizedInput {
            nl: first.get("title_nl"),
            en: first.get("title_en"),
        },
        summary: LocalizedInput {
            nl: first.get("summary_nl"),
            en: first.get("summary_en"),
        },
        description: LocalizedInput {
            nl: first.get("description_nl"),
            en: first.get("description_en"),
        },
        kind: first.get("kind").unwrap_or_default(),
        level: first.get("level"),
        nlqf,
        crebo: first.get("crebo"),
        croho: first.get("croho"),
        modality: first.get("modality").unwrap_or_default(),
        schedule: first.get("schedule"),
        runs: group.iter().filter_map(run_of).collect(),
        costs,
        study_load_hours,
        languages: list(first.get("languages")),
        credential: first.get("credential"),
        skills: list(first.get("skills")),
        status: first.get("status"),
    })
}

/// Offers of a CSV file. A header naming unknown columns, or missing required ones, is an
/// error of the whole file.
pub fn rows(
    reader: impl std::io::Read + Send + 'static,
    provider: Option<ProviderInput>,
) -> Result<impl Iterator<Item = Row> + Send, ReadError> {
    // Spreadsheet programs often start a UTF-8 file with a byte order mark; it is not part of
    // the first column's name.
    let mut reader = std::io::BufReader::new(reader);
    let bom = BOM.to_string();
    if reader.fill_buf()?.starts_with(bom.as_bytes()) {
        reader.consume(bom.len());
    }
    let mut csv = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::Headers)
        .from_reader(reader);
    let headers = csv.headers().map_err(|e| ReadError::Malformed {
        line: 1,
        message: format!("cannot read the header: {e}"),
    })?;
    let mut columns: Vec<&'static str> = Vec::new();
    for h in headers {
        match COLUMNS.iter().find(|c| c.eq_ignore_ascii_case(h)) {
            Some(c) => columns.push(c),
            None => {
                return Err(ReadError::Malformed {
                    line: 1,
                    message: format!("unknown column '{h}' (see {CSV_DOC})"),
                });
            }
        }
    }
    for required in REQUIRED {
        if !columns.contains(required) {
            return Err(ReadError::Malformed {
                line: 1,
                message: format!("missing column '{required}'"),
            });
        }
    }
    if !columns.contains(&"title_nl") && !columns.contains(&"title_en") {
        return Err(ReadError::Malformed {
            line: 1,
            message: "missing column 'title_nl' (or 'title_en')".into(),
        });
    }
    let mut records = csv.into_records();
    let mut pending: Option<Record> = None;
    let mut failed: Option<Row> = None;
    Ok(std::iter::from_fn(move || {
        if let Some(row) = failed.take() {
            return Some(row);
        }
        let mut group: Vec<Record> = pending.take().into_iter().collect();
        loop {
            match records.next() {
                None => break,
                Some(Err(e)) => {
                    let line = e.position().map_or(0, |p| p.line());
                    let row = Row {
                        line,
                        key: None,
                        offer: Err(vec![field_error("", format!("malformed CSV: {e}"))]),
                    };
                    if group.is_empty() {
                        return Some(row);
                    }
                    failed = Some(row);
                    break;
                }
                Some(Ok(rec)) => {
                    let record = Record {
                        line: rec.position().map_or(0, |p| p.line()),
                        values: columns
                            .iter()
                            .zip(rec.iter())
                            .map(|(c, v)| (*c, v.to_owned()))
                            .collect(),
                    };
                    match group.first() {
                        Some(first) if first.key() != record.key() => {
                            pending = Some(record);
                            break;
                        }
                        _ => group.push(record),
                    }
                }
            }
        }
        let first = group.first()?;
        Some(Row {
            line: first.line,
            key: first.get("provider_offer_id"),
            offer: offer_of(&group, provider.as_ref()),
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "provider_kvk,provider_name,provider_offer_id,title_nl,kind,modality,tuition_eur,vat_percent,run_start,run_municipality,languages";

    fn read(body: &str) -> Vec<Row> {
        let text = format!("{HEADER}\n{body}");
        rows(std::io::Cursor::new(text.into_bytes()), None)
            .expect("header")
            .collect()
    }

    #[test]
    fn rows_of_one_offer_become_its_runs() {
        let rows = read(concat!(
            "12345678,Leerhuis,A,Lassen,course,on_site,\"1.250,00\",0,2027-01-10,Amsterdam,nl;en\n",
            "12345678,Leerhuis,A,Lassen,course,on_site,\"1.250,00\",0,2027-03-10,Utrecht,nl;en\n",
            "12345678,Leerhuis,B,Excel,course,online,95,21,,,\n",
        ));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[1].line, 4);
        let a = rows[0].offer.as_ref().expect("a");
        assert_eq!(a.runs.len(), 2);
        assert_eq!(a.runs[1].municipality.as_deref(), Some("Utrecht"));
        assert_eq!(a.costs[0].amount_cents, Money::from_cents(125_000));
        assert_eq!(a.languages, vec!["nl", "en"]);
        assert_eq!(
            a.provider.as_ref().map(|p| p.kvk.as_str()),
            Some("12345678")
        );
        let b = rows[1].offer.as_ref().expect("b");
        assert!(b.runs.is_empty());
        assert_eq!(b.costs[0].vat_percent, Some(21));
    }

    #[test]
    fn bad_cells_name_their_column() {
        let rows = read("12345678,Leerhuis,A,Lassen,course,on_site,twaalf,x,,,\n");
        let errors = rows[0].offer.as_ref().expect_err("bad");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["vat_percent", "tuition_eur"]);
    }

    #[test]
    fn unknown_or_missing_columns_refuse_the_file() {
        let unknown = rows(
            std::io::Cursor::new(b"provider_offer_id,titel,kind,modality\n".to_vec()),
            None,
        );
        assert!(
            matches!(unknown, Err(ReadError::Malformed { line: 1, ref message }) if message.contains("titel"))
        );
        let missing = rows(
            std::io::Cursor::new(b"provider_offer_id,title_nl,kind\n".to_vec()),
            None,
        );
        assert!(
            matches!(missing, Err(ReadError::Malformed { ref message, .. }) if message.contains("modality"))
        );
    }

    #[test]
    fn a_byte_order_mark_at_the_start_is_skipped() {
        let text =
            format!("\u{feff}{HEADER}\n12345678,Leerhuis,A,Lassen,course,on_site,95,21,,,nl\n");
        let read: Vec<Row> = rows(std::io::Cursor::new(text.into_bytes()), None)
            .expect("the header reads")
            .collect();
        assert_eq!(read.len(), 1);
        let a = read[0].offer.as_ref().expect("offer");
        assert_eq!(
            a.provider.as_ref().map(|p| p.kvk.as_str()),
            Some("12345678"),
            "the first column keeps its name"
        );
        assert_eq!(read[0].line, 2);
    }

    #[test]
    fn unknown_columns_point_to_documentation_that_exists() {
        let Err(ReadError::Malformed { message, .. }) = rows(
            std::io::Cursor::new(b"provider_offer_id,titel,kind,modality\n".to_vec()),
            None,
        ) else {
            panic!("an unknown column refuses the file");
        };
        assert!(message.contains(CSV_DOC), "{message}");
        let file = CSV_DOC.split('#').next().unwrap_or_default();
        assert!(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../..")
                .join(file)
                .exists(),
            "{file}"
        );
    }

    #[test]
    fn a_short_row_is_reported_with_its_line() {
        let rows = read("12345678,Leerhuis,A\n");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 2);
        assert!(
            rows[0].offer.as_ref().expect_err("short")[0]
                .message
                .contains("malformed CSV")
        );
    }
}
