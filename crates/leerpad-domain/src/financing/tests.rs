use super::*;
use crate::catalogue::model::*;
use crate::regions::{Municipality, Regions};
use crate::shared::{Date, Localized, OfferId, SchemeId};
use proptest::prelude::*;
use time::macros::date;

const TODAY: Date = date!(2026 - 11 - 23);

fn regions() -> Regions {
    Regions::new(vec![
        Municipality {
            code: "GM0935".into(),
            name: "Maastricht".into(),
            province: "Limburg".into(),
            region: "Zuid-Limburg".into(),
        },
        Municipality {
            code: "GM0599".into(),
            name: "Rotterdam".into(),
            province: "Zuid-Holland".into(),
            region: "Rijnmond".into(),
        },
    ])
}

fn offer(kind: OfferKind, costs: Vec<CostLine>) -> OfferContent {
    OfferContent {
        title: Localized {
            nl: "Cursus".into(),
            en: String::new(),
        },
        summary: Localized::default(),
        description: Localized::default(),
        kind,
        level: Some(Level::Mbo3),
        nlqf: None,
        crebo: None,
        croho: None,
        modality: Modality::Online,
        schedule: Schedule::OwnPace,
        runs: Vec::new(),
        costs,
        study_load_hours: Some(40),
        languages: vec!["nl".into()],
        credential: Credential::Certificate,
        skills: Vec::new(),
        status: OfferStatus::Published,
    }
}

fn line(kind: CostKind, amount_cents: i64, vat_percent: u8) -> CostLine {
    CostLine {
        kind,
        amount_cents: Money::from_cents(amount_cents),
        vat_percent,
        required: true,
    }
}

fn scheme(slug: &str, order: i32, coverage: Coverage, eligibility: Condition) -> Scheme {
    Scheme {
        id: SchemeId::new(0),
        slug: slug.into(),
        status: SchemeStatus::Published,
        version: 1,
        definition: SchemeDefinition {
            name: Localized {
                nl: slug.into(),
                en: String::new(),
            },
            description: Localized::default(),
            funder: Funder {
                kind: FunderKind::National,
                name: "Rijk".into(),
            },
            benefit: Benefit::TrainingCosts,
            period: Period::default(),
            coverage,
            payment: Payment::ProviderDirect,
            stacking: Stacking {
                order,
                excludes: Vec::new(),
            },
            budget: BudgetLimits::default(),
            yearly_deposit: None,
            application: Application::default(),
            eligibility,
            example: false,
        },
        created_at: 0,
        updated_at: 0,
    }
}

fn entry(s: Scheme) -> BookEntry {
    BookEntry {
        scheme: s,
        budget_use: BudgetUse::default(),
        awards_per_offer: Default::default(),
        only_offers: None,
    }
}

fn check(book: &SchemeBook, person: &PersonFacts, content: &OfferContent) -> OfferFinancing {
    let regions = regions();
    let ctx = CheckContext {
        today: TODAY,
        regions: &regions,
        skill_lists: &NoSkillLists,
    };
    let prepared = book.prepare(&ctx, person);
    book.check_offer(
        &ctx,
        &prepared,
        OfferFacts::new(OfferId::new(7), content, &[]),
    )
}

fn worker(age: u8) -> PersonFacts {
    PersonFacts {
        age: Some(age),
        employment: Some(EmploymentStatus::Employed),
        education: Some(EducationLevel::Mbo2),
        municipality: Some("Maastricht".into()),
        ..PersonFacts::default()
    }
}

#[test]
fn an_age_limit_says_who_is_too_old() {
    let book = SchemeBook::new(vec![entry(scheme(
        "stap",
        0,
        Coverage::default(),
        Condition::Age {
            min: Some(18),
            max: Some(64),
            on: None,
        },
    ))]);
    let content = offer(OfferKind::Course, vec![line(CostKind::Tuition, 50_000, 0)]);
    let young = check(&book, &worker(40), &content);
    assert_eq!(young.net_cents, Money::ZERO);
    assert_eq!(young.applied[0].amount_cents, Money::from_cents(50_000));
    let old = check(&book, &worker(66), &content);
    assert_eq!(old.net_cents, Money::from_cents(50_000));
    assert_eq!(
        old.not_applied[0].why,
        NotApplied::Ineligible {
            unmet: vec![Unmet::TooOld { max: 64, age: 66 }]
        }
    );
}

#[test]
fn missing_answers_make_a_scheme_possible_not_applied() {
    let book = SchemeBook::new(vec![entry(scheme(
        "regio",
        0,
        Coverage::default(),
        Condition::Region(vec!["Zuid-Limburg".into()]),
    ))]);
    let content = offer(OfferKind::Course, vec![line(CostKind::Tuition, 10_000, 21)]);
    let anonymous = check(&book, &PersonFacts::default(), &content);
    assert_eq!(anonymous.net_cents, Money::from_cents(12_100));
    assert_eq!(
        anonymous.possible[0].missing,
        vec![MissingFact::Municipality]
    );
    let local = check(&book, &worker(30), &content);
    assert_eq!(local.net_cents, Money::ZERO);
}

#[test]
fn percent_caps_and_own_contribution_combine() {
    let coverage = Coverage {
        percent: 80,
        max_per_award_cents: Some(Money::from_cents(100_000)),
        own_contribution_cents: Money::from_cents(5_000),
        ..Coverage::default()
    };
    let book = SchemeBook::new(vec![entry(scheme(
        "fonds",
        0,
        coverage,
        Condition::always(),
    ))]);
    // 80% of 2000 = 1600, capped at 1000.
    let big = check(
        &book,
        &worker(30),
        &offer(OfferKind::Course, vec![line(CostKind::Tuition, 200_000, 0)]),
    );
    assert_eq!(big.applied[0].amount_cents, Money::from_cents(100_000));
    assert_eq!(big.applied[0].limited_by, AmountLimit::MaxPerAward);
    assert_eq!(big.net_cents, Money::from_cents(100_000));
    // 80% of 100 = 80, but the own contribution of 50 leaves 50.
    let small = check(
        &book,
        &worker(30),
        &offer(OfferKind::Course, vec![line(CostKind::Tuition, 10_000, 0)]),
    );
    assert_eq!(small.applied[0].amount_cents, Money::from_cents(5_000));
    assert_eq!(small.applied[0].limited_by, AmountLimit::RemainingCosts);
}

#[test]
fn exclusions_keep_the_first_in_stacking_order() {
    let mut a = scheme(
        "a-landelijk",
        0,
        Coverage {
            percent: 50,
            ..Coverage::default()
        },
        Condition::always(),
    );
    a.definition.stacking.excludes = vec!["b-regio".into()];
    let b = scheme("b-regio", 1, Coverage::default(), Condition::always());
    let c = scheme("c-sector", 2, Coverage::default(), Condition::always());
    let book = SchemeBook::new(vec![entry(c), entry(b), entry(a)]);
    let f = check(
        &book,
        &worker(30),
        &offer(OfferKind::Course, vec![line(CostKind::Tuition, 10_000, 0)]),
    );
    let applied: Vec<_> = f
        .applied
        .iter()
        .map(|a| (a.scheme.as_str(), a.amount_cents.cents()))
        .collect();
    assert_eq!(applied, vec![("a-landelijk", 5_000), ("c-sector", 5_000)]);
    assert_eq!(
        f.not_applied[0].why,
        NotApplied::ExcludedBy {
            scheme: "a-landelijk".into()
        }
    );
    assert_eq!(f.net_cents, Money::ZERO);
}

#[test]
fn budget_year_maximum_and_offer_cap_are_respected() {
    let coverage = Coverage {
        max_per_person_per_year_cents: Some(Money::from_cents(100_000)),
        ..Coverage::default()
    };
    let mut s = scheme("leerbudget", 0, coverage, Condition::always());
    s.definition.budget.total_cents = Some(Money::from_cents(1_000_000));
    s.definition.budget.max_awards_per_offer = Some(2);
    let mut e = entry(s);
    e.budget_use = BudgetUse {
        reserved_cents: Money::from_cents(600_000),
        spent_cents: Money::from_cents(370_000),
    };
    let book = SchemeBook::new(vec![e.clone()]);
    let mut person = worker(30);
    person.prior_awards = vec![PriorAward {
        scheme: "leerbudget".into(),
        on: date!(2026 - 03 - 01),
        amount_cents: Money::from_cents(80_000),
    }];
    let content = offer(OfferKind::Course, vec![line(CostKind::Tuition, 50_000, 0)]);
    let f = check(&book, &person, &content);
    assert_eq!(
        f.applied[0].amount_cents,
        Money::from_cents(20_000),
        "year maximum leaves 200"
    );
    assert_eq!(f.applied[0].limited_by, AmountLimit::YearMaximum);
    let f = check(&book, &worker(30), &content);
    assert_eq!(
        f.applied[0].amount_cents,
        Money::from_cents(30_000),
        "remaining budget is 300"
    );
    e.awards_per_offer.insert(OfferId::new(7), 2);
    let f = check(&SchemeBook::new(vec![e]), &worker(30), &content);
    assert_eq!(
        f.not_applied[0].why,
        NotApplied::OfferCapReached { max_awards: 2 }
    );
}

#[test]
fn any_not_and_offer_conditions() {
    let rule = Condition::All(vec![
        Condition::Any(vec![
            Condition::EducationAtMost(EducationLevel::Mbo4),
            Condition::Age {
                min: Some(45),
                max: None,
                on: None,
            },
        ]),
        Condition::Not(Box::new(Condition::Employment(vec![
            EmploymentStatus::OnBenefits,
        ]))),
        Condition::OfferKind(vec![OfferKind::Course, OfferKind::Module]),
    ]);
    let book = SchemeBook::new(vec![entry(scheme("x", 0, Coverage::default(), rule))]);
    let course = offer(OfferKind::Course, vec![line(CostKind::Tuition, 10_000, 0)]);
    assert_eq!(check(&book, &worker(30), &course).net_cents, Money::ZERO);
    let mut academic = worker(30);
    academic.education = Some(EducationLevel::Wo);
    let f = check(&book, &academic, &course);
    assert!(matches!(
        &f.not_applied[0].why,
        NotApplied::Ineligible { unmet } if matches!(unmet[0], Unmet::NoneOf { .. })
    ));
    let mut on_benefits = worker(30);
    on_benefits.employment = Some(EmploymentStatus::OnBenefits);
    let f = check(&book, &on_benefits, &course);
    assert!(matches!(
        &f.not_applied[0].why,
        NotApplied::Ineligible { unmet } if matches!(unmet[0], Unmet::Excluded { .. })
    ));
    let exam = offer(OfferKind::Exam, vec![line(CostKind::Exam, 10_000, 0)]);
    assert_eq!(
        check(&book, &worker(30), &exam).net_cents,
        Money::from_cents(10_000)
    );
}

#[test]
fn person_view_ignores_offer_conditions_and_asks_for_missing_answers() {
    let book = SchemeBook::new(vec![
        entry(scheme(
            "a",
            0,
            Coverage::default(),
            Condition::OfferKind(vec![OfferKind::Course]),
        )),
        entry(scheme(
            "b",
            0,
            Coverage::default(),
            Condition::Sector(vec![Sector::CareWelfare]),
        )),
        entry(scheme(
            "c",
            0,
            Coverage::default(),
            Condition::Province(vec!["Zuid-Holland".into()]),
        )),
    ]);
    let regions = regions();
    let ctx = CheckContext {
        today: TODAY,
        regions: &regions,
        skill_lists: &NoSkillLists,
    };
    let person = worker(30);
    let prepared = book.prepare(&ctx, &person);
    let verdicts = book.check_person(&ctx, &prepared);
    assert_eq!(verdicts[0].verdict, EligibilityVerdict::Eligible);
    assert_eq!(
        verdicts[1].verdict,
        EligibilityVerdict::Unknown {
            missing: vec![MissingFact::Sector]
        }
    );
    assert!(matches!(
        verdicts[2].verdict,
        EligibilityVerdict::NotEligible { .. }
    ));
}

#[test]
fn insured_months_are_compared_over_the_right_window() {
    let p = PersonFacts {
        insured_work: Some(InsuredWork {
            months: 30,
            window_months: 36,
        }),
        ..PersonFacts::default()
    };
    assert_eq!(p.insured_months_range(36), Some((30, 30)));
    assert_eq!(p.insured_months_range(24), Some((18, 24)));
    assert_eq!(p.insured_months_range(48), Some((30, 42)));
}

#[test]
fn age_with_only_todays_age_is_a_range_away_from_today() {
    let p = PersonFacts {
        age: Some(40),
        ..PersonFacts::default()
    };
    assert_eq!(p.age_range_on(TODAY, TODAY), Some((40, 40)));
    assert_eq!(p.age_range_on(date!(2027 - 06 - 01), TODAY), Some((40, 41)));
    let b = PersonFacts {
        birth_date: Some(date!(1962 - 01 - 15)),
        ..PersonFacts::default()
    };
    assert_eq!(b.age_range_on(date!(2027 - 01 - 14), TODAY), Some((64, 64)));
    assert_eq!(b.age_range_on(date!(2027 - 01 - 15), TODAY), Some((65, 65)));
}

#[test]
fn validation_names_the_field_and_the_problem() {
    let regions = regions();
    let ctx = RuleContext {
        regions: &regions,
        skill_lists: &NoSkillLists,
    };
    let mut s = scheme(
        "fout",
        0,
        Coverage {
            percent: 120,
            ..Coverage::default()
        },
        Condition::All(vec![
            Condition::Age {
                min: Some(70),
                max: Some(60),
                on: None,
            },
            Condition::Any(vec![Condition::Region(vec!["Atlantis".into()])]),
            Condition::SkillsOnList {
                list: "groen".into(),
                min: 1,
            },
        ]),
    );
    s.definition.stacking.excludes = vec!["fout".into(), "onbekend".into()];
    let errors = validate_scheme(&s.definition, "fout", &["fout".into()], &ctx);
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        vec![
            "coverage.percent",
            "stacking.excludes[0]",
            "stacking.excludes[1]",
            "eligibility.all[0].age",
            "eligibility.all[1].any[0].region[0]",
            "eligibility.all[2].skills_on_list",
        ]
    );
    assert!(
        errors[3]
            .message
            .contains("minimum age 70 is above the maximum age 60")
    );
    assert!(validate_slug("Bad Slug").is_err());
    assert!(validate_slug("stap-budget-2026").is_ok());
}

#[test]
fn rules_read_from_json_and_reject_unknown_fields() {
    let rule: Condition = serde_json::from_str(
        r#"{"all":[{"age":{"max":64}},{"employment":["employed","self_employed"]},{"not":{"offer_kind":["exam"]}}]}"#,
    )
    .expect("valid rule");
    assert_eq!(rule.leaves().len(), 3);
    assert_eq!(
        rule.employment_statuses(),
        vec![EmploymentStatus::Employed, EmploymentStatus::SelfEmployed]
    );
    let err =
        serde_json::from_str::<Condition>(r#"{"age":{"maximum":64}}"#).expect_err("unknown field");
    assert!(err.to_string().contains("maximum"), "{err}");
}

#[test]
fn a_condition_object_has_exactly_one_key() {
    // Two facts in one object: refused with a message saying so, not as broken JSON.
    let two = r#"{"all":[{"age":{"min":45}},{"region":["Twente"]},{"age":{"min":45},"employment":["employed"]}]}"#;
    let err = serde_json::from_str::<Condition>(two).expect_err("two keys");
    assert!(err.is_data(), "a data error, not a syntax error: {err}");
    let message = err.to_string();
    assert!(message.contains("exactly one key"), "{message}");
    assert!(
        message.contains("\"age\"") && message.contains("\"employment\""),
        "{message}"
    );
    let empty = serde_json::from_str::<Condition>(r#"{"all":[{}]}"#).expect_err("no key");
    assert!(
        empty.is_data() && empty.to_string().contains("exactly one key"),
        "{empty}"
    );
    let unknown = serde_json::from_str::<Condition>(r#"{"age_at_least":45}"#).expect_err("kind");
    assert!(
        unknown
            .to_string()
            .contains("unknown variant `age_at_least`"),
        "{unknown}"
    );
    let not_an_object = serde_json::from_str::<Condition>(r#""age""#).expect_err("string");
    assert!(
        not_an_object.to_string().contains("exactly one key"),
        "{not_an_object}"
    );

    // Every kind of condition still reads, and writes back the same.
    let every = r#"{"all":[{"age":{"min":18,"max":66,"on":"2027-01-01"}},{"employment":["employed"]},
        {"education_at_most":"mbo4"},{"education_at_least":"mbo2"},{"province":["Limburg"]},
        {"region":["Zuid-Limburg"]},{"municipality":["GM0935"]},{"sector":["zorg_welzijn"]},
        {"insured_months":{"at_least":6,"within_months":12}},{"not_used_before":{}},
        {"not":{"offer_kind":["exam"]}},{"any":[{"offer_level":["mbo2"]},{"modality":["online"]}]},
        {"price":{"max_cents":100000}},{"accreditation":["NRTO"]},
        {"skills_on_list":{"list":"green"}},
        {"skills":{"any_of":["http://data.europa.eu/esco/skill/x"],"min":1}},
        {"crebo_registered":true}]}"#;
    let rule: Condition = serde_json::from_str(every).expect("every kind");
    assert_eq!(rule.leaves().len(), 18);
    let json = serde_json::to_string(&rule).expect("write");
    assert_eq!(
        serde_json::from_str::<Condition>(&json).expect("read back"),
        rule
    );
    // And in a whole definition, the default still applies when there is no rule.
    let def: SchemeDefinition = serde_json::from_str(
        r#"{"name":{"nl":"X"},"funder":{"kind":"national","name":"Rijk"},"payment":"reimbursement"}"#,
    )
    .expect("definition");
    assert!(def.eligibility.is_always());
}

#[test]
fn free_text_without_control_characters() {
    let regions = regions();
    let ctx = RuleContext {
        regions: &regions,
        skill_lists: &NoSkillLists,
    };
    let mut s = scheme("tekst", 0, Coverage::default(), Condition::always());
    s.definition.description.nl = "Regel een\r\nregel twee\n\tingesprongen".into();
    assert!(validate_scheme(&s.definition, "tekst", &[], &ctx).is_empty());

    s.definition.name.nl = "Regeling\u{0}".into();
    s.definition.name.en = "Scheme\u{1b}[31m".into();
    s.definition.description.nl = "Regel\n\u{7}".into();
    s.definition.description.en = "Line\rcarriage return alone".into();
    s.definition.funder.name = "Rijk\tTab".into();
    s.definition.application.url = Some("https://example.nl/\u{85}".into());
    s.definition.eligibility = Condition::Skills {
        any_of: vec!["http://data.europa.eu/esco/skill/a\u{0}b".into()],
        min: 1,
    };
    let errors = validate_scheme(&s.definition, "tekst", &[], &ctx);
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        vec![
            "name.nl",
            "name.en",
            "description.nl",
            "description.en",
            "funder.name",
            "application.url",
            "eligibility.skills.any_of[0]",
        ]
    );
    assert!(
        errors[0].message.contains("U+0000"),
        "{}",
        errors[0].message
    );
    assert!(
        errors[2].message.contains("U+0007"),
        "{}",
        errors[2].message
    );

    assert_eq!(stray_control_char("a\nb", false), Some('\n'));
    assert_eq!(stray_control_char("a\nb\tc", true), None);
    assert_eq!(stray_control_char("a\r\nb", true), None);
    assert_eq!(stray_control_char("a\rb", true), Some('\r'));
    assert_eq!(stray_control_char("a\u{7f}", true), Some('\u{7f}'));
    assert_eq!(stray_control_char("Zoë € 5", false), None);
}

// Properties over random schemes, people and offers.

fn arb_coverage(kinds: Vec<CostKind>) -> impl Strategy<Value = Coverage> {
    (
        0u8..=100,
        proptest::option::of(1i64..200_000),
        proptest::option::of(1i64..300_000),
        proptest::option::of(1i64..300_000),
        0i64..20_000,
        0u8..=60,
        any::<bool>(),
    )
        .prop_map(
            move |(percent, fixed, per_award, per_year, own, own_pct, vat)| Coverage {
                cost_kinds: kinds.clone(),
                percent,
                fixed_amount_cents: fixed.map(Money::from_cents),
                max_per_award_cents: per_award.map(Money::from_cents),
                max_per_person_per_year_cents: per_year.map(Money::from_cents),
                own_contribution_cents: Money::from_cents(own),
                own_contribution_percent: own_pct,
                including_vat: vat,
                ..Coverage::default()
            },
        )
}

fn arb_costs() -> impl Strategy<Value = Vec<CostLine>> {
    proptest::collection::vec(
        (
            proptest::sample::select(CostKind::ALL.to_vec()),
            0i64..400_000,
            proptest::sample::select(vec![0u8, 9, 21]),
            any::<bool>(),
        )
            .prop_map(|(kind, amount_cents, vat_percent, required)| CostLine {
                kind,
                amount_cents: Money::from_cents(amount_cents),
                vat_percent,
                required,
            }),
        0..6,
    )
}

fn arb_entry(slug: String, kinds: Vec<CostKind>) -> impl Strategy<Value = BookEntry> {
    (
        arb_coverage(kinds),
        proptest::option::of(1i64..1_000_000),
        0i64..1_200_000,
        0i32..5,
    )
        .prop_map(move |(coverage, total, used, order)| {
            let mut s = scheme(&slug, order, coverage, Condition::always());
            s.definition.budget.total_cents = total.map(Money::from_cents);
            BookEntry {
                scheme: s,
                budget_use: BudgetUse {
                    reserved_cents: Money::from_cents(used / 2),
                    spent_cents: Money::from_cents(used - used / 2),
                },
                awards_per_offer: Default::default(),
                only_offers: None,
            }
        })
}

fn arb_book() -> impl Strategy<Value = Vec<BookEntry>> {
    proptest::collection::vec(
        proptest::sample::subsequence(CostKind::ALL.to_vec(), 0..=CostKind::ALL.len()),
        1..6,
    )
    .prop_flat_map(|kind_sets| {
        kind_sets
            .into_iter()
            .enumerate()
            .map(|(i, kinds)| arb_entry(format!("s{i}"), kinds))
            .collect::<Vec<_>>()
    })
}

proptest! {
    #[test]
    fn net_price_is_between_zero_and_gross_and_limits_hold(
        entries in arb_book(),
        costs in arb_costs(),
        received in 0i64..200_000,
    ) {
        let mut person = worker(30);
        person.prior_awards = entries.iter().map(|e| PriorAward {
            scheme: e.scheme.slug.clone(),
            on: date!(2026 - 01 - 10),
            amount_cents: Money::from_cents(received),
        }).collect();
        let book = SchemeBook::new(entries.clone());
        let content = offer(OfferKind::Course, costs);
        let f = check(&book, &person, &content);
        prop_assert!(f.net_cents >= Money::ZERO);
        prop_assert!(f.net_cents <= f.gross_cents);
        let paid: Money = f.applied.iter().map(|a| a.amount_cents).sum();
        prop_assert_eq!(paid + f.net_cents, f.gross_cents);
        for a in &f.applied {
            let e = entries.iter().find(|e| e.scheme.slug == a.scheme).expect("known");
            let cov = &e.scheme.definition.coverage;
            prop_assert!(a.amount_cents > Money::ZERO);
            if let Some(max) = cov.max_per_award_cents { prop_assert!(a.amount_cents <= max); }
            if let Some(max) = cov.fixed_amount_cents { prop_assert!(a.amount_cents <= max); }
            if let Some(max) = cov.max_per_person_per_year_cents {
                prop_assert!(a.amount_cents <= max - Money::from_cents(received));
            }
            if let Some(left) = e.budget_use.remaining(e.scheme.definition.budget.total_cents) {
                prop_assert!(a.amount_cents <= left);
            }
        }
    }

    #[test]
    fn stacking_order_does_not_change_the_total_of_independent_schemes(
        entries in arb_book(),
        costs in arb_costs(),
        orders in proptest::collection::vec(0i32..10, 6),
    ) {
        // Independent: no two schemes cover the same kind of cost.
        let mut taken: Vec<CostKind> = Vec::new();
        let mut independent = Vec::new();
        for mut e in entries {
            let kinds = &mut e.scheme.definition.coverage.cost_kinds;
            if kinds.is_empty() { continue; }
            kinds.retain(|k| !taken.contains(k));
            if kinds.is_empty() { continue; }
            taken.extend(kinds.iter().copied());
            independent.push(e);
        }
        let content = offer(OfferKind::Course, costs);
        let before = check(&SchemeBook::new(independent.clone()), &worker(30), &content);
        for (e, order) in independent.iter_mut().zip(orders) {
            e.scheme.definition.stacking.order = order;
        }
        let after = check(&SchemeBook::new(independent), &worker(30), &content);
        prop_assert_eq!(before.net_cents, after.net_cents);
    }
}
