//! CSV access for the bundle: a file whose columns are looked up by header name, read record
//! by record with line numbers, and CSV errors turned into [`EscoError`]s that say where.

use super::EscoError;
use std::collections::HashMap;
use std::fs::File;
use std::path::Path;

/// An open CSV file whose columns are looked up by header name.
pub(super) struct Table {
    pub(super) name: String,
    columns: HashMap<String, usize>,
    reader: csv::Reader<File>,
}

impl Table {
    pub(super) fn open(path: &Path) -> Result<Table, EscoError> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let io = |e: &dyn std::fmt::Display| EscoError::Io {
            file: name.clone(),
            message: e.to_string(),
        };
        let file = File::open(path).map_err(|e| io(&e))?;
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(file);
        let headers = reader.headers().map_err(|e| csv_error(&name, &e))?.clone();
        let columns = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.trim_start_matches('\u{feff}').to_owned(), i))
            .collect();
        Ok(Table {
            name,
            columns,
            reader,
        })
    }

    pub(super) fn column(&self, name: &str) -> Result<usize, EscoError> {
        self.columns
            .get(name)
            .copied()
            .ok_or_else(|| EscoError::MissingColumn {
                file: self.name.clone(),
                column: name.to_owned(),
            })
    }

    pub(super) fn optional(&self, name: &str) -> Option<usize> {
        self.columns.get(name).copied()
    }

    /// Call `f` with each record and its line number.
    pub(super) fn each(
        &mut self,
        mut f: impl FnMut(&csv::StringRecord, u64) -> Result<(), EscoError>,
    ) -> Result<u64, EscoError> {
        let mut record = csv::StringRecord::new();
        let mut n = 0;
        loop {
            match self.reader.read_record(&mut record) {
                Ok(true) => {
                    let line = record.position().map(|p| p.line()).unwrap_or(0);
                    f(&record, line)?;
                    n += 1;
                }
                Ok(false) => return Ok(n),
                Err(e) => return Err(csv_error(&self.name, &e)),
            }
        }
    }
}

fn csv_error(file: &str, e: &csv::Error) -> EscoError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    let (column, message) = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => (
            format!("{}", len + 1),
            format!("row has {len} fields, the header has {expected_len}"),
        ),
        csv::ErrorKind::Utf8 { err, .. } => {
            (format!("{}", err.field() + 1), "not valid UTF-8".to_owned())
        }
        other => ("-".to_owned(), format!("{other:?}")),
    };
    EscoError::Row {
        file: file.to_owned(),
        line,
        column,
        message,
    }
}

/// The trimmed text of a cell ("" past the end of the record).
pub(super) fn get(record: &csv::StringRecord, index: usize) -> &str {
    record.get(index).unwrap_or("").trim()
}

/// The trimmed text of a cell in an optional column ("" when the file lacks the column).
pub(super) fn get_optional(record: &csv::StringRecord, index: Option<usize>) -> &str {
    index.map_or("", |i| get(record, i))
}

/// A cell of labels, one per line.
pub(super) fn split_labels(text: &str) -> Vec<String> {
    text.split('\n')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}
