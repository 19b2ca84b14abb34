//! Tests of offer validation: a good offer with its defaults, and bad ones with every problem
//! reported under its field.

use super::*;
use crate::catalogue::model::{OfferStatus, Schedule};
use crate::regions::{Municipality, Regions};
use crate::shared::{FieldError, Money};

fn regions() -> Regions {
    Regions::new(vec![Municipality {
        code: "GM0363".into(),
        name: "Amsterdam".into(),
        province: "Noord-Holland".into(),
        region: "Groot-Amsterdam".into(),
    }])
}

fn skill_uri(s: &str) -> Option<String> {
    s.ends_with("/known").then(|| s.to_owned())
}

pub(crate) fn good() -> OfferInput {
    OfferInput {
        provider: Some(ProviderInput {
            kvk: "1234 5678".into(),
            name: "Opleidingscentrum Noord".into(),
            accreditations: vec!["NRTO".into(), "CRKBO".into()],
            ..Default::default()
        }),
        provider_offer_id: "VCA-1".into(),
        title: LocalizedInput {
            nl: Some("Basisveiligheid VCA".into()),
            en: None,
        },
        kind: "course".into(),
        level: Some("mbo2".into()),
        modality: "on_site".into(),
        runs: vec![RunInput {
            start: Some("2027-02-01".into()),
            end: Some("2027-02-02".into()),
            municipality: Some("Amsterdam".into()),
            ..Default::default()
        }],
        costs: vec![CostInput {
            kind: "tuition".into(),
            amount_cents: Money::from_cents(29_500),
            vat_percent: Some(0),
            required: None,
        }],
        skills: vec!["http://data.europa.eu/esco/skill/known".into()],
        ..Default::default()
    }
}

fn check(input: &OfferInput) -> Result<OfferDraft, Vec<FieldError>> {
    let r = regions();
    validate_offer(
        input,
        &Checks {
            regions: &r,
            skill_uri: &skill_uri,
        },
    )
}

#[test]
fn a_good_offer_is_accepted_with_defaults() {
    let draft = check(&good()).expect("valid");
    assert_eq!(
        draft.provider.as_ref().map(|p| p.kvk.as_str()),
        Some("12345678")
    );
    let c = &draft.content;
    assert_eq!(
        c.schedule,
        Schedule::FixedDates,
        "runs with dates imply fixed dates"
    );
    assert_eq!(c.status, OfferStatus::Published);
    assert_eq!(c.nlqf, Some(2), "NLQF follows the level");
    assert_eq!(c.languages, vec!["nl"]);
    assert_eq!(c.runs[0].municipality.as_deref(), Some("GM0363"));
    assert_eq!(c.gross_price_cents(), Money::from_cents(29_500));
}

#[test]
fn every_problem_is_reported_with_its_field() {
    let mut bad = good();
    bad.kind = "kurs".into();
    bad.title = LocalizedInput::default();
    bad.runs[0].municipality = Some("Atlantis".into());
    bad.runs[0].end = Some("2027-01-01".into());
    bad.costs[0].amount_cents = Money::from_cents(-5);
    bad.costs[0].vat_percent = Some(19);
    bad.skills.push("http://example.org/unknown".into());
    bad.nlqf = Some(9);
    bad.crebo = Some("12ab".into());
    bad.provider = Some(ProviderInput {
        kvk: "123".into(),
        name: String::new(),
        ..Default::default()
    });
    let errors = check(&bad).expect_err("invalid");
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    for f in [
        "kind",
        "title",
        "runs[0].municipality",
        "runs[0].end",
        "costs[0].amount_cents",
        "costs[0].vat_percent",
        "skills[1]",
        "nlqf",
        "crebo",
        "provider.kvk",
        "provider.name",
    ] {
        assert!(fields.contains(&f), "{f} missing in {errors:?}");
    }
    let kind = errors
        .iter()
        .find(|e| e.field == "kind")
        .map(|e| e.message.as_str());
    assert!(kind.is_some_and(|m| m.contains("'kurs'") && m.contains("deelcertificaat")));
}

#[test]
fn on_site_runs_need_a_place_and_fixed_dates_a_start() {
    let mut bad = good();
    bad.schedule = Some("fixed_dates".into());
    bad.runs = vec![RunInput::default()];
    let errors = check(&bad).expect_err("invalid");
    assert!(errors.iter().any(|e| e.field == "runs[0].municipality"));
    assert!(errors.iter().any(|e| e.field == "runs[0].start"));
    let mut online = good();
    online.modality = "online".into();
    online.runs = vec![];
    online.schedule = None;
    let ok = check(&online).expect("an online own-pace offer needs no runs");
    assert_eq!(ok.content.schedule, Schedule::OwnPace);
}

#[test]
fn overlong_and_control_characters_are_refused() {
    let mut bad = good();
    bad.title.nl = Some("x".repeat(MAX_TITLE + 1));
    bad.summary.nl = Some("a\u{0}b".into());
    let errors = check(&bad).expect_err("invalid");
    assert!(errors.iter().any(|e| e.field == "title.nl"));
    assert!(errors.iter().any(|e| e.field == "summary.nl"));
}
