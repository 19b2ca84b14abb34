//! Regional initiatives from CSV: one initiative per row, columns named as the fields of
//! `InitiativeInput` (`title`, `summary`, `region`, `municipalities`, `sector`, `partners`,
//! `target_groups`, `participants_target`, `participants_realised`, `funding`, `starts_on`,
//! `ends_on`, `developed`, `contact`, `results`, `parel`); lists inside a cell are separated by
//! `|`. Comma or semicolon as the separator (spreadsheets in Dutch use a semicolon), with or
//! without a byte order mark.

use crate::offers::strip_bom;
use leerpad_domain::regions::InitiativeInput;
use leerpad_domain::shared::FieldError;

/// One row: its line and the initiative as written, or what is wrong with the row.
pub type InitiativeRow = (u64, Result<InitiativeInput, Vec<FieldError>>);

/// The file as a whole cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum InitiativesError {
    #[error("not UTF-8 text")]
    NotText,
    #[error("line 1: {0}")]
    Header(String),
}

/// Read every row of a CSV file of initiatives.
pub fn read(bytes: &[u8]) -> Result<Vec<InitiativeRow>, InitiativesError> {
    let text = std::str::from_utf8(bytes).map_err(|_| InitiativesError::NotText)?;
    let text = strip_bom(text);
    let header = text.lines().next().unwrap_or_default();
    let delimiter = if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| InitiativesError::Header(e.to_string()))?
        .clone();
    for required in ["title", "region"] {
        if !headers.iter().any(|h| h.trim() == required) {
            return Err(InitiativesError::Header(format!(
                "the column '{required}' is missing"
            )));
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line());
                let row = r
                    .deserialize::<InitiativeInput>(Some(&headers))
                    .map_err(|e| vec![FieldError::new("", e.to_string())]);
                rows.push((line, row));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                rows.push((line, Err(vec![FieldError::new("", e.to_string())])));
            }
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolons_and_lists_in_cells() {
        let csv = "\u{feff}title;region;municipalities;funding;parel\n\
                   Zorg Innovatie Academie;Rijnmond;Vlaardingen;MRDH: 148.550;ja\n\
                   ;Atlantis;;;\n";
        let rows = read(csv.as_bytes()).expect("readable");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, 2);
        let first = rows[0].1.as_ref().expect("a row");
        assert_eq!(first.funding, "MRDH: 148.550");
        assert_eq!(rows[1].0, 3);
        assert!(matches!(
            read(b"naam;regio\nx;y\n"),
            Err(InitiativesError::Header(_))
        ));
    }
}
