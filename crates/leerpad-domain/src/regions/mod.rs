//! Dutch municipalities with their province and labour-market region (arbeidsmarktregio, one of
//! 35): where an offer runs decides the regional facets of search and, later, which regional
//! schemes and demand apply.

pub mod culture;
pub mod dashboard;
pub mod initiatives;
pub mod pages;
pub mod ports;

pub use initiatives::{Initiative, InitiativeInput, validate_initiative};
pub use pages::{AreaKind, Region, slugify};

use crate::shared::fold;
use std::collections::HashMap;

/// A municipality (gemeente) as CBS publishes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Municipality {
    /// CBS code with prefix, e.g. `GM0363`.
    pub code: String,
    pub name: String,
    pub province: String,
    /// Arbeidsmarktregio.
    pub region: String,
}

/// Names people use for municipalities besides the official one.
const ALIASES: [(&str, &str); 4] = [
    ("den haag", "GM0518"),
    ("the hague", "GM0518"),
    ("den bosch", "GM0796"),
    ("hertogenbosch", "GM0796"),
];

/// All municipalities, looked up by code or by name.
#[derive(Debug, Clone, Default)]
pub struct Regions {
    municipalities: Vec<Municipality>,
    by_key: HashMap<String, usize>,
    provinces: Vec<String>,
    regions: Vec<String>,
    /// The regions with a page, derived once from `provinces` and `regions`.
    areas: Vec<Region>,
}

impl Regions {
    pub fn new(municipalities: Vec<Municipality>) -> Regions {
        let mut by_key = HashMap::new();
        for (i, m) in municipalities.iter().enumerate() {
            by_key.insert(m.code.to_ascii_uppercase(), i);
            by_key.insert(fold(&m.name), i);
            if let Some(digits) = m.code.strip_prefix("GM") {
                by_key.insert(digits.to_owned(), i);
            }
        }
        for (alias, code) in ALIASES {
            if let Some(i) = by_key.get(code).copied() {
                by_key.entry(alias.to_owned()).or_insert(i);
            }
        }
        let mut provinces: Vec<String> =
            municipalities.iter().map(|m| m.province.clone()).collect();
        provinces.sort();
        provinces.dedup();
        let mut regions: Vec<String> = municipalities.iter().map(|m| m.region.clone()).collect();
        regions.sort();
        regions.dedup();
        let areas = pages::build_areas(&provinces, &regions);
        Regions {
            municipalities,
            by_key,
            provinces,
            regions,
            areas,
        }
    }

    /// A municipality by CBS code (`GM0363` or `0363`) or name (case and accents ignored).
    pub fn municipality(&self, code_or_name: &str) -> Option<&Municipality> {
        let key = code_or_name.trim();
        self.by_key
            .get(&key.to_ascii_uppercase())
            .or_else(|| self.by_key.get(&fold(key)))
            .and_then(|i| self.municipalities.get(*i))
    }

    pub fn municipalities(&self) -> &[Municipality] {
        &self.municipalities
    }

    /// The 12 provinces, sorted.
    pub fn provinces(&self) -> &[String] {
        &self.provinces
    }

    /// The labour-market regions, sorted.
    pub fn regions(&self) -> &[String] {
        &self.regions
    }

    pub fn province_index(&self, name: &str) -> Option<usize> {
        self.provinces.iter().position(|p| p == name)
    }

    pub fn region_index(&self, name: &str) -> Option<usize> {
        self.regions.iter().position(|r| r == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> Regions {
        let m = |code: &str, name: &str, province: &str, region: &str| Municipality {
            code: code.into(),
            name: name.into(),
            province: province.into(),
            region: region.into(),
        };
        Regions::new(vec![
            m("GM0363", "Amsterdam", "Noord-Holland", "Groot-Amsterdam"),
            m("GM0935", "Maastricht", "Limburg", "Zuid-Limburg"),
            m("GM0900", "Súdwest-Fryslân", "Friesland", "Friesland"),
        ])
    }

    #[test]
    fn lookup_by_code_or_name() {
        let r = sample();
        assert_eq!(
            r.municipality("GM0363").map(|m| m.name.as_str()),
            Some("Amsterdam")
        );
        assert_eq!(
            r.municipality("0935").map(|m| m.name.as_str()),
            Some("Maastricht")
        );
        assert_eq!(
            r.municipality("maastricht").map(|m| m.code.as_str()),
            Some("GM0935")
        );
        assert_eq!(
            r.municipality("sudwest-fryslan").map(|m| m.code.as_str()),
            Some("GM0900")
        );
        assert!(r.municipality("Atlantis").is_none());
        assert_eq!(r.provinces().len(), 3);
        assert_eq!(r.region_index("Zuid-Limburg"), Some(2));
    }
}
