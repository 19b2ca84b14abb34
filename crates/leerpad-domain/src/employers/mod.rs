//! Employers (mkb) and staff exchange: a company profile (KvK number, sector, municipality,
//! size), and temporary placements of staff a company offers or asks for (skills, period,
//! place), matched between companies of one labour-market region on the skills they name.

pub mod ports;

use crate::catalogue::KvkNumber;
use crate::regions::Regions;
use crate::shared::{Date, FieldError, iso_date_option, string_enum};
use serde::{Deserialize, Serialize};

/// Longest names and texts, in characters.
pub const MAX_NAME: usize = 200;
pub const MAX_TEXT: usize = 2_000;
/// Skills one exchange names at most.
pub const MAX_SKILLS: usize = 20;

string_enum! {
    /// Company size, as the CBS counts employees.
    CompanySize {
        /// 1 to 9 employees.
        Micro = "micro",
        /// 10 to 49.
        Small = "small",
        /// 50 to 249.
        Medium = "medium",
        /// 250 or more.
        Large = "large",
    }
}

string_enum! {
    /// Whether a company offers staff for a while, or asks for them.
    ExchangeKind {
        Offer = "offer",
        Ask = "ask",
    }
}

/// An employer's company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    pub kvk: String,
    pub name: String,
    pub sector: String,
    /// CBS code of the municipality where it is.
    pub municipality: String,
    pub size: CompanySize,
}

/// A company as written in its form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct CompanyInput {
    pub kvk: String,
    pub name: String,
    #[serde(default)]
    pub sector: String,
    pub municipality: String,
    pub size: String,
}

fn text(
    errors: &mut Vec<FieldError>,
    field: &str,
    raw: &str,
    max: usize,
    required: bool,
) -> String {
    let t = raw.trim();
    if required && t.is_empty() {
        errors.push(FieldError::new(field, "required").coded("employer-error-required", vec![]));
    } else if t.chars().count() > max {
        errors.push(
            FieldError::new(field, format!("at most {max} characters"))
                .coded("employer-error-too-long", vec![]),
        );
    }
    t.to_owned()
}

/// Check a company's details.
pub fn validate_company(
    input: &CompanyInput,
    regions: &Regions,
) -> Result<Company, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kvk = KvkNumber::parse(&input.kvk)
        .map_err(|e| FieldError::new("kvk", e.to_string()).coded("catalogue-error-kvk", vec![]));
    let name = text(&mut errors, "name", &input.name, MAX_NAME, true);
    let sector = text(&mut errors, "sector", &input.sector, MAX_NAME, false);
    let municipality = regions
        .municipality(&input.municipality)
        .map(|m| m.code.clone());
    if municipality.is_none() {
        errors.push(
            FieldError::new("municipality", "not a Dutch municipality")
                .coded("employer-error-municipality", vec![]),
        );
    }
    let size = input.size.trim().parse::<CompanySize>().ok();
    if size.is_none() {
        errors.push(
            FieldError::new("size", format!("one of {}", CompanySize::identifiers()))
                .coded("employer-error-size", vec![]),
        );
    }
    match (kvk, municipality, size) {
        (Ok(kvk), Some(municipality), Some(size)) if errors.is_empty() => Ok(Company {
            kvk: kvk.to_string(),
            name,
            sector,
            municipality,
            size,
        }),
        (kvk, _, _) => {
            if let Err(e) = kvk {
                errors.insert(0, e);
            }
            Err(errors)
        }
    }
}

/// A temporary placement a company offers or asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    pub kind: ExchangeKind,
    pub title: String,
    pub description: String,
    /// ESCO skill URIs.
    pub skills: Vec<String>,
    /// CBS code of where the work is.
    pub municipality: String,
    #[serde(with = "iso_date_option", default)]
    pub starts_on: Option<Date>,
    #[serde(with = "iso_date_option", default)]
    pub ends_on: Option<Date>,
    pub places: u32,
}

/// An exchange as written in its form: skills by ESCO label or URI, one per line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ExchangeInput {
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub skills: Vec<String>,
    pub municipality: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    #[serde(default)]
    pub places: String,
}

/// Check an exchange; `skill_uri` finds a skill's URI by label or URI.
pub fn validate_exchange(
    input: &ExchangeInput,
    regions: &Regions,
    skill_uri: &dyn Fn(&str) -> Option<String>,
) -> Result<Exchange, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = input.kind.trim().parse::<ExchangeKind>().ok();
    if kind.is_none() {
        errors.push(FieldError::new("kind", "offer or ask").coded("employer-error-kind", vec![]));
    }
    let title = text(&mut errors, "title", &input.title, MAX_NAME, true);
    let description = text(
        &mut errors,
        "description",
        &input.description,
        MAX_TEXT,
        false,
    );
    let mut skills = Vec::new();
    for s in input
        .skills
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        match skill_uri(s) {
            Some(uri) if !skills.contains(&uri) => skills.push(uri),
            Some(_) => {}
            None => errors.push(
                FieldError::new("skills", format!("'{s}' is not an ESCO skill"))
                    .coded("employer-error-skill", vec![("value", s.to_owned())]),
            ),
        }
    }
    if skills.is_empty() || skills.len() > MAX_SKILLS {
        errors.push(
            FieldError::new("skills", format!("name 1 to {MAX_SKILLS} skills"))
                .coded("employer-error-skills", vec![]),
        );
    }
    let municipality = regions
        .municipality(&input.municipality)
        .map(|m| m.code.clone());
    if municipality.is_none() {
        errors.push(
            FieldError::new("municipality", "not a Dutch municipality")
                .coded("employer-error-municipality", vec![]),
        );
    }
    let date = |errors: &mut Vec<FieldError>, field: &str, raw: &str| {
        let t = raw.trim();
        if t.is_empty() {
            return None;
        }
        iso_date_option::parse(t).or_else(|| {
            errors.push(FieldError::new(field, "not a date").coded("employer-error-date", vec![]));
            None
        })
    };
    let starts_on = date(&mut errors, "starts_on", &input.starts_on);
    let ends_on = date(&mut errors, "ends_on", &input.ends_on);
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        errors.push(
            FieldError::new("ends_on", "ends before it starts")
                .coded("employer-error-period", vec![]),
        );
    }
    let places = match input.places.trim() {
        "" => 1,
        p => p
            .parse()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .unwrap_or_else(|| {
                errors.push(
                    FieldError::new("places", "1 to 100").coded("employer-error-places", vec![]),
                );
                1
            }),
    };
    match (kind, municipality) {
        (Some(kind), Some(municipality)) if errors.is_empty() => Ok(Exchange {
            kind,
            title,
            description,
            skills,
            municipality,
            starts_on,
            ends_on,
            places,
        }),
        _ => Err(errors),
    }
}

/// A proposed exchange between one company's ask and another's offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub id: i64,
    pub ask: i64,
    pub offer: i64,
    pub asking_ok: bool,
    pub offering_ok: bool,
    /// The employee the offering company proposes, by e-mail address.
    pub employee_email: Option<String>,
    pub employee_ok: bool,
}

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalStatus {
    /// Waiting for the company that did not propose.
    WaitingForCompany,
    /// Both companies agree; waiting for the employee.
    WaitingForEmployee,
    /// All three agree: the exchange goes ahead.
    Agreed,
}

impl Proposal {
    pub fn status(&self) -> ProposalStatus {
        match (self.asking_ok && self.offering_ok, self.employee_ok) {
            (false, _) => ProposalStatus::WaitingForCompany,
            (true, false) => ProposalStatus::WaitingForEmployee,
            (true, true) => ProposalStatus::Agreed,
        }
    }
}

/// How well an offer of staff fits an ask: the share of the ask's skills the offer names, in
/// percent; `None` when they are of the same kind, in different labour-market regions, or
/// share no skill.
pub fn fit(a: &Exchange, b: &Exchange, regions: &Regions) -> Option<u32> {
    if a.kind == b.kind {
        return None;
    }
    let region = |x: &Exchange| {
        regions
            .municipality(&x.municipality)
            .map(|m| m.region.clone())
    };
    if region(a).is_none() || region(a) != region(b) {
        return None;
    }
    let ask = if a.kind == ExchangeKind::Ask { a } else { b };
    let offer = if a.kind == ExchangeKind::Offer { a } else { b };
    let shared = ask
        .skills
        .iter()
        .filter(|s| offer.skills.contains(s))
        .count();
    (shared > 0).then(|| (shared * 100 / ask.skills.len().max(1)) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regions::Municipality;

    fn regions() -> Regions {
        let m = |code: &str, name: &str, region: &str| Municipality {
            code: code.into(),
            name: name.into(),
            province: "Limburg".into(),
            region: region.into(),
        };
        Regions::new(vec![
            m("GM0917", "Heerlen", "Zuid-Limburg"),
            m("GM0935", "Maastricht", "Zuid-Limburg"),
            m("GM0983", "Venlo", "Noord-Limburg"),
        ])
    }

    fn exchange(kind: &str, place: &str, skills: &[&str]) -> Exchange {
        let input = ExchangeInput {
            kind: kind.into(),
            title: "Magazijn".into(),
            skills: skills.iter().map(|s| (*s).to_owned()).collect(),
            municipality: place.into(),
            ..ExchangeInput::default()
        };
        validate_exchange(&input, &regions(), &|s| Some(format!("esco:{s}"))).expect("valid")
    }

    #[test]
    fn an_offer_fits_an_ask_in_the_same_region_by_shared_skills() {
        let r = regions();
        let ask = exchange(
            "ask",
            "Heerlen",
            &["heftruck", "voorraad", "plannen", "klant"],
        );
        let offer = exchange("offer", "Maastricht", &["heftruck", "voorraad", "lassen"]);
        assert_eq!(fit(&offer, &ask, &r), Some(50));
        let far = exchange("offer", "Venlo", &["heftruck", "voorraad"]);
        assert_eq!(fit(&far, &ask, &r), None, "another labour-market region");
        assert_eq!(fit(&ask, &ask, &r), None, "two asks");
        let other = exchange("offer", "Heerlen", &["lassen"]);
        assert_eq!(fit(&other, &ask, &r), None, "no skill shared");
    }

    #[test]
    fn an_exchange_goes_ahead_when_both_companies_and_the_employee_agree() {
        let mut p = Proposal {
            id: 1,
            ask: 1,
            offer: 2,
            asking_ok: true,
            offering_ok: false,
            employee_email: None,
            employee_ok: false,
        };
        assert_eq!(p.status(), ProposalStatus::WaitingForCompany);
        p.offering_ok = true;
        assert_eq!(p.status(), ProposalStatus::WaitingForEmployee);
        p.employee_ok = true;
        assert_eq!(p.status(), ProposalStatus::Agreed);
    }

    #[test]
    fn a_company_and_an_exchange_name_their_problems() {
        let r = regions();
        let bad = CompanyInput {
            kvk: "12".into(),
            municipality: "Atlantis".into(),
            size: "huge".into(),
            ..CompanyInput::default()
        };
        let fields: Vec<String> = validate_company(&bad, &r)
            .expect_err("invalid")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["kvk", "name", "municipality", "size"]);
        let input = ExchangeInput {
            kind: "lend".into(),
            municipality: "Heerlen".into(),
            places: "0".into(),
            ..ExchangeInput::default()
        };
        let errors = validate_exchange(&input, &r, &|_| None).expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for f in ["kind", "title", "skills", "places"] {
            assert!(fields.contains(&f), "{f} in {fields:?}");
        }
    }
}
