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
