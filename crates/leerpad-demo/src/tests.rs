use super::*;
use leerpad_domain::catalogue::{Checks, validate_offer};

fn tracks() -> Vec<MboTrack> {
    leerpad_formats::sbb::bundled_profiles()
        .into_iter()
        .map(|p| MboTrack {
            profile: p.profile,
            description: p.description,
            core_tasks: p.core_tasks,
            occupation: None,
        })
        .collect()
}

fn day() -> time::Date {
    time::Date::from_calendar_date(2026, time::Month::November, 23).unwrap_or(time::Date::MIN)
}

#[test]
fn the_same_seed_gives_the_same_catalogue_and_every_offer_is_valid() {
    let taxonomy = leerpad_esco::bundled().expect("taxonomy");
    let regions = leerpad_formats::regions::bundled();
    let mbo = tracks();
    let offers = leerpad_esco::bundled_job_offers();
    let make = |seed: u64| -> Vec<String> {
        let src = Sources {
            taxonomy: &taxonomy,
            regions: &regions,
            mbo: &mbo,
            job_offers: &offers,
        };
        Generator::new(src, seed, day(), 2_000)
            .expect("generator")
            .take(2_000)
            .map(|o| serde_json::to_string(&o).expect("json"))
            .collect()
    };
    let a = make(7);
    assert_eq!(a, make(7), "deterministic");
    assert_ne!(a, make(8), "the seed matters");

    let uri_of = |s: &str| -> Option<String> {
        taxonomy
            .skills
            .iter()
            .find(|k| k.uri == s)
            .map(|k| k.uri.clone())
    };
    let checks = Checks {
        regions: &regions,
        skill_uri: &uri_of,
    };
    let mut kinds = std::collections::HashMap::new();
    let mut keys = std::collections::HashSet::new();
    let mut without_skills = 0;
    for line in &a {
        let input: OfferInput = serde_json::from_str(line).expect("parse back");
        let draft = validate_offer(&input, &checks)
            .unwrap_or_else(|e| panic!("generated offer invalid: {e:?}\n{line}"));
        let kvk = draft
            .provider
            .as_ref()
            .map(|p| p.kvk.to_string())
            .unwrap_or_default();
        assert!(
            keys.insert((kvk, draft.provider_offer_id.clone())),
            "unique keys"
        );
        *kinds.entry(draft.content.kind).or_insert(0) += 1;
        without_skills += usize::from(draft.content.skills.is_empty());
    }
    assert!(kinds.len() >= 9, "a spread of kinds: {kinds:?}");
    assert!(
        (100..=320).contains(&without_skills),
        "about one in ten without skills: {without_skills}"
    );
}

#[test]
fn demo_demand_is_deterministic_and_covers_every_region() {
    let data = leerpad_esco::bundled().expect("bundled taxonomy");
    let regions = leerpad_formats::regions::bundled();
    let counts = leerpad_esco::bundled_job_offers();
    let a = crate::demand::generate(&data, &regions, &counts, "2026-Q3", 7);
    let b = crate::demand::generate(&data, &regions, &counts, "2026-Q3", 7);
    assert_eq!(a, b);
    let national: Vec<_> = a
        .iter()
        .filter(|r| r.area == leerpad_domain::matching::Area::National)
        .collect();
    assert!(national.len() > 1000, "{}", national.len());
    let total: u64 = national
        .iter()
        .filter_map(|r| r.vacancies)
        .map(u64::from)
        .sum();
    assert!((390_000..=410_000).contains(&total), "{total}");
    let mut regions_seen: Vec<&str> = a
        .iter()
        .map(|r| r.area.name())
        .filter(|n| !n.is_empty())
        .collect();
    regions_seen.sort_unstable();
    regions_seen.dedup();
    assert_eq!(regions_seen.len(), 35);
    assert!(a.iter().all(|r| r.tension().is_some_and(|t| t > 0.0)));
}
