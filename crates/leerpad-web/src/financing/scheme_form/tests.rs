use super::*;
use leerpad_domain::catalogue::model::{Accreditation, CostKind, Level, Modality, OfferKind};
use leerpad_domain::financing::{EducationLevel, EmploymentStatus, Sector};
use proptest::prelude::*;

fn definition(eligibility: Condition) -> SchemeDefinition {
    SchemeDefinition {
        name: Localized {
            nl: "Limburg Leert Fonds".into(),
            en: "Limburg Learns fund".into(),
        },
        description: Localized {
            nl: "De provincie betaalt de helft.\nJe betaalt eerst zelf.".into(),
            en: String::new(),
        },
        funder: Funder {
            kind: FunderKind::Regional,
            name: "Provincie Limburg".into(),
        },
        benefit: Benefit::TrainingCosts,
        period: Period {
            from: iso_date_option::parse("2025-01-01"),
            until: iso_date_option::parse("2030-12-31"),
        },
        coverage: Coverage {
            cost_kinds: vec![CostKind::Tuition, CostKind::Exam],
            offer_kinds: vec![OfferKind::Course],
            levels: vec![Level::Mbo2],
            percent: 50,
            fixed_amount_cents: None,
            max_per_award_cents: Some(Money::from_cents(125_050)),
            max_per_person_per_year_cents: Some(Money::from_cents(400_000)),
            own_contribution_cents: Money::from_cents(2_500),
            own_contribution_percent: 10,
            including_vat: false,
        },
        payment: Payment::Reimbursement,
        stacking: Stacking {
            order: 20,
            excludes: vec!["sectorfonds-zorg".into()],
        },
        budget: BudgetLimits {
            total_cents: Some(Money::from_cents(200_000_000)),
            max_awards_per_offer: Some(300),
        },
        yearly_deposit: None,
        application: Application {
            url: Some("https://www.example.nl/aanvragen".into()),
            via_advisor: true,
        },
        eligibility,
        example: true,
    }
}

/// The form of a definition, posted back unchanged.
fn round_trip(def: &SchemeDefinition, lang: &str) -> SchemeDefinition {
    let form = SchemeForm::from_definition("limburg-leert-fonds", 3, def, lang);
    let mut problems = Problems::new();
    let back = form.to_definition(&mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    back.expect("a definition")
}

#[test]
fn a_definition_survives_its_form_with_conditions_it_has_no_field_for() {
    let rule = Condition::All(vec![
        Condition::Age {
            min: Some(18),
            max: Some(66),
            on: None,
        },
        Condition::Employment(vec![
            EmploymentStatus::Employed,
            EmploymentStatus::SelfEmployed,
        ]),
        Condition::Province(vec!["Limburg".into(), "Noord-Brabant".into()]),
        Condition::Sector(vec![Sector::CareWelfare]),
        Condition::InsuredMonths {
            at_least: 6,
            within_months: 12,
        },
        Condition::NotUsedBefore {
            within_months: Some(36),
        },
        Condition::Modality(vec![Modality::Online]),
        Condition::Accreditation(vec![Accreditation::Nrto]),
        Condition::Price {
            min_cents: Some(Money::from_cents(10_000)),
            max_cents: None,
        },
        Condition::CreboRegistered(true),
        // No field for these: kept as they are, after the fields' conditions.
        Condition::Any(vec![
            Condition::Age {
                min: Some(45),
                max: None,
                on: None,
            },
            Condition::EducationAtMost(EducationLevel::Mbo4),
        ]),
        Condition::Employment(vec![EmploymentStatus::JobSeeker]),
    ]);
    let def = definition(rule);
    for lang in ["nl", "en"] {
        assert_eq!(round_trip(&def, lang), def, "in {lang}");
    }
    let form = SchemeForm::from_definition("x", 1, &def, "nl");
    assert_eq!(form.max_per_award, "1.250,50");
    assert_eq!(form.budget_total, "2.000.000");
    assert_eq!(form.age_min, "18");
    assert!(form.other_conditions.contains("\"any\""));
}

#[test]
fn a_lone_condition_and_no_condition_read_back_as_a_list() {
    let def = definition(Condition::always());
    assert_eq!(round_trip(&def, "nl"), def);
    let lone = definition(Condition::Region(vec!["Parkstad Limburg".into()]));
    assert_eq!(
        round_trip(&lone, "nl").eligibility,
        Condition::All(vec![Condition::Region(vec!["Parkstad Limburg".into()])])
    );
}

#[test]
fn values_that_are_not_amounts_numbers_or_dates_are_named_on_their_fields() {
    let mut form = SchemeForm::from_definition("x", 1, &definition(Condition::always()), "nl");
    form.max_per_award = "twaalf euro".into();
    form.budget_total = "-5".into();
    form.percent = "300".into();
    form.age_min = "veertig".into();
    form.period_from = "31-02-2026".into();
    form.period_until = "1-3-2027".into();
    form.funder_kind = "bank".into();
    let mut problems = Problems::new();
    assert!(form.to_definition(&mut problems).is_none());
    let fields: Vec<&str> = problems.iter().map(|(f, _, _)| *f).collect();
    for f in [
        "max_per_award",
        "budget_total",
        "percent",
        "age_min",
        "period_from",
        "funder_kind",
    ] {
        assert!(fields.contains(&f), "{f} in {problems:?}");
    }
    assert!(!fields.contains(&"period_until"), "a Dutch date is a date");
}

#[test]
fn domain_errors_land_on_the_field_that_made_them() {
    let mut form = SchemeForm::from_definition("x", 1, &definition(Condition::always()), "nl");
    form.regions = "Atlantis".into();
    form.age_min = "70".into();
    form.age_max = "60".into();
    form.other_conditions = r#"[[5, {"modality": []}]]"#.into();
    // Filled in order: age (0), regions (1), then the kept conditions.
    assert_eq!(form.field_of("eligibility.all[0].age"), "age_min");
    assert_eq!(form.field_of("eligibility.all[1].region[0]"), "regions");
    assert_eq!(
        form.field_of("eligibility.all[2].modality"),
        "other_conditions"
    );
    assert_eq!(
        form.field_of("coverage.max_per_award_cents"),
        "max_per_award"
    );
    assert_eq!(form.field_of("name.en"), "name_en");
    assert_eq!(form.field_of("stacking.excludes[0]"), "excludes");
}

proptest! {
    #[test]
    fn amounts_shown_in_the_form_read_back_the_same(cents in 0i64..10_000_000_000) {
        let m = Money::from_cents(cents);
        for lang in ["nl", "en"] {
            prop_assert_eq!(Money::parse_euros(&m.format_amount(lang)), Some(m));
        }
    }
}
