//! The figures a region steers by, from the same rows the lists show: whom Leerpad reaches
//! (education, age band, region, from the situations people saved) and what they take up
//! (advice registrations, enrolments by status, completions), for the whole country or one
//! region.

use super::{AreaKind, Region, Regions};
use crate::financing::PersonFacts;
use crate::shared::{Date, UserId};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Age bands, as regional programmes report them.
pub const AGE_BANDS: [(&str, u8, u8); 5] = [
    ("18-26", 18, 26),
    ("27-44", 27, 44),
    ("45-54", 45, 54),
    ("55-66", 55, 66),
    ("67-plus", 67, u8::MAX),
];

/// The band of an age ("onbekend" outside every band, or without an age).
pub fn age_band(age: Option<u8>) -> &'static str {
    age.and_then(|a| {
        AGE_BANDS
            .iter()
            .find(|(_, from, until)| (*from..=*until).contains(&a))
            .map(|(name, _, _)| *name)
    })
    .unwrap_or("unknown")
}

/// The dashboard's figures; every list is (key, count), keys sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// People with a saved situation in the area.
    pub people: u64,
    pub by_education: Vec<(String, u64)>,
    pub by_age: Vec<(String, u64)>,
    /// Labour-market regions (for the country or a province).
    pub by_region: Vec<(String, u64)>,
    pub advice_registrations: u64,
    pub enrolments: u64,
    pub enrolments_by_status: Vec<(String, u64)>,
    pub completions: u64,
}

fn sorted(map: BTreeMap<String, u64>) -> Vec<(String, u64)> {
    map.into_iter().collect()
}

/// The figures for `area` (the whole country when `None`). People count where their saved
/// municipality lies; registrations and enrolments count with their person (for the whole
/// country, every row, also of people who saved no situation).
pub fn figures(
    people: &[(UserId, PersonFacts)],
    registrations: &[UserId],
    enrolments: &[(UserId, String)],
    regions: &Regions,
    area: Option<&Region>,
    today: Date,
) -> Figures {
    let inside = |facts: &PersonFacts| match area {
        None => true,
        Some(a) => facts
            .municipality
            .as_deref()
            .and_then(|m| regions.municipality(m))
            .is_some_and(|m| match a.kind {
                AreaKind::Province => m.province == a.name,
                AreaKind::LabourMarket => m.region == a.name,
            }),
    };
    let mut in_area: HashMap<UserId, bool> = HashMap::new();
    let mut f = Figures::default();
    let (mut education, mut ages, mut by_region) =
        (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    for (user, facts) in people {
        let here = inside(facts);
        in_area.insert(*user, here);
        if !here {
            continue;
        }
        f.people += 1;
        let level = facts
            .education
            .map_or("unknown".to_owned(), |e| e.as_str().to_owned());
        *education.entry(level).or_insert(0) += 1;
        let age = facts.age.or_else(|| {
            facts
                .birth_date
                .and_then(|b| u8::try_from(crate::financing::person::age_on(b, today)).ok())
        });
        *ages.entry(age_band(age).to_owned()).or_insert(0) += 1;
        if let Some(m) = facts
            .municipality
            .as_deref()
            .and_then(|m| regions.municipality(m))
        {
            *by_region.entry(m.region.clone()).or_insert(0) += 1;
        }
    }
    let counts = |user: &UserId| area.is_none() || in_area.get(user).copied().unwrap_or(false);
    f.advice_registrations = registrations.iter().filter(|u| counts(u)).count() as u64;
    let mut statuses = BTreeMap::new();
    for (_, status) in enrolments.iter().filter(|(u, _)| counts(u)) {
        f.enrolments += 1;
        if status == "completed" {
            f.completions += 1;
        }
        *statuses.entry(status.clone()).or_insert(0) += 1;
    }
    f.by_education = sorted(education);
    f.by_age = sorted(ages);
    f.by_region = sorted(by_region);
    f.enrolments_by_status = sorted(statuses);
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::financing::EducationLevel;
    use crate::regions::Municipality;
    use time::macros::date;

    #[test]
    fn a_region_counts_its_people_and_what_they_take_up() {
        let regions = Regions::new(vec![
            Municipality {
                code: "GM0917".into(),
                name: "Heerlen".into(),
                province: "Limburg".into(),
                region: "Zuid-Limburg".into(),
            },
            Municipality {
                code: "GM0363".into(),
                name: "Amsterdam".into(),
                province: "Noord-Holland".into(),
                region: "Groot-Amsterdam".into(),
            },
        ]);
        let person = |m: &str, age: u8, e: EducationLevel| PersonFacts {
            municipality: Some(m.into()),
            age: Some(age),
            education: Some(e),
            ..PersonFacts::default()
        };
        let people = vec![
            (UserId::new(1), person("Heerlen", 44, EducationLevel::Mbo2)),
            (UserId::new(2), person("Heerlen", 58, EducationLevel::Mbo2)),
            (UserId::new(3), person("Amsterdam", 30, EducationLevel::Hbo)),
        ];
        let enrolments = vec![
            (UserId::new(1), "completed".to_owned()),
            (UserId::new(3), "confirmed".to_owned()),
            (UserId::new(9), "requested".to_owned()),
        ];
        let registrations = vec![UserId::new(2), UserId::new(3)];
        let zl = regions.area("zuid-limburg").expect("area");
        let today = date!(2026 - 12 - 07);
        let f = figures(
            &people,
            &registrations,
            &enrolments,
            &regions,
            Some(&zl),
            today,
        );
        assert_eq!(f.people, 2);
        assert_eq!(f.by_education, vec![("mbo2".to_owned(), 2)]);
        assert_eq!(
            f.by_age,
            vec![("27-44".to_owned(), 1), ("55-66".to_owned(), 1)]
        );
        assert_eq!(
            (f.advice_registrations, f.enrolments, f.completions),
            (1, 1, 1)
        );
        let all = figures(&people, &registrations, &enrolments, &regions, None, today);
        assert_eq!(
            (all.people, all.enrolments, all.advice_registrations),
            (3, 3, 2)
        );
        assert_eq!(all.by_region.len(), 2);
    }
}
