//! The regions that have a page: the 12 provinces and the 35 labour-market regions
//! (arbeidsmarktregio's), each at a short Dutch address (`/regio/limburg`,
//! `/regio/zuid-limburg`). Where a labour-market region has its province's name (Groningen,
//! Friesland, …), the province keeps the plain address and the region's is
//! `arbeidsmarktregio-{name}`.

use super::{Municipality, Regions};
use crate::shared::fold;
use serde::Serialize;

/// Which kind of region a page is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaKind {
    Province,
    LabourMarket,
}

/// A region with a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    pub slug: String,
    pub name: String,
    pub kind: AreaKind,
}

/// A name as an address: lower case, accents dropped, anything else a dash.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in fold(name).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// Every region with a page: the provinces, then the labour-market regions, each sorted.
/// Built once, with the municipality table ([`Regions::new`]).
pub(super) fn build_areas(provinces: &[String], labour_markets: &[String]) -> Vec<Region> {
    let mut out: Vec<Region> = provinces
        .iter()
        .map(|p| Region {
            slug: slugify(p),
            name: p.clone(),
            kind: AreaKind::Province,
        })
        .collect();
    for r in labour_markets {
        let plain = slugify(r);
        let slug = if out.iter().any(|a| a.slug == plain) {
            format!("arbeidsmarktregio-{plain}")
        } else {
            plain
        };
        out.push(Region {
            slug,
            name: r.clone(),
            kind: AreaKind::LabourMarket,
        });
    }
    out
}

impl Regions {
    /// Every region with a page: the provinces, then the labour-market regions, each sorted.
    pub fn areas(&self) -> &[Region] {
        &self.areas
    }

    /// A region by its address.
    pub fn area(&self, slug: &str) -> Option<Region> {
        self.areas.iter().find(|a| a.slug == slug).cloned()
    }

    /// The municipalities of a region.
    pub fn municipalities_of(&self, area: &Region) -> Vec<&Municipality> {
        self.municipalities()
            .iter()
            .filter(|m| match area.kind {
                AreaKind::Province => m.province == area.name,
                AreaKind::LabourMarket => m.region == area.name,
            })
            .collect()
    }

    /// The regions a municipality lies in: its province and its labour-market region.
    /// The labour-market region of someone living in `municipality` (code or name).
    pub fn labour_market_of(&self, municipality: &str) -> Option<Region> {
        let m = self.municipality(municipality)?;
        self.areas
            .iter()
            .find(|a| a.kind == AreaKind::LabourMarket && a.name == m.region)
            .cloned()
    }

    pub fn areas_of(&self, municipality: &Municipality) -> Vec<Region> {
        self.areas
            .iter()
            .filter(|a| match a.kind {
                AreaKind::Province => a.name == municipality.province,
                AreaKind::LabourMarket => a.name == municipality.region,
            })
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Regions {
        let m = |code: &str, name: &str, province: &str, region: &str| Municipality {
            code: code.into(),
            name: name.into(),
            province: province.into(),
            region: region.into(),
        };
        Regions::new(vec![
            m("GM0917", "Heerlen", "Limburg", "Zuid-Limburg"),
            m("GM0935", "Maastricht", "Limburg", "Zuid-Limburg"),
            m("GM0014", "Groningen", "Groningen", "Groningen"),
            m("GM0900", "Súdwest-Fryslân", "Friesland", "Friesland"),
        ])
    }

    #[test]
    fn provinces_keep_their_name_and_a_region_of_the_same_name_says_so() {
        let r = sample();
        let slugs: Vec<&str> = r.areas().iter().map(|a| a.slug.as_str()).collect();
        assert_eq!(
            slugs,
            vec![
                "friesland",
                "groningen",
                "limburg",
                "arbeidsmarktregio-friesland",
                "arbeidsmarktregio-groningen",
                "zuid-limburg"
            ]
        );
        let zl = r.area("zuid-limburg").expect("Zuid-Limburg");
        assert_eq!(zl.kind, AreaKind::LabourMarket);
        let heerlen = r.municipality("Heerlen").expect("Heerlen");
        assert_eq!(r.municipalities_of(&zl).len(), 2);
        let names: Vec<String> = r.areas_of(heerlen).into_iter().map(|a| a.name).collect();
        assert_eq!(names, vec!["Limburg", "Zuid-Limburg"]);
        assert_eq!(slugify("Midden-Utrecht"), "midden-utrecht");
        assert_eq!(slugify("Súdwest-Fryslân"), "sudwest-fryslan");
    }
}
