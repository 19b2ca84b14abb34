//! JSON Lines: one `OfferInput` object per line (blank lines are skipped).

use super::{Row, field_error, strip_bom};
use leerpad_domain::catalogue::OfferInput;
use std::io::BufRead;

/// Parse one line; a type error names the field (`runs[0].start`) and where on the line.
pub fn parse_line(line: &str) -> Result<OfferInput, Vec<leerpad_domain::shared::FieldError>> {
    let mut de = serde_json::Deserializer::from_str(line);
    serde_path_to_error::deserialize::<_, OfferInput>(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let field = if path == "." { String::new() } else { path };
        let message = if inner.is_syntax() || inner.is_eof() {
            format!("not valid JSON: {inner}")
        } else {
            inner.to_string()
        };
        vec![field_error(field, message)]
    })
}

/// The provider's offer id, read loosely, so even a broken line can be named in a report.
fn key_of(line: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(line).ok()?;
    v.get("provider_offer_id")?.as_str().map(str::to_owned)
}

pub fn rows(reader: impl BufRead + Send + 'static) -> impl Iterator<Item = Row> + Send {
    let mut lines = reader.split(b'\n').enumerate();
    std::iter::from_fn(move || {
        loop {
            let (i, bytes) = lines.next()?;
            let line_no = i as u64 + 1;
            let bytes = match bytes {
                Ok(b) => b,
                Err(e) => {
                    return Some(Row {
                        line: line_no,
                        key: None,
                        offer: Err(vec![field_error("", format!("cannot read: {e}"))]),
                    });
                }
            };
            let Ok(text) = std::str::from_utf8(&bytes) else {
                return Some(Row {
                    line: line_no,
                    key: None,
                    offer: Err(vec![field_error("", "not valid UTF-8")]),
                });
            };
            // A byte order mark at the start of the file is not part of the first offer.
            let text = if i == 0 { strip_bom(text) } else { text };
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let offer = parse_line(text);
            let key = match &offer {
                Ok(o) => Some(o.provider_offer_id.clone()),
                Err(_) => key_of(text),
            };
            return Some(Row {
                line: line_no,
                key,
                offer,
            });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_with_their_numbers_and_field_errors() {
        let text = concat!(
            r#"{"provider_offer_id":"A","title":{"nl":"Lassen"},"kind":"course","modality":"online"}"#,
            "\n\n",
            r#"{"provider_offer_id":"B","title":{"nl":"X"},"kind":"course","modality":"online","runs":[{"start":5}]}"#,
            "\n",
            r#"{"provider_offer_id":"C","title":"#,
            "\n",
            r#"{"provider_offer_id":"D","title":{"nl":"X"},"kind":"course","modality":"online","colour":"red"}"#,
            "\n",
        );
        let rows: Vec<Row> = rows(std::io::Cursor::new(text.as_bytes().to_vec())).collect();
        assert_eq!(
            rows.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![1, 3, 4, 5]
        );
        assert!(rows[0].offer.is_ok());
        let b = rows[1].offer.as_ref().expect_err("type error");
        assert_eq!(b[0].field, "runs[0].start");
        assert_eq!(rows[1].key.as_deref(), Some("B"));
        let c = rows[2].offer.as_ref().expect_err("syntax");
        assert!(c[0].message.contains("not valid JSON"));
        let d = rows[3].offer.as_ref().expect_err("unknown field");
        assert!(d[0].message.contains("colour"), "{d:?}");
    }

    #[test]
    fn a_byte_order_mark_at_the_start_is_skipped() {
        let line = r#"{"provider_offer_id":"A","title":{"nl":"Lassen"},"kind":"course","modality":"online"}"#;
        let text = format!("\u{feff}{line}\n{line}\n");
        let read: Vec<Row> = rows(std::io::Cursor::new(text.into_bytes())).collect();
        assert_eq!(read.len(), 2);
        assert!(read[0].offer.is_ok(), "{:?}", read[0].offer);
        assert_eq!(read[0].key.as_deref(), Some("A"));
        // Only at the start of the file: elsewhere it is an error in that line.
        let text = format!("{line}\n\u{feff}{line}\n");
        let read: Vec<Row> = rows(std::io::Cursor::new(text.into_bytes())).collect();
        assert!(read[0].offer.is_ok());
        assert!(read[1].offer.is_err());
    }

    #[test]
    fn invalid_utf8_is_a_row_error_not_a_panic() {
        let rows: Vec<Row> = rows(std::io::Cursor::new(vec![0xff, 0xfe, b'\n'])).collect();
        assert_eq!(rows.len(), 1);
        assert!(rows[0].offer.is_err());
    }
}
