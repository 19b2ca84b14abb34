//! The figures a region steers by, from the same rows the lists show: whom Leerpad reaches
//! (education, age band, region, from the situations people saved) and what they take up
//! (advice registrations, enrolments by status, completions), for the whole country or one
//! region.

use super::{Region, Regions};
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

/// What a scheme spent or promised to one person (a ledger transfer or hold out of the
/// scheme's budget account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemePayment {
    /// The scheme's address (slug).
    pub scheme: String,
    /// None for money that went to no person (e.g. an award without one).
    pub user: Option<UserId>,
    pub cents: i64,
    /// Paid (a transfer, or a hold that was posted); otherwise promised (a pending hold).
    pub paid: bool,
}

/// A scheme as the budget table names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemeBudget {
    pub slug: String,
    pub name: crate::shared::Localized,
    /// The whole budget; none when open-ended.
    pub total_cents: Option<i64>,
}

/// How much of one scheme's budget went to the people of an area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BudgetRow {
    pub scheme: SchemeBudget,
    pub promised_cents: i64,
    pub paid_cents: i64,
}

/// Every row the dashboard counts, read once.
#[derive(Debug, Clone, Default)]
pub struct DashboardRows {
    pub people: Vec<(UserId, PersonFacts)>,
    /// One per advice registration that was not cancelled.
    pub registrations: Vec<UserId>,
    /// (learner, status) per enrolment.
    pub enrolments: Vec<(UserId, String)>,
    pub schemes: Vec<SchemeBudget>,
    pub payments: Vec<SchemePayment>,
    pub culture: Vec<super::culture::CultureAnswer>,
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
    /// Per scheme, what went to the area's people (every scheme, also those with nothing).
    pub budgets: Vec<BudgetRow>,
    /// Money from schemes (promised and paid, in cents) per labour-market region.
    pub budget_by_region: Vec<(String, u64)>,
    /// The learning-culture trend of the area.
    pub culture: Vec<super::culture::CulturePoint>,
}

/// The figures of the whole country and of every region, from one pass over the rows.
#[derive(Debug, Clone, Default)]
pub struct AreaFigures {
    pub national: Figures,
    /// By region address; a region nobody lives in has no entry.
    pub areas: std::collections::HashMap<String, Figures>,
}

impl AreaFigures {
    /// The figures of `area` (the country when `None`).
    pub fn of(&self, area: Option<&Region>) -> Figures {
        match area {
            None => self.national.clone(),
            Some(a) => self.areas.get(&a.slug).cloned().unwrap_or_else(|| Figures {
                budgets: self.national.budgets.iter().map(empty_budget).collect(),
                ..Figures::default()
            }),
        }
    }
}

fn empty_budget(row: &BudgetRow) -> BudgetRow {
    BudgetRow {
        scheme: row.scheme.clone(),
        promised_cents: 0,
        paid_cents: 0,
    }
}

/// Counts while reading; turned into [`Figures`] at the end.
#[derive(Default)]
struct Tally {
    people: u64,
    education: BTreeMap<String, u64>,
    ages: BTreeMap<String, u64>,
    by_region: BTreeMap<String, u64>,
    registrations: u64,
    statuses: BTreeMap<String, u64>,
    /// slug → (promised, paid)
    budgets: HashMap<String, (i64, i64)>,
    budget_by_region: BTreeMap<String, u64>,
    culture: Vec<usize>,
}

impl Tally {
    fn finish(self, rows: &DashboardRows) -> Figures {
        let enrolments = self.statuses.values().sum();
        Figures {
            people: self.people,
            by_education: sorted(self.education),
            by_age: sorted(self.ages),
            by_region: sorted(self.by_region),
            advice_registrations: self.registrations,
            enrolments,
            completions: self.statuses.get("completed").copied().unwrap_or(0),
            enrolments_by_status: sorted(self.statuses),
            budgets: rows
                .schemes
                .iter()
                .map(|s| {
                    let (promised, paid) = self.budgets.get(&s.slug).copied().unwrap_or((0, 0));
                    BudgetRow {
                        scheme: s.clone(),
                        promised_cents: promised,
                        paid_cents: paid,
                    }
                })
                .collect(),
            budget_by_region: sorted(self.budget_by_region),
            culture: super::culture::trend(self.culture.iter().map(|i| &rows.culture[*i])),
        }
    }
}

fn sorted(map: BTreeMap<String, u64>) -> Vec<(String, u64)> {
    map.into_iter().collect()
}

/// The figures of the country and every region. People count where their saved municipality
/// lies; registrations, enrolments and scheme money count with their person (for the whole
/// country, every row, also of people who saved no situation); learning-culture answers count
/// in the region they were given for (and its provinces).
pub fn figures_by_area(rows: &DashboardRows, regions: &Regions, today: Date) -> AreaFigures {
    // The areas of each municipality, looked up once.
    let mut areas_of: HashMap<&str, (Vec<String>, String)> = HashMap::new();
    for m in regions.municipalities() {
        let slugs = regions.areas_of(m).into_iter().map(|a| a.slug).collect();
        areas_of.insert(m.name.as_str(), (slugs, m.region.clone()));
    }
    let home = |facts: &PersonFacts| {
        facts
            .municipality
            .as_deref()
            .and_then(|m| regions.municipality(m))
            .and_then(|m| areas_of.get(m.name.as_str()))
    };
    let mut national = Tally::default();
    let mut tallies: HashMap<String, Tally> = HashMap::new();
    let mut where_of: HashMap<UserId, (&[String], &str)> = HashMap::new();
    for (user, facts) in &rows.people {
        let level = facts
            .education
            .map_or("unknown".to_owned(), |e| e.as_str().to_owned());
        let age = facts.age.or_else(|| {
            facts
                .birth_date
                .and_then(|b| u8::try_from(crate::financing::person::age_on(b, today)).ok())
        });
        let band = age_band(age).to_owned();
        let place = home(facts);
        if let Some((slugs, region)) = place {
            where_of.insert(*user, (slugs.as_slice(), region.as_str()));
        }
        let count = |t: &mut Tally| {
            t.people += 1;
            *t.education.entry(level.clone()).or_insert(0) += 1;
            *t.ages.entry(band.clone()).or_insert(0) += 1;
            if let Some((_, region)) = place {
                *t.by_region.entry(region.clone()).or_insert(0) += 1;
            }
        };
        count(&mut national);
        for slug in place.map(|(s, _)| s.as_slice()).unwrap_or_default() {
            count(tallies.entry(slug.clone()).or_default());
        }
    }
    let mut each = |user: Option<&UserId>, f: &mut dyn FnMut(&mut Tally)| {
        f(&mut national);
        if let Some((slugs, _)) = user.and_then(|u| where_of.get(u)) {
            for slug in *slugs {
                f(tallies.entry(slug.clone()).or_default());
            }
        }
    };
    for user in &rows.registrations {
        each(Some(user), &mut |t| t.registrations += 1);
    }
    for (user, status) in &rows.enrolments {
        each(Some(user), &mut |t| {
            *t.statuses.entry(status.clone()).or_insert(0) += 1
        });
    }
    for p in &rows.payments {
        let region = p
            .user
            .as_ref()
            .and_then(|u| where_of.get(u))
            .map(|(_, r)| *r);
        each(p.user.as_ref(), &mut |t| {
            let e = t.budgets.entry(p.scheme.clone()).or_insert((0, 0));
            if p.paid {
                e.1 += p.cents;
            } else {
                e.0 += p.cents;
            }
            if let Some(region) = region {
                *t.budget_by_region.entry(region.to_owned()).or_insert(0) +=
                    u64::try_from(p.cents).unwrap_or(0);
            }
        });
    }
    // The areas an answer for a region counts in (the region and its provinces), worked out
    // once per region.
    let mut counted_in: HashMap<&str, Vec<String>> = HashMap::new();
    for (i, answer) in rows.culture.iter().enumerate() {
        national.culture.push(i);
        let slugs = counted_in.entry(answer.region.as_str()).or_insert_with(|| {
            let Some(area) = regions.area(&answer.region) else {
                return Vec::new();
            };
            let mut slugs = vec![area.slug.clone()];
            for m in regions.municipalities_of(&area) {
                for slug in areas_of.get(m.name.as_str()).map_or(&[][..], |(s, _)| s) {
                    if !slugs.contains(slug) {
                        slugs.push(slug.clone());
                    }
                }
            }
            slugs
        });
        for slug in slugs.iter() {
            tallies.entry(slug.clone()).or_default().culture.push(i);
        }
    }
    AreaFigures {
        national: national.finish(rows),
        areas: tallies
            .into_iter()
            .map(|(slug, t)| (slug, t.finish(rows)))
            .collect(),
    }
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
        let scheme = SchemeBudget {
            slug: "stap".into(),
            name: crate::shared::Localized::default(),
            total_cents: Some(1_000_000),
        };
        let pay = |user: Option<i64>, cents: i64, paid: bool| SchemePayment {
            scheme: "stap".into(),
            user: user.map(UserId::new),
            cents,
            paid,
        };
        let culture = |region: &str| super::super::culture::CultureAnswer {
            audience: super::super::culture::Audience::Employee,
            version: 2,
            region: region.into(),
            period: "2026-K4".into(),
            scores: vec![("want-to-learn".into(), 5)],
        };
        let rows = DashboardRows {
            people,
            registrations,
            enrolments,
            schemes: vec![scheme],
            payments: vec![
                pay(Some(1), 100_000, true),
                pay(Some(2), 50_000, false),
                pay(Some(3), 70_000, true),
                pay(None, 1_000, true),
            ],
            culture: vec![culture("zuid-limburg"), culture("groot-amsterdam")],
        };
        let by_area = figures_by_area(&rows, &regions, today);
        let f = by_area.of(Some(&zl));
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
        assert_eq!(
            (f.budgets[0].promised_cents, f.budgets[0].paid_cents),
            (50_000, 100_000)
        );
        assert_eq!(
            f.budget_by_region,
            vec![("Zuid-Limburg".to_owned(), 150_000)]
        );
        assert_eq!(f.culture.len(), 1);
        assert_eq!((f.culture[0].responses, f.culture[0].index), (1, 100));
        let limburg = by_area.of(regions.area("limburg").as_ref());
        assert_eq!((limburg.people, limburg.culture.len()), (2, 1));
        let all = by_area.of(None);
        assert_eq!(all.budgets[0].paid_cents, 171_000);
        assert_eq!(all.culture[0].responses, 2);
        assert_eq!(
            (all.people, all.enrolments, all.advice_registrations),
            (3, 3, 2)
        );
        assert_eq!(all.by_region.len(), 2);
    }
}
