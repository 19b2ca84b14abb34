//! Text in Dutch and English.

use serde::{Deserialize, Serialize};

/// Text in Dutch and English, as far as the provider gave it (at least one of the two for a
/// title). Asking for a language without text gives the other.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub nl: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub en: String,
}

impl Localized {
    /// The text in `lang`, else in the other language.
    pub fn get(&self, lang: &str) -> &str {
        self.get_marked(lang).0
    }

    /// The text in `lang`, else the other language's, with whether that fallback happened.
    pub fn get_marked(&self, lang: &str) -> (&str, bool) {
        let (wanted, other) = if lang == "en" {
            (&self.en, &self.nl)
        } else {
            (&self.nl, &self.en)
        };
        if wanted.is_empty() {
            (other, !other.is_empty())
        } else {
            (wanted, false)
        }
    }

    pub fn is_empty(&self) -> bool {
        self.nl.is_empty() && self.en.is_empty()
    }
}
