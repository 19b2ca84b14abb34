//! Matching on a small synthetic taxonomy: four occupations over twelve skills.

use super::*;
use crate::catalogue::{Level, Modality};
use crate::financing::EducationLevel;
use crate::regions::{Municipality, Regions};
use crate::shared::{Date, Money, OfferId};
use crate::taxonomy::{
    Broader, ConceptRecord, ConceptRef, OccupationRecord, OccupationSkill, Relevance, SkillRecord,
    Taxonomy, TaxonomyData, Texts,
};

fn uri(kind: &str, key: &str) -> String {
    format!("http://data.europa.eu/esco/{kind}/{key}")
}

fn label(text: &str) -> Vec<Texts> {
    vec![Texts {
        lang: "en".into(),
        preferred: text.into(),
        ..Default::default()
    }]
}

/// Occupations: nurse (s0-s4 essential, s5 optional), care assistant (s0, s1, s6 essential),
/// welder (s7-s9 essential, s10 optional), forklift driver (s9, s11 essential).
/// s0 and s1 are shared by two occupations; s9 too.
fn fixture() -> Taxonomy {
    let skills = (0..12)
        .map(|i| SkillRecord {
            uri: uri("skill", &format!("s{i}")),
            texts: label(&format!("skill {i}")),
            ..Default::default()
        })
        .collect();
    let occupations = [
        ("nurse", "2221"),
        ("care", "5321"),
        ("welder", "7212"),
        ("forklift", "8344"),
    ]
    .iter()
    .map(|(k, isco)| OccupationRecord {
        uri: uri("occupation", k),
        isco_code: (*isco).into(),
        texts: label(k),
        ..Default::default()
    })
    .collect();
    let rel = |o: u32, s: u32, essential: bool| OccupationSkill {
        occupation: o,
        skill: s,
        relevance: if essential {
            Relevance::Essential
        } else {
            Relevance::Optional
        },
    };
    let occupation_skills = vec![
        rel(0, 0, true),
        rel(0, 1, true),
        rel(0, 2, true),
        rel(0, 3, true),
        rel(0, 4, true),
        rel(0, 5, false),
        rel(1, 0, true),
        rel(1, 1, true),
        rel(1, 6, true),
        rel(2, 7, true),
        rel(2, 8, true),
        rel(2, 9, true),
        rel(2, 10, false),
        rel(3, 9, true),
        rel(3, 11, true),
    ];
    let group = |code: &str| ConceptRecord {
        uri: uri("skill-group", code),
        code: code.into(),
        texts: label(code),
    };
    let skill_groups = vec![group("S1"), group("S1.1"), group("S1.1.1"), group("S2")];
    let b = |n: ConceptRef, p: ConceptRef| Broader {
        narrower: n,
        broader: p,
    };
    let skill_broader = vec![
        b(ConceptRef::SkillGroup(1), ConceptRef::SkillGroup(0)),
        b(ConceptRef::SkillGroup(2), ConceptRef::SkillGroup(1)),
        b(ConceptRef::Skill(2), ConceptRef::SkillGroup(2)),
        b(ConceptRef::Skill(3), ConceptRef::SkillGroup(2)),
        b(ConceptRef::Skill(4), ConceptRef::SkillGroup(3)),
    ];
    Taxonomy::new(TaxonomyData {
        version: "fixture".into(),
        skills,
        occupations,
        skill_groups,
        occupation_skills,
        skill_broader,
        ..Default::default()
    })
}

fn regions() -> Regions {
    Regions::new(vec![Municipality {
        code: "GM0935".into(),
        name: "Maastricht".into(),
        province: "Limburg".into(),
        region: "Zuid-Limburg".into(),
    }])
}

fn ids(t: &Taxonomy, keys: &[&str]) -> Vec<(u32, f32)> {
    let mut v: Vec<(u32, f32)> = keys
        .iter()
        .filter_map(|k| t.skill_id(k).map(|id| (id, 1.0)))
        .collect();
    v.sort_by_key(|(id, _)| *id);
    v
}

#[test]
fn ranks_the_occupation_whose_skills_the_person_has() {
    let t = fixture();
    let index = MatchIndex::new(&t);
    let profile = ids(&t, &["s0", "s1", "s2", "s3"]);
    let ranked = index.rank(&t, &profile, None, &MatchContext::default(), 10);
    assert_eq!(ranked.len(), 2, "only occupations sharing a skill");
    assert_eq!(
        t.occupation(ranked[0].occupation).map(|o| o.uri.as_str()),
        Some(uri("occupation", "nurse").as_str())
    );
    assert_eq!((ranked[0].essential_had, ranked[0].essential_total), (4, 5));
    assert_eq!(ranked[0].missing_essential, vec![4]);
    assert!(ranked[0].skill_score > ranked[1].skill_score);
    assert!(
        ranked
            .iter()
            .all(|m| m.skill_score > 0.0 && m.skill_score <= 1.0 + 1e-9)
    );
}

#[test]
fn rare_skills_weigh_more_than_shared_ones() {
    let t = fixture();
    let index = MatchIndex::new(&t);
    // s0 and s1 are shared by nurse and care assistant; s6 only by care assistant.
    assert!(index.idf(6) > index.idf(0));
    let profile = ids(&t, &["s0", "s6"]);
    let ranked = index.rank(&t, &profile, None, &MatchContext::default(), 10);
    assert_eq!(ranked[0].occupation, 1);
}

#[test]
fn an_empty_or_unknown_profile_matches_nothing_without_error() {
    let t = fixture();
    let index = MatchIndex::new(&t);
    assert!(
        index
            .rank(&t, &[], None, &MatchContext::default(), 10)
            .is_empty()
    );
    let profile = LearnerProfile {
        skills: vec![ProfileSkill {
            uri: uri("skill", "nope"),
            origin: SkillOrigin::Picked,
            occupation: None,
            essential: true,
        }],
        ..Default::default()
    };
    assert!(profile.weighted_skills(&t).is_empty());
    let errors = profile.validate(&t, &regions());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "skills[0].uri");
}

#[test]
fn a_huge_profile_is_refused_by_validation_but_still_ranks() {
    let t = fixture();
    let profile = LearnerProfile {
        skills: (0..profile::MAX_PROFILE_SKILLS + 1)
            .map(|i| ProfileSkill {
                uri: uri("skill", &format!("s{}", i % 12)),
                origin: SkillOrigin::Picked,
                occupation: None,
                essential: true,
            })
            .collect(),
        ..Default::default()
    };
    let errors = profile.validate(&t, &regions());
    assert!(errors.iter().any(|e| e.field == "skills"));
    assert_eq!(profile.weighted_skills(&t).len(), 12, "duplicates collapse");
}

#[test]
fn demand_moves_occupations_and_marks_growth_moves() {
    let t = fixture();
    let index = MatchIndex::new(&t);
    let record = |subject: DemandSubject, area: Area, vacancies: u32, seekers: u32, trend: f64| {
        DemandRecord {
            subject,
            area,
            period: "2026-Q3".into(),
            vacancies: Some(vacancies),
            job_seekers: Some(seekers),
            tension: None,
            trend_percent: Some(trend),
        }
    };
    let table = DemandTable::new(
        vec![
            record(
                DemandSubject::Occupation(uri("occupation", "welder")),
                Area::National,
                100,
                400,
                -8.0,
            ),
            record(
                DemandSubject::Occupation(uri("occupation", "forklift")),
                Area::National,
                900,
                100,
                6.0,
            ),
            record(
                DemandSubject::Occupation(uri("occupation", "forklift")),
                Area::Region("Zuid-Limburg".into()),
                50,
                50,
                6.0,
            ),
            // An older period is replaced by the newer one.
            DemandRecord {
                period: "2025".into(),
                ..record(
                    DemandSubject::Occupation(uri("occupation", "forklift")),
                    Area::National,
                    1,
                    100,
                    0.0,
                )
            },
        ],
        &t,
    );
    assert_eq!(table.len(), 3);
    assert_eq!(
        table.sector("7212").map(|s| s.direction),
        Some(Direction::Shrinking)
    );
    assert_eq!(
        table.sector("8344").map(|s| s.direction),
        Some(Direction::Growing)
    );
    let forklift = t.occupation_id("forklift").unwrap_or(u32::MAX);
    let regional = table.for_occupation(&t, forklift, Some("Zuid-Limburg"), Some("Limburg"));
    assert_eq!(
        regional.as_ref().map(|d| d.area.clone()),
        Some(Area::Region("Zuid-Limburg".into()))
    );
    assert_eq!(regional.and_then(|d| d.tension), Some(1.0));
    let national = table.for_occupation(&t, forklift, None, None);
    assert_eq!(national.and_then(|d| d.vacancies), Some(900));

    // A welder who has s9 (shared with forklift drivers) and s11.
    let profile = ids(&t, &["s7", "s9", "s11"]);
    let ctx = MatchContext {
        own_isco: vec!["7212"],
        exclude: vec![2],
        ..Default::default()
    };
    let ranked = index.rank(&t, &profile, Some(&table), &ctx, 10);
    assert_eq!(ranked.len(), 1);
    assert_eq!(ranked[0].occupation, forklift);
    assert!(ranked[0].growth_move);
    assert!(
        ranked[0].score > ranked[0].skill_score,
        "strong demand raises the score"
    );
}

#[test]
fn demand_records_are_validated_with_their_field() {
    let t = fixture();
    let r = regions();
    let bad = DemandRecord {
        subject: DemandSubject::Isco("72x".into()),
        area: Area::Region("Atlantis".into()),
        period: "2026-Q5".into(),
        vacancies: None,
        job_seekers: None,
        tension: Some(-1.0),
        trend_percent: Some(-150.0),
    };
    let fields: Vec<String> = demand::validate_record(&bad, &t, &r)
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(
        fields,
        vec!["occupation", "area", "period", "tension", "trend"]
    );
    let good = DemandRecord {
        subject: DemandSubject::Occupation(uri("occupation", "nurse")),
        area: Area::Province("Limburg".into()),
        period: "2026-09".into(),
        vacancies: Some(3),
        job_seekers: None,
        tension: None,
        trend_percent: None,
    };
    assert!(demand::validate_record(&good, &t, &r).is_empty());
}

#[test]
fn the_gap_is_grouped_by_the_hierarchy() {
    let t = fixture();
    let groups = gap_groups(&t);
    // s2 sits in S1.1.1 under S1.1 (depth 2): it is listed under S1.1.
    assert_eq!(groups[2], Some(1));
    assert_eq!(groups[4], Some(3), "only a depth-1 group: that one");
    assert_eq!(groups[0], None);
    let gap = skill_gap(&t, &groups, &[0, 1], 0);
    assert_eq!(gap.have_essential, vec![0, 1]);
    assert_eq!(gap.missing_essential, vec![2, 3, 4]);
    assert_eq!(gap.missing_optional, vec![5]);
    assert_eq!(gap.groups[0].group, Some(1));
    assert_eq!(gap.groups[0].missing_essential, vec![2, 3]);
    assert!(!gap.is_closed());
    assert!(skill_gap(&t, &groups, &[0, 1, 2, 3, 4, 5], 0).is_closed());
}

#[test]
fn adding_and_removing_an_occupation_keeps_other_sources() {
    let t = fixture();
    let mut p = LearnerProfile::default();
    p.add_skill(ProfileSkill {
        uri: uri("skill", "s7"),
        origin: SkillOrigin::Picked,
        occupation: None,
        essential: true,
    });
    p.add_occupation(
        &t,
        ProfileOccupation {
            title: "verpleegkundige".into(),
            uri: uri("occupation", "nurse"),
            current: true,
        },
    );
    p.add_occupation(
        &t,
        ProfileOccupation {
            title: "helpende".into(),
            uri: uri("occupation", "care"),
            current: false,
        },
    );
    assert_eq!(p.skills.len(), 1 + 6 + 1);
    let optional = p.skills.iter().find(|s| s.uri == uri("skill", "s5"));
    assert_eq!(optional.map(ProfileSkill::weight), Some(0.5));
    p.remove_occupation(&t, &uri("occupation", "nurse"));
    let mut left: Vec<&str> = p
        .skills
        .iter()
        .map(|s| s.uri.rsplit('/').next().unwrap_or(""))
        .collect();
    left.sort_unstable();
    assert_eq!(
        left,
        vec!["s0", "s1", "s6", "s7"],
        "shared skills stay with the care occupation"
    );
    assert!(p.validate(&t, &regions()).is_empty());
}

fn date(y: i32, m: u8, d: u8) -> Date {
    Date::from_calendar_date(
        y,
        time::Month::try_from(m).unwrap_or(time::Month::January),
        d,
    )
    .unwrap_or(Date::MIN)
}

fn candidate(id: i64, skills: &[u32], net: i64) -> PlanCandidate {
    PlanCandidate {
        offer_id: OfferId::new(id),
        skills: skills.to_vec(),
        level: Some(Level::Mbo4),
        modality: Modality::Online,
        study_load_hours: Some(40),
        next_start: None,
        gross_cents: Money::from_cents(net.max(10_000)),
        net_cents: Money::from_cents(net),
    }
}

fn needs() -> PlanNeeds {
    PlanNeeds {
        essential: vec![2, 3, 4],
        optional: vec![5],
        education: Some(EducationLevel::Mbo4),
        hours_per_week: Some(8),
        budget_cents: None,
        today: date(2026, 11, 23),
    }
}

#[test]
fn the_plan_covers_the_gap_with_few_offers() {
    let candidates = vec![
        candidate(1, &[2], 0),
        candidate(2, &[2, 3], 20_000),
        candidate(3, &[4, 5], 10_000),
        candidate(4, &[3, 4], 200_000),
        candidate(5, &[9], 0),
    ];
    let p = plan::plan(&needs(), &candidates);
    let chosen: Vec<i64> = p.items.iter().map(|i| i.offer_id.get()).collect();
    assert_eq!(chosen, vec![2, 3]);
    assert_eq!((p.essential_covered, p.essential_total), (3, 3));
    assert_eq!(p.optional_covered, 1);
    assert!((p.coverage - 1.0).abs() < 1e-9);
    assert_eq!(p.net_total_cents, Money::from_cents(30_000));
    assert!(p.uncovered_essential.is_empty());
    assert_eq!(p.items[0].covers_essential, vec![2, 3]);
    assert!(
        p.items[0].alternatives.contains(&OfferId::new(1))
            || p.items[0].alternatives.contains(&OfferId::new(4))
    );
}

#[test]
fn the_plan_prefers_what_fits_and_says_what_it_cannot_cover() {
    let mut far = candidate(1, &[2, 3], 0);
    far.level = Some(Level::Wo);
    far.next_start = Some(date(2027, 11, 1));
    let near = candidate(2, &[2, 3], 0);
    let mut n = needs();
    n.education = Some(EducationLevel::Mbo2);
    let p = plan::plan(&n, &[far.clone(), near]);
    assert_eq!(p.items[0].offer_id, OfferId::new(2));
    let fit = plan::fit_of(&far, &n, Money::ZERO);
    assert_eq!(fit.level, LevelFit::Demanding);
    assert_eq!(fit.starts_in_days, Some(343));
    assert_eq!(p.uncovered_essential, vec![4]);
    // Over budget: still possible, but a cheaper offer wins.
    let mut b = needs();
    b.budget_cents = Some(Money::from_cents(5_000));
    let p = plan::plan(
        &b,
        &[
            candidate(7, &[2, 3, 4], 100_000),
            candidate(8, &[2, 3], 1_000),
        ],
    );
    assert_eq!(p.items[0].offer_id, OfferId::new(8));
    assert!(p.items.iter().any(|i| i.fit.over_budget));
    // Nothing to cover: an empty plan, coverage complete.
    let mut none = needs();
    none.essential.clear();
    none.optional.clear();
    let p = plan::plan(&none, &[candidate(1, &[2], 0)]);
    assert!(p.items.is_empty());
    assert_eq!(p.coverage, 1.0);
}

proptest::proptest! {
    /// Whatever the candidates, an offer appears once in a plan: as an item or as one item's
    /// alternative (a plan listing the same course twice reads as a mistake).
    #[test]
    fn no_offer_appears_twice_in_a_plan(
        offers in proptest::collection::vec(
            (proptest::collection::vec(2u32..8, 1..4), 0i64..100_000),
            1..25,
        )
    ) {
        let candidates: Vec<PlanCandidate> = offers
            .iter()
            .enumerate()
            .map(|(i, (skills, net))| candidate(i as i64 + 1, skills, *net))
            .collect();
        let p = plan::plan(&needs(), &candidates);
        let mut seen: Vec<OfferId> = p
            .items
            .iter()
            .flat_map(|i| std::iter::once(i.offer_id).chain(i.alternatives.iter().copied()))
            .collect();
        let listed = seen.len();
        seen.sort_unstable();
        seen.dedup();
        proptest::prop_assert_eq!(seen.len(), listed);
    }
}

#[test]
fn the_situation_is_asked_once_profile_and_financing_answers_complete_each_other() {
    use crate::financing::PersonFacts;
    let profile = LearnerProfile {
        municipality: Some("GM0917".into()),
        education: Some(EducationLevel::Mbo2),
        ..Default::default()
    };
    let mut answers = PersonFacts {
        municipality: Some("Maastricht".into()),
        ..Default::default()
    };
    profile.complete_facts(&mut answers);
    assert_eq!(
        answers.municipality.as_deref(),
        Some("Maastricht"),
        "answers win"
    );
    assert_eq!(answers.education, Some(EducationLevel::Mbo2), "gaps filled");
    let mut empty = LearnerProfile::default();
    empty.complete_from(&answers);
    assert_eq!(empty.municipality.as_deref(), Some("Maastricht"));
    assert_eq!(empty.education, Some(EducationLevel::Mbo2));
}
