//! Regional initiatives: projects a region runs to get people and employers learning (after the
//! MRDH's co-financed projects), so regions see each other's good examples ("parels").

use super::Regions;
use crate::shared::{Date, FieldError, Money, iso_date_option, string_enum};
use serde::{Deserialize, Serialize};

/// Longest title and text fields, in characters.
pub const MAX_TITLE: usize = 200;
pub const MAX_TEXT: usize = 4_000;

string_enum! {
    /// What an initiative developed.
    DevelopedKind {
        /// A work-based MBO programme (beroepsbegeleidende leerweg).
        Bbl = "bbl",
        Deelcertificaat = "deelcertificaat",
        Module = "module",
        Other = "other",
    }
}

/// A partner and its role ("penvoerder", "opleider", "werkgever", …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    pub name: String,
    pub role: String,
}

/// Co-financing by one funder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funding {
    pub funder: String,
    pub amount: Money,
}

/// Something the initiative developed, and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Developed {
    pub kind: DevelopedKind,
    pub count: u32,
}

/// A regional initiative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Initiative {
    pub title: String,
    pub summary: String,
    /// The address of its region (`zuid-limburg`, `limburg`).
    pub region: String,
    /// CBS codes of the municipalities it works in.
    pub municipalities: Vec<String>,
    pub sector: String,
    pub partners: Vec<Partner>,
    pub target_groups: Vec<String>,
    pub participants_target: Option<u32>,
    pub participants_realised: Option<u32>,
    pub funding: Vec<Funding>,
    #[serde(with = "iso_date_option", default)]
    pub starts_on: Option<Date>,
    #[serde(with = "iso_date_option", default)]
    pub ends_on: Option<Date>,
    pub developed: Vec<Developed>,
    pub contact: String,
    pub results: String,
    /// A good practice other regions can learn from.
    pub parel: bool,
    /// Invented for the demo, shown as such.
    #[serde(default)]
    pub example: bool,
}

impl Initiative {
    /// All co-financing together.
    pub fn funding_total(&self) -> Money {
        self.funding.iter().map(|f| f.amount).sum()
    }
}

/// An initiative as written in a form or a CSV line: lists as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct InitiativeInput {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// The region's address or name.
    pub region: String,
    /// Municipalities by name or CBS code, separated by `|`.
    #[serde(default)]
    pub municipalities: String,
    #[serde(default)]
    pub sector: String,
    /// `Name (role) | Name (role)`.
    #[serde(default)]
    pub partners: String,
    /// `group | group`.
    #[serde(default)]
    pub target_groups: String,
    #[serde(default)]
    pub participants_target: String,
    #[serde(default)]
    pub participants_realised: String,
    /// `Funder: 148.550 | Funder: 10.000` (euros).
    #[serde(default)]
    pub funding: String,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    /// `bbl: 5 | deelcertificaat: 7 | module: 2`.
    #[serde(default)]
    pub developed: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub results: String,
    /// `ja` or `nee` (also yes/no, true/false, 1/0).
    #[serde(default)]
    pub parel: String,
}

fn list(raw: &str) -> impl Iterator<Item = &str> {
    raw.split('|').map(str::trim).filter(|s| !s.is_empty())
}

fn problem(field: &str, code: &'static str, message: &str) -> FieldError {
    FieldError::new(field, message).coded(code, vec![])
}

/// Check an initiative; every problem with its field.
pub fn validate_initiative(
    input: &InitiativeInput,
    regions: &Regions,
) -> Result<Initiative, Vec<FieldError>> {
    let mut errors = Vec::new();
    let text = |errors: &mut Vec<FieldError>, field: &str, raw: &str, max: usize| {
        let t = raw.trim();
        if t.chars().count() > max {
            errors.push(problem(
                field,
                "initiative-error-too-long",
                &format!("longer than {max} characters"),
            ));
        }
        t.to_owned()
    };
    let title = text(&mut errors, "title", &input.title, MAX_TITLE);
    if title.is_empty() {
        errors.push(problem(
            "title",
            "initiative-error-title",
            "give the initiative a title",
        ));
    }
    let region = regions
        .area(input.region.trim())
        .or_else(|| {
            regions
                .areas()
                .iter()
                .find(|a| a.name.eq_ignore_ascii_case(input.region.trim()))
                .cloned()
        })
        .map(|a| a.slug);
    if region.is_none() {
        errors.push(problem(
            "region",
            "initiative-error-region",
            "not a province or labour-market region",
        ));
    }
    let mut municipalities = Vec::new();
    for m in list(&input.municipalities) {
        match regions.municipality(m) {
            Some(found) if !municipalities.contains(&found.code) => {
                municipalities.push(found.code.clone())
            }
            Some(_) => {}
            None => errors.push(
                FieldError::new(
                    "municipalities",
                    format!("'{m}' is not a Dutch municipality"),
                )
                .coded(
                    "initiative-error-municipality",
                    vec![("value", m.to_owned())],
                ),
            ),
        }
    }
    let mut partners = Vec::new();
    for p in list(&input.partners) {
        let (name, role) = match p.rsplit_once('(') {
            Some((name, role)) => (name.trim(), role.trim_end_matches(')').trim()),
            None => (p, ""),
        };
        partners.push(Partner {
            name: name.to_owned(),
            role: role.to_owned(),
        });
    }
    let number = |errors: &mut Vec<FieldError>, field: &str, raw: &str| -> Option<u32> {
        let t = raw.trim().replace('.', "");
        if t.is_empty() {
            return None;
        }
        t.parse().ok().or_else(|| {
            errors.push(problem(
                field,
                "initiative-error-number",
                "not a whole number",
            ));
            None
        })
    };
    let participants_target = number(
        &mut errors,
        "participants_target",
        &input.participants_target,
    );
    let participants_realised = number(
        &mut errors,
        "participants_realised",
        &input.participants_realised,
    );
    let mut funding = Vec::new();
    for f in list(&input.funding) {
        match f
            .rsplit_once(':')
            .and_then(|(funder, amount)| Some((funder.trim(), Money::parse_euros(amount)?)))
        {
            Some((funder, amount)) if !funder.is_empty() => funding.push(Funding {
                funder: funder.to_owned(),
                amount,
            }),
            _ => errors.push(
                FieldError::new("funding", format!("'{f}' is not 'funder: amount'"))
                    .coded("initiative-error-funding", vec![("value", f.to_owned())]),
            ),
        }
    }
    let date = |errors: &mut Vec<FieldError>, field: &str, raw: &str| -> Option<Date> {
        let t = raw.trim();
        if t.is_empty() {
            return None;
        }
        iso_date_option::parse(t).or_else(|| {
            errors.push(problem(
                field,
                "initiative-error-date",
                "not a date (YYYY-MM-DD)",
            ));
            None
        })
    };
    let starts_on = date(&mut errors, "starts_on", &input.starts_on);
    let ends_on = date(&mut errors, "ends_on", &input.ends_on);
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        errors.push(problem(
            "ends_on",
            "initiative-error-period",
            "ends before it starts",
        ));
    }
    let mut developed = Vec::new();
    for d in list(&input.developed) {
        let parsed = d.split_once(':').and_then(|(kind, count)| {
            Some(Developed {
                kind: kind.trim().parse().ok()?,
                count: count.trim().parse().ok()?,
            })
        });
        match parsed {
            Some(d) => developed.push(d),
            None => errors.push(
                FieldError::new("developed", format!("'{d}' is not 'kind: number'"))
                    .coded("initiative-error-developed", vec![("value", d.to_owned())]),
            ),
        }
    }
    let parel = match input.parel.trim().to_lowercase().as_str() {
        "" | "nee" | "no" | "false" | "0" => false,
        "ja" | "yes" | "true" | "1" | "on" => true,
        _ => {
            errors.push(problem("parel", "initiative-error-parel", "ja or nee"));
            false
        }
    };
    let summary = text(&mut errors, "summary", &input.summary, MAX_TEXT);
    let sector = text(&mut errors, "sector", &input.sector, MAX_TITLE);
    let contact = text(&mut errors, "contact", &input.contact, MAX_TITLE);
    let results = text(&mut errors, "results", &input.results, MAX_TEXT);
    match region {
        Some(region) if errors.is_empty() => Ok(Initiative {
            title,
            summary,
            region,
            municipalities,
            sector,
            partners,
            target_groups: list(&input.target_groups).map(str::to_owned).collect(),
            participants_target,
            participants_realised,
            funding,
            starts_on,
            ends_on,
            developed,
            contact,
            results,
            parel,
            example: false,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regions::Municipality;

    fn regions() -> Regions {
        Regions::new(vec![
            Municipality {
                code: "GM0503".into(),
                name: "Delft".into(),
                province: "Zuid-Holland".into(),
                region: "Haaglanden".into(),
            },
            Municipality {
                code: "GM0622".into(),
                name: "Vlaardingen".into(),
                province: "Zuid-Holland".into(),
                region: "Rijnmond".into(),
            },
        ])
    }

    #[test]
    fn an_initiative_reads_its_lists_and_euros() {
        let input = InitiativeInput {
            title: "Zorg Innovatie Academie".into(),
            region: "Rijnmond".into(),
            municipalities: "Vlaardingen".into(),
            sector: "zorg".into(),
            partners: "Zorgpartners (penvoerder) | Albeda (opleider)".into(),
            target_groups: "zij-instromers | werkenden in de zorg".into(),
            participants_target: "120".into(),
            funding: "MRDH: 148.550 | Gemeente: 10.000,50".into(),
            starts_on: "2024-01-01".into(),
            ends_on: "2025-12-31".into(),
            developed: "bbl: 5 | deelcertificaat: 7".into(),
            parel: "ja".into(),
            ..InitiativeInput::default()
        };
        let i = validate_initiative(&input, &regions()).expect("valid");
        assert_eq!(i.region, "rijnmond");
        assert_eq!(i.municipalities, vec!["GM0622"]);
        assert_eq!(i.partners[1].role, "opleider");
        assert_eq!(i.funding_total().cents(), 15_855_050);
        assert_eq!(i.developed[1].count, 7);
        assert!(i.parel);
    }

    #[test]
    fn every_problem_is_named_at_its_field() {
        let input = InitiativeInput {
            region: "Atlantis".into(),
            municipalities: "Nergenshuizen".into(),
            funding: "zonder bedrag".into(),
            starts_on: "2025-02-30".into(),
            developed: "bbl: vijf".into(),
            parel: "misschien".into(),
            ..InitiativeInput::default()
        };
        let errors = validate_initiative(&input, &regions()).expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "title",
            "region",
            "municipalities",
            "funding",
            "starts_on",
            "developed",
            "parel",
        ] {
            assert!(fields.contains(&f), "{f} in {fields:?}");
        }
    }
}
