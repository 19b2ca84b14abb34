//! Cells for CSV files that people open in a spreadsheet program.
//!
//! Excel, LibreOffice and Google Sheets read a cell that starts with `=`, `+`, `-` or `@` (and,
//! in some versions, a tab or carriage return) as a formula, so text taken from an uploaded
//! file (an offer id such as `=HYPERLINK("https://…")`) could run as one when a report is
//! opened. Following the OWASP advice on CSV injection, such a cell gets a leading single quote,
//! which spreadsheets take as "this is text" and do not show. Quoting of commas and quotes is
//! left to the CSV writer.

use std::borrow::Cow;

/// The characters a cell must not start with.
pub const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// `cell`, with a `'` in front when a spreadsheet would read it as a formula.
pub fn safe_cell(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text() {
        for (cell, expected) in [
            (
                "=HYPERLINK(\"https://example.invalid\",\"klik\")",
                "'=HYPERLINK(\"https://example.invalid\",\"klik\")",
            ),
            ("+31 6 1234", "'+31 6 1234"),
            ("-5", "'-5"),
            ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
        ] {
            assert_eq!(safe_cell(cell), expected, "{cell:?}");
        }
    }

    #[test]
    fn other_text_is_left_alone() {
        for cell in [
            "",
            "VCA-B",
            "runs[0].start",
            "'kurs' is not one of …",
            " =1",
            "a=b",
            "12",
        ] {
            assert!(
                matches!(safe_cell(cell), Cow::Borrowed(c) if c == cell),
                "{cell:?}"
            );
        }
    }

    #[test]
    fn a_written_report_holds_no_formula() {
        let mut w = csv::Writer::from_writer(Vec::new());
        let cells = ["=1+1", "@x", "plain"].map(safe_cell);
        w.write_record(cells.iter().map(|c| c.as_bytes()))
            .expect("write");
        let text = String::from_utf8(w.into_inner().expect("flush")).expect("utf-8");
        assert_eq!(text, "'=1+1,'@x,plain\n");
    }
}
