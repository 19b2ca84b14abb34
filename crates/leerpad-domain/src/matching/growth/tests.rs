//! The growth rule on a small retail-and-care taxonomy.

use super::*;
use crate::matching::demand::{Area, DemandRecord, DemandSubject};
use crate::taxonomy::{OccupationRecord, OccupationSkill, SkillRecord, TaxonomyData, Texts};
use proptest::prelude::*;

fn uri(kind: &str, key: &str) -> String {
    format!("http://data.europa.eu/esco/{kind}/{key}")
}

/// The occupations, their ISCO codes and their skills (`!` marks an optional one).
const OCCUPATIONS: &[(&str, &str, &[&str])] = &[
    // A shrinking retail field: two sales occupations (ISCO 52).
    (
        "verkoper",
        "5223",
        &["klant", "kassa", "vakken", "product", "team"],
    ),
    (
        "kassamedewerker",
        "5230",
        &["klant", "kassa", "team", "geld"],
    ),
    // Care (ISCO 53) shares the people skills.
    (
        "verzorgende",
        "5322",
        &["klant", "team", "zorg", "hygiene", "!rapport"],
    ),
    // Warehouse work (ISCO 93) shares stock handling.
    ("magazijn", "9333", &["vakken", "product", "heftruck"]),
    // ICT (ISCO 25) shares nothing.
    ("ontwikkelaar", "2512", &["code", "test"]),
];

fn fixture() -> Taxonomy {
    let mut skill_keys: Vec<&str> = OCCUPATIONS
        .iter()
        .flat_map(|(_, _, s)| s.iter().map(|k| k.trim_start_matches('!')))
        .collect();
    skill_keys.sort();
    skill_keys.dedup();
    let label = |text: &str| {
        vec![Texts {
            lang: "nl".into(),
            preferred: text.into(),
            ..Default::default()
        }]
    };
    let skills = skill_keys
        .iter()
        .map(|k| SkillRecord {
            uri: uri("skill", k),
            texts: label(k),
            ..Default::default()
        })
        .collect();
    let mut occupation_skills = Vec::new();
    let occupations = OCCUPATIONS
        .iter()
        .enumerate()
        .map(|(o, (key, isco, skills))| {
            for s in *skills {
                let optional = s.starts_with('!');
                let id = skill_keys
                    .iter()
                    .position(|k| *k == s.trim_start_matches('!'))
                    .unwrap_or(0);
                occupation_skills.push(OccupationSkill {
                    occupation: o as u32,
                    skill: id as u32,
                    relevance: if optional {
                        Relevance::Optional
                    } else {
                        Relevance::Essential
                    },
                });
            }
            OccupationRecord {
                uri: uri("occupation", key),
                isco_code: (*isco).into(),
                texts: label(key),
                ..Default::default()
            }
        })
        .collect();
    Taxonomy::new(TaxonomyData {
        version: "growth".into(),
        skills,
        occupations,
        occupation_skills,
        ..Default::default()
    })
}

fn record(key: &str, area: Area, trend: f64) -> DemandRecord {
    DemandRecord {
        subject: DemandSubject::Occupation(uri("occupation", key)),
        area,
        period: "2026-Q3".into(),
        vacancies: Some(100),
        job_seekers: Some(50),
        tension: None,
        trend_percent: Some(trend),
    }
}

fn region() -> Area {
    Area::Region("Zuid-Limburg".into())
}

fn profile(t: &Taxonomy, keys: &[&str]) -> Vec<(SkillId, f32)> {
    let mut v: Vec<(SkillId, f32)> = keys
        .iter()
        .filter_map(|k| t.skill_id(&uri("skill", k)).map(|id| (id, 1.0)))
        .collect();
    v.sort_by_key(|(id, _)| *id);
    v.dedup_by_key(|(id, _)| *id);
    v
}

fn id(t: &Taxonomy, key: &str) -> OccupationId {
    t.occupation_id(&uri("occupation", key)).unwrap_or(u32::MAX)
}

fn ctx(t: &Taxonomy, own: &[&str]) -> MatchContext<'static> {
    MatchContext {
        region: Some("Zuid-Limburg"),
        province: Some("Limburg"),
        own_isco: Vec::new(),
        exclude: own.iter().map(|k| id(t, k)).collect(),
    }
}

/// A sales worker in Zuid-Limburg whose work shrinks there.
fn sales_worker() -> (Taxonomy, DemandTable) {
    let t = fixture();
    let table = DemandTable::new(
        vec![
            record("verkoper", region(), -6.0),
            // Growing nationally, but in her field: never suggested.
            record("kassamedewerker", Area::National, 9.0),
            record("verzorgende", region(), 12.0),
            // Growing nationally, shrinking in her region: the region decides.
            record("magazijn", Area::National, 5.0),
            record("magazijn", region(), -3.0),
            record("ontwikkelaar", region(), 15.0),
        ],
        &t,
    );
    (t, table)
}

#[test]
fn a_sales_worker_in_a_shrinking_field_is_shown_growing_care_work_she_shares_skills_with() {
    let (t, table) = sales_worker();
    let index = MatchIndex::new(&t);
    let me = profile(&t, &["klant", "kassa", "vakken", "product", "team"]);
    let moves = growth_moves(
        &index,
        &t,
        &me,
        &table,
        &ctx(&t, &["verkoper"]),
        GrowthRule {
            min_shared_skills: 2,
            ..GrowthRule::default()
        },
        10,
    );
    assert_eq!(moves.shrinking_fields, vec!["52".to_owned()]);
    let found: Vec<OccupationId> = moves.items.iter().map(|m| m.occupation).collect();
    assert_eq!(found, vec![id(&t, "verzorgende")]);
    let care = &moves.items[0];
    assert_eq!((care.skills_had, care.skills_total), (2, 5));
    assert_eq!(care.trend_percent, 12.0);
    assert_eq!(care.demand.area, region());
    assert!(care.overlap > 0.0 && care.overlap < 1.0);
    assert!(care.score > care.overlap, "growth raises the score");
}

#[test]
fn without_a_shrinking_field_only_her_own_work_is_left_out_and_few_shared_skills_are_not_enough() {
    let t = fixture();
    let table = DemandTable::new(
        vec![
            record("verkoper", region(), 1.0),
            record("kassamedewerker", region(), 9.0),
            record("verzorgende", region(), 12.0),
        ],
        &t,
    );
    let index = MatchIndex::new(&t);
    let me = profile(&t, &["klant", "kassa", "vakken", "product", "team"]);
    let moves = growth_moves(
        &index,
        &t,
        &me,
        &table,
        &ctx(&t, &["verkoper"]),
        GrowthRule::default(),
        10,
    );
    assert!(moves.shrinking_fields.is_empty());
    // The cashier shares 3 skills; care only 2, below the default of 3.
    let found: Vec<OccupationId> = moves.items.iter().map(|m| m.occupation).collect();
    assert_eq!(found, vec![id(&t, "kassamedewerker")]);
}

#[test]
fn no_demand_or_no_skills_suggests_nothing() {
    let t = fixture();
    let index = MatchIndex::new(&t);
    let empty = DemandTable::new(Vec::new(), &t);
    let me = profile(&t, &["klant", "team", "zorg"]);
    let rule = GrowthRule::default();
    assert!(
        growth_moves(&index, &t, &me, &empty, &ctx(&t, &[]), rule, 10)
            .items
            .is_empty()
    );
    let (t, table) = sales_worker();
    assert!(
        growth_moves(&index, &t, &[], &table, &ctx(&t, &[]), rule, 10)
            .items
            .is_empty()
    );
}

proptest! {
    /// Whatever the trends and skills: every suggestion grows where she lives, is not her own
    /// work nor in her shrinking field, shares enough skills, and they come best first.
    #[test]
    fn suggestions_always_grow_and_leave_the_shrinking_field(
        trends in proptest::collection::vec(-20.0f64..30.0, OCCUPATIONS.len()),
        regional in proptest::collection::vec(proptest::bool::ANY, OCCUPATIONS.len()),
        skills in proptest::collection::vec(0usize..12, 0..10),
        own in proptest::collection::vec(0usize..OCCUPATIONS.len(), 0..3),
        min_shared in 1usize..4,
    ) {
        let t = fixture();
        let index = MatchIndex::new(&t);
        let records = OCCUPATIONS
            .iter()
            .zip(trends.iter().zip(&regional))
            .map(|((key, _, _), (trend, r))| {
                record(key, if *r { region() } else { Area::National }, *trend)
            })
            .collect();
        let table = DemandTable::new(records, &t);
        let me: Vec<(SkillId, f32)> = {
            let mut v: Vec<(SkillId, f32)> = skills
                .iter()
                .filter(|s| **s < t.skills().len())
                .map(|s| (*s as SkillId, 1.0))
                .collect();
            v.sort_by_key(|(id, _)| *id);
            v.dedup_by_key(|(id, _)| *id);
            v
        };
        let own_keys: Vec<&str> = own.iter().map(|o| OCCUPATIONS[*o].0).collect();
        let c = ctx(&t, &own_keys);
        let rule = GrowthRule { min_shared_skills: min_shared, ..GrowthRule::default() };
        let moves = growth_moves(&index, &t, &me, &table, &c, rule, 10);
        for m in &moves.items {
            prop_assert!(m.trend_percent > rule.min_trend_percent);
            prop_assert!(!c.exclude.contains(&m.occupation));
            let isco = &t.occupation(m.occupation).map(|o| o.isco_code.clone()).unwrap_or_default();
            prop_assert!(!moves.shrinking_fields.iter().any(|f| isco.starts_with(f.as_str())));
            prop_assert!(m.skills_had >= min_shared && m.skills_had <= m.skills_total);
            prop_assert!((0.0..=1.0).contains(&m.overlap));
        }
        for pair in moves.items.windows(2) {
            prop_assert!(pair[0].score >= pair[1].score);
        }
        // Each own occupation whose trend shrinks puts its field on the list.
        for o in &own {
            if trends[*o] < -2.0 {
                prop_assert!(moves.shrinking_fields.contains(&OCCUPATIONS[*o].1[..2].to_owned()));
            }
        }
    }
}
