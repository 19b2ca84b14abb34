//! Interface languages. Dutch (plain B1) is the default; English is available everywhere.
//! Texts live in `locales/{nl,en}/*.ftl` (Fluent) and are compiled into the binary.

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use std::borrow::Cow;
use std::collections::HashMap;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "nl",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static NL: LanguageIdentifier = langid!("nl");
static EN: LanguageIdentifier = langid!("en");

/// The language a page is rendered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "nl" | "nl-nl" | "nl-be" => Some(Lang::Nl),
            "en" | "en-gb" | "en-us" => Some(Lang::En),
            _ => None,
        }
    }

    /// The BCP 47 code, for `<html lang>` and storage.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// The other language, for the language switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Nl => Lang::En,
            Lang::En => Lang::Nl,
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Nl => &NL,
            Lang::En => &EN,
        }
    }

    /// The text for `key`.
    pub fn t(self, key: &str) -> String {
        LOCALES.lookup(self.id(), key)
    }

    /// The text for `key` with named arguments.
    pub fn t_args(self, key: &str, args: &[(&'static str, String)]) -> String {
        LOCALES.lookup_with_args(self.id(), key, &fluent_args(args))
    }

    /// The text for `key` with named arguments, or `None` when no translation file has it.
    pub fn try_t_args(self, key: &str, args: &[(&'static str, String)]) -> Option<String> {
        LOCALES.try_lookup_with_args(self.id(), key, &fluent_args(args))
    }
}

/// Whole numbers go in as numbers, so messages can choose singular or plural.
fn fluent_args(
    args: &[(&'static str, String)],
) -> HashMap<Cow<'static, str>, FluentValue<'static>> {
    args.iter()
        .map(|(k, v)| {
            let value = match v.parse::<i64>() {
                Ok(n) => FluentValue::from(n),
                Err(_) => FluentValue::from(v.clone()),
            };
            (Cow::Borrowed(*k), value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys_in(text: &str) -> BTreeSet<String> {
        text.lines()
            .filter_map(|line| line.split_once(" =").map(|(k, _)| k))
            .filter(|k| !k.starts_with(' ') && !k.starts_with('#') && !k.is_empty())
            .map(|k| k.trim().to_owned())
            .collect()
    }

    /// Each translation file of a language with its keys, by file name.
    fn files(lang: &str) -> std::collections::BTreeMap<String, BTreeSet<String>> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang);
        std::fs::read_dir(dir)
            .expect("locale dir")
            .map(|entry| {
                let path = entry.expect("entry").path();
                let text = std::fs::read_to_string(&path).expect("ftl");
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (name, keys_in(&text))
            })
            .collect()
    }

    fn keys(lang: &str) -> BTreeSet<String> {
        files(lang).into_values().flatten().collect()
    }

    /// Every file under `dir`, recursively.
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_key_exists_in_both_languages_in_the_same_file() {
        let (nl, en) = (files("nl"), files("en"));
        assert_eq!(
            nl.keys().collect::<Vec<_>>(),
            en.keys().collect::<Vec<_>>(),
            "the same translation files in both languages"
        );
        assert!(keys("nl").len() > 20, "found only a few Dutch keys");
        for (file, nl_keys) in &nl {
            let en_keys = &en[file];
            let missing_en: Vec<_> = nl_keys.difference(en_keys).collect();
            let missing_nl: Vec<_> = en_keys.difference(nl_keys).collect();
            assert!(
                missing_en.is_empty(),
                "{file}: missing in en: {missing_en:?}"
            );
            assert!(
                missing_nl.is_empty(),
                "{file}: missing in nl: {missing_nl:?}"
            );
        }
        let total: usize = nl.values().map(BTreeSet::len).sum();
        assert_eq!(total, keys("nl").len(), "no key is defined in two files");
    }

    #[test]
    fn every_key_used_in_templates_and_code_exists() {
        let nl = keys("nl");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        walk(&root.join("templates"), &mut files);
        walk(&root.join("src"), &mut files);
        assert!(files.len() > 30, "found only {} files", files.len());
        let mut used = BTreeSet::new();
        for path in files {
            let text = std::fs::read_to_string(&path).expect("read");
            for marker in [".t(\"", ".t_args(\""] {
                for part in text.split(marker).skip(1) {
                    if let Some(key) = part.split('"').next()
                        && !key.is_empty()
                        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    {
                        used.insert(key.to_owned());
                    }
                }
            }
        }
        let unknown: Vec<_> = used.iter().filter(|k| !nl.contains(*k)).collect();
        assert!(unknown.is_empty(), "keys used but not defined: {unknown:?}");
    }

    #[test]
    fn lookups_differ_per_language() {
        assert_ne!(Lang::Nl.t("nav-login"), Lang::En.t("nav-login"));
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
