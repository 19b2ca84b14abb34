//! Labour-market demand as CSV, one row per occupation (or ISCO group), area and period:
//!
//! ```csv
//! occupation,area_type,area,period,vacancies,job_seekers,tension,trend
//! http://data.europa.eu/esco/occupation/…,region,Zuid-Limburg,2026-Q3,120,80,,4.5
//! 2221,national,,2026,5400,900,,
//! ```
//!
//! `occupation` is an ESCO occupation URI (or its last segment) or an ISCO-08 code of 1-4
//! digits; `area_type` is `national`, `province` or `region` (arbeidsmarktregio); counts are
//! whole numbers, `tension` vacancies per job seeker, `trend` the change in percent against a
//! year before. Columns are found by header name; empty cells are unknown.

use crate::offers::{ReadError, field_error};
use leerpad_domain::matching::{Area, DemandRecord, DemandSubject};
use leerpad_domain::shared::FieldError;
use std::io::Read;

/// The header every demand file must have (extra columns are ignored).
pub const COLUMNS: [&str; 8] = [
    "occupation",
    "area_type",
    "area",
    "period",
    "vacancies",
    "job_seekers",
    "tension",
    "trend",
];

/// One row of a demand file, read or with its problems.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandRow {
    pub line: u64,
    pub record: Result<DemandRecord, Vec<FieldError>>,
}

/// Read every row; a file without the needed columns is refused whole.
pub fn read(input: impl Read) -> Result<Vec<DemandRow>, ReadError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(input);
    let headers = reader
        .headers()
        .map_err(|e| ReadError::Malformed {
            line: 1,
            message: e.to_string(),
        })?
        .clone();
    let mut at = [0usize; COLUMNS.len()];
    for (i, name) in COLUMNS.iter().enumerate() {
        at[i] = headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
            .ok_or_else(|| ReadError::Malformed {
                line: 1,
                message: format!(
                    "column {name:?} is missing; the header must name {}",
                    COLUMNS.join(",")
                ),
            })?;
    }
    let mut rows = Vec::new();
    for result in reader.records() {
        let record = result.map_err(|e| ReadError::Malformed {
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let get = |i: usize| record.get(at[i]).unwrap_or("").trim();
        rows.push(DemandRow {
            line,
            record: parse_row(&get),
        });
    }
    Ok(rows)
}

fn parse_row<'a>(get: &dyn Fn(usize) -> &'a str) -> Result<DemandRecord, Vec<FieldError>> {
    let mut errors = Vec::new();
    let occupation = get(0);
    let subject = if occupation.is_empty() {
        errors.push(field_error("occupation", "is empty"));
        None
    } else if occupation.bytes().all(|b| b.is_ascii_digit()) {
        Some(DemandSubject::Isco(occupation.to_owned()))
    } else if occupation.contains('/') {
        Some(DemandSubject::Occupation(occupation.to_owned()))
    } else {
        Some(DemandSubject::Occupation(format!(
            "http://data.europa.eu/esco/occupation/{occupation}"
        )))
    };
    let name = get(2).to_owned();
    let area = match get(1).to_ascii_lowercase().as_str() {
        "national" | "nationaal" | "nl" => Some(Area::National),
        "province" | "provincie" if !name.is_empty() => Some(Area::Province(name)),
        "region" | "arbeidsmarktregio" if !name.is_empty() => Some(Area::Region(name)),
        "province" | "provincie" | "region" | "arbeidsmarktregio" => {
            errors.push(field_error("area", "names the province or region"));
            None
        }
        other => {
            errors.push(field_error(
                "area_type",
                format!("{other:?} is not one of national, province, region"),
            ));
            None
        }
    };
    let period = get(3).to_owned();
    if period.is_empty() {
        errors.push(field_error("period", "is empty"));
    }
    let mut count = |i: usize, field: &str| -> Option<u32> {
        let raw = get(i).replace(['.', '_', ' '], "");
        if raw.is_empty() {
            return None;
        }
        match raw.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(field_error(
                    field,
                    format!("{:?} is not a whole number of 0 or more", get(i)),
                ));
                None
            }
        }
    };
    let vacancies = count(4, "vacancies");
    let job_seekers = count(5, "job_seekers");
    let mut number = |i: usize, field: &str| -> Option<f64> {
        let raw = get(i).trim_start_matches('+').replace(',', ".");
        let raw = raw.trim_end_matches('%');
        if raw.is_empty() {
            return None;
        }
        match raw.parse::<f64>() {
            Ok(n) if n.is_finite() => Some(n),
            _ => {
                errors.push(field_error(field, format!("{:?} is not a number", get(i))));
                None
            }
        }
    };
    let tension = number(6, "tension");
    let trend_percent = number(7, "trend");
    match (subject, area) {
        (Some(subject), Some(area)) if errors.is_empty() => Ok(DemandRecord {
            subject,
            area,
            period,
            vacancies,
            job_seekers,
            tension,
            trend_percent,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_and_reports_problems_by_line_and_field() {
        let csv = "occupation,area_type,area,period,vacancies,job_seekers,tension,trend\n\
            0a1b,region,Zuid-Limburg,2026-Q3,1.200,80,,+4.5%\n\
            2221,national,,2026,54,9,,\n\
            ,planet,Mars,,many,,x,\n";
        let rows = read(csv.as_bytes()).unwrap_or_default();
        assert_eq!(rows.len(), 3);
        let first = rows[0].record.as_ref().ok();
        assert_eq!(
            first.map(|r| (&r.subject, r.vacancies, r.trend_percent)),
            Some((
                &DemandSubject::Occupation("http://data.europa.eu/esco/occupation/0a1b".into()),
                Some(1200),
                Some(4.5)
            ))
        );
        assert_eq!(
            rows[1].record.as_ref().ok().map(|r| r.subject.clone()),
            Some(DemandSubject::Isco("2221".into()))
        );
        assert_eq!(rows[2].line, 4);
        let fields: Vec<String> = rows[2]
            .record
            .as_ref()
            .err()
            .map(|e| e.iter().map(|f| f.field.clone()).collect())
            .unwrap_or_default();
        assert_eq!(
            fields,
            vec!["occupation", "area_type", "period", "vacancies", "tension"]
        );
    }

    #[test]
    fn a_missing_column_refuses_the_file() {
        let err = read("occupation,area,period\nx,y,z\n".as_bytes());
        assert!(matches!(err, Err(ReadError::Malformed { line: 1, .. })));
    }
}
