//! A programme's definition as the TOML a programme manager edits: the same fields as the API,
//! with a window's opening and closing written as Dutch local time (`2027-01-10 09:00`)
//! instead of Unix seconds.

use crate::error::{AppError, AppResult};
use leerpad_domain::advice::advisors::{format_local_minute, parse_local_minute};
use leerpad_domain::advice::programme::ProgrammeDefinition;
use leerpad_domain::shared::FieldError;

/// The definition as TOML, windows in local time.
pub fn programme_to_toml(def: &ProgrammeDefinition) -> String {
    let Ok(mut value) = toml::Value::try_from(def) else {
        return String::new();
    };
    if let Some(windows) = value.get_mut("windows").and_then(|w| w.as_array_mut()) {
        for w in windows.iter_mut().filter_map(|w| w.as_table_mut()) {
            for key in ["opens", "closes"] {
                let local = w
                    .get(key)
                    .and_then(toml::Value::as_integer)
                    .and_then(format_local_minute);
                if let Some(local) = local {
                    w.insert(key.to_owned(), toml::Value::String(local));
                }
            }
        }
    }
    toml::to_string_pretty(&value).unwrap_or_default()
}

/// Read a definition from TOML; every problem names its line or field.
pub fn parse_programme(text: &str) -> AppResult<ProgrammeDefinition> {
    let mut value: toml::Value = toml::from_str(text).map_err(|e| {
        let field = match e.span() {
            Some(span) => {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                format!("line {line}")
            }
            None => "definition".to_owned(),
        };
        AppError::InvalidFields(vec![FieldError::new(field, e.message().to_owned())])
    })?;
    let mut errors = Vec::new();
    if let Some(windows) = value.get_mut("windows").and_then(|w| w.as_array_mut()) {
        for (i, w) in windows.iter_mut().enumerate() {
            let Some(table) = w.as_table_mut() else {
                continue;
            };
            for key in ["opens", "closes"] {
                let Some(toml::Value::String(local)) = table.get(key) else {
                    continue;
                };
                match parse_local_minute(local) {
                    Some(at) => {
                        table.insert(key.to_owned(), toml::Value::Integer(at));
                    }
                    None => errors.push(
                        FieldError::new(
                            format!("windows[{i}].{key}"),
                            format!("'{local}' is not a time such as 2027-01-10 09:00"),
                        )
                        .coded("local-time", vec![("value", local.clone())]),
                    ),
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::InvalidFields(errors));
    }
    value.try_into::<ProgrammeDefinition>().map_err(|e| {
        AppError::InvalidFields(vec![FieldError::new("definition", e.message().to_owned())])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use leerpad_domain::advice::programme::Window;

    const TEXT: &str = r#"
name = { nl = "Ontwikkeladvies Twente", en = "Development advice Twente" }
funder = "Regio Twente"
capacity = 500
budget_per_advice = 60000

[[windows]]
opens = "2027-01-10 09:00"
closes = "2027-01-24 17:00"
"#;

    #[test]
    fn windows_are_written_and_read_in_local_time() {
        let def = parse_programme(TEXT).expect("parse");
        assert_eq!(
            def.windows,
            vec![Window {
                opens: 1_799_568_000,
                closes: 1_799_568_000 + 14 * 86_400 + 8 * 3_600,
            }]
        );
        let text = programme_to_toml(&def);
        assert!(text.contains("opens = \"2027-01-10 09:00\""), "{text}");
        assert_eq!(parse_programme(&text).expect("again"), def);
    }

    #[test]
    fn a_wrong_time_or_line_is_named() {
        let wrong = TEXT.replace("2027-01-24 17:00", "24 januari");
        match parse_programme(&wrong) {
            Err(AppError::InvalidFields(e)) => assert_eq!(e[0].field, "windows[0].closes"),
            other => panic!("{other:?}"),
        }
        match parse_programme("name = ") {
            Err(AppError::InvalidFields(e)) => assert_eq!(e[0].field, "line 1"),
            other => panic!("{other:?}"),
        }
    }
}
