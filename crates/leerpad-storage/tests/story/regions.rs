//! Regions: initiatives (written all at once), the rows the dashboard counts (situations,
//! scheme money out of the ledger) and learning-culture answers (one per person, audience and
//! quarter).

use super::account;
use super::financing::regions;
use leerpad_domain::financing::ports::NewAward;
use leerpad_domain::financing::{PersonFacts, SchemeStatus};
use leerpad_domain::ports::Store;
use leerpad_domain::regions::culture::{Audience, CultureAnswer};
use leerpad_domain::regions::ports::InitiativeQuery;
use leerpad_domain::regions::{InitiativeInput, validate_initiative};
use leerpad_domain::role::Role;
use leerpad_domain::shared::Money;
use time::macros::date;

pub async fn regions_story(store: &dyn Store) {
    let regions = regions();
    let input = |title: &str, parel: &str| InitiativeInput {
        title: title.into(),
        summary: "Werkenden in de zorg leren digitaal werken.".into(),
        region: "zuid-limburg".into(),
        municipalities: "Maastricht".into(),
        sector: "zorg".into(),
        funding: "Provincie Limburg: 20.000".into(),
        parel: parel.into(),
        ..InitiativeInput::default()
    };
    let items = vec![
        validate_initiative(&input("Digitaal in de zorg", "nee"), &regions).expect("valid"),
        validate_initiative(&input("Zorgacademie Maastricht", "ja"), &regions).expect("valid"),
    ];
    let ids = store
        .add_initiatives(&items, None, 3_000)
        .await
        .expect("initiatives");
    assert_eq!(ids.len(), 2);
    let second = store.initiative(ids[1]).await.expect("read").expect("kept");
    assert_eq!(second.initiative.title, "Zorgacademie Maastricht");
    let all = store
        .initiatives(&InitiativeQuery {
            regions: vec!["zuid-limburg".into()],
            limit: 10,
            ..InitiativeQuery::default()
        })
        .await
        .expect("list");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].id, ids[1], "good practices first");
    let found = store
        .initiatives(&InitiativeQuery {
            text: Some("academie".into()),
            parel_only: true,
            limit: 10,
            ..InitiativeQuery::default()
        })
        .await
        .expect("search");
    assert_eq!(found.iter().map(|s| s.id).collect::<Vec<_>>(), vec![ids[1]]);
    assert!(
        store
            .initiatives_per_region()
            .await
            .expect("counts")
            .contains(&("zuid-limburg".to_owned(), 2))
    );

    // The dashboard's rows: a situation, and scheme money paid and promised to a person.
    let lea = account(store, "lea.regio@example.nl", &[Role::Learner]).await;
    let facts = PersonFacts {
        municipality: Some("Maastricht".into()),
        age: Some(44),
        ..PersonFacts::default()
    };
    store
        .save_situation(lea.id, &facts, 3_000)
        .await
        .expect("situation");
    let situations = store.all_situations().await.expect("situations");
    assert!(situations.contains(&(lea.id, facts)));
    let scheme = store
        .schemes()
        .await
        .expect("schemes")
        .into_iter()
        .find(|s| s.status != SchemeStatus::Draft && s.definition.budget.total_cents.is_none())
        .expect("an open-ended scheme from the financing story");
    let budgets = store.scheme_budgets().await.expect("budgets");
    assert!(budgets.iter().any(|b| b.slug == scheme.slug
        && b.total_cents == scheme.definition.budget.total_cents.map(|m| m.cents())));
    for (cents, spent) in [(1_234, true), (567, false)] {
        store
            .record_award(
                &NewAward {
                    scheme_id: scheme.id,
                    user_id: Some(lea.id),
                    offer_id: None,
                    amount_cents: Money::from_cents(cents),
                    spent,
                    on: date!(2026 - 12 - 01),
                    at: 3_000,
                },
                scheme.definition.budget.total_cents,
            )
            .await
            .expect("award");
    }
    let mut hers: Vec<(i64, bool)> = store
        .scheme_payments()
        .await
        .expect("payments")
        .into_iter()
        .filter(|p| p.user == Some(lea.id))
        .map(|p| {
            assert_eq!(p.scheme, scheme.slug);
            (p.cents, p.paid)
        })
        .collect();
    hers.sort();
    assert_eq!(hers, vec![(567, false), (1_234, true)]);

    // Learning culture: answering again in a quarter replaces the answer; examples have no
    // person and are all kept.
    let answer = |score: u8| CultureAnswer {
        audience: Audience::Employee,
        version: 2,
        region: "zuid-limburg".into(),
        period: "2026-K4".into(),
        scores: vec![("want-to-learn".into(), score)],
    };
    store
        .save_culture_answer(Some(lea.id), &answer(2), 3_000)
        .await
        .expect("answer");
    store
        .save_culture_answer(Some(lea.id), &answer(5), 3_001)
        .await
        .expect("again");
    store
        .save_culture_answer(None, &answer(3), 3_002)
        .await
        .expect("example");
    store
        .save_culture_answer(None, &answer(4), 3_003)
        .await
        .expect("example");
    let mine = store
        .culture_answer_of(lea.id, Audience::Employee, "2026-K4")
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(mine.scores, vec![("want-to-learn".to_owned(), 5)]);
    assert!(
        store
            .culture_answer_of(lea.id, Audience::Employer, "2026-K4")
            .await
            .expect("read")
            .is_none()
    );
    let mut scores: Vec<u8> = store
        .culture_answers()
        .await
        .expect("answers")
        .iter()
        .map(|a| a.scores[0].1)
        .collect();
    scores.sort();
    assert_eq!(scores, vec![3, 4, 5]);
}
