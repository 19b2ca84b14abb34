//! Calendar dates and their one text form, `YYYY-MM-DD`.

/// A calendar date (no time zone: the day as printed in the Netherlands).
pub type Date = time::Date;

/// Dates as `YYYY-MM-DD` in files and JSON.
pub mod iso_date_option {
    use super::Date;
    use serde::{Deserialize, Deserializer, Serializer};

    const FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
        time::macros::format_description!("[year]-[month]-[day]");

    pub fn format(d: Date) -> String {
        d.format(FORMAT).unwrap_or_default()
    }

    pub fn parse(s: &str) -> Option<Date> {
        Date::parse(s.trim(), FORMAT).ok()
    }

    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&format(*d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let raw: Option<String> = Option::deserialize(d)?;
        match raw {
            None => Ok(None),
            Some(s) => parse(&s).map(Some).ok_or_else(|| {
                serde::de::Error::custom(format!("'{s}' is not a date (YYYY-MM-DD)"))
            }),
        }
    }
}

/// A required date as `YYYY-MM-DD`.
pub mod iso_date {
    use super::Date;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::iso_date_option::format(*d))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let raw = String::deserialize(d)?;
        super::iso_date_option::parse(&raw)
            .ok_or_else(|| serde::de::Error::custom(format!("'{raw}' is not a date (YYYY-MM-DD)")))
    }
}
