//! Financing: schemes with optimistic versions and a revision trail, awards held within the
//! budget, and people's answers for the financing check.

use super::{account, content, provider, save};
use leerpad_domain::catalogue::OfferStatus;
use leerpad_domain::catalogue::ports::{OfferOwner, OfferWrite};
use leerpad_domain::financing::ports::{NewAward, SchemeWrite};
use leerpad_domain::financing::{
    BudgetUse, EducationLevel, EmploymentStatus, InsuredWork, NoSkillLists, PersonFacts,
    PriorAward, RuleContext, SchemeDefinition, SchemeStatus, Sector, validate_scheme,
    validate_slug,
};
use leerpad_domain::ports::{Store, StoreError};
use leerpad_domain::regions::{Municipality, Regions};
use leerpad_domain::role::Role;
use leerpad_domain::shared::{Money, OfferId, SchemeId, UserId};
use serde_json::json;
use time::macros::date;

const VOUCHER: &str = "scholingsvoucher";
const BUDGET: &str = "leerbudget";
const RUSH: &str = "spoedbudget";

pub(crate) fn regions() -> Regions {
    Regions::new(vec![Municipality {
        code: "GM0935".into(),
        name: "Maastricht".into(),
        province: "Limburg".into(),
        region: "Zuid-Limburg".into(),
    }])
}

/// A definition as a programme manager writes it (JSON, like the example schemes), checked
/// with the rules the application applies before it saves one.
fn definition(slug: &str, value: serde_json::Value) -> SchemeDefinition {
    let def: SchemeDefinition = serde_json::from_value(value).expect("scheme definition");
    validate_slug(slug).expect("slug");
    let regions = regions();
    let ctx = RuleContext {
        regions: &regions,
        skill_lists: &NoSkillLists,
    };
    let known = [VOUCHER, BUDGET, RUSH].map(String::from);
    let errors = validate_scheme(&def, slug, &known, &ctx);
    assert!(errors.is_empty(), "{slug}: {errors:?}");
    def
}

fn voucher(name_nl: &str, percent: u8) -> SchemeDefinition {
    definition(
        VOUCHER,
        json!({
            "name": { "nl": name_nl, "en": "Training voucher" },
            "description": {
                "nl": "Een tegoed voor één erkende opleiding.\nAanvragen gaat via de opleider.",
            },
            "funder": { "kind": "regional", "name": "Provincie Limburg (voorbeeld)" },
            "payment": "provider_direct",
            "period": { "from": "2026-01-01", "until": "2027-12-31" },
            "coverage": {
                "cost_kinds": ["tuition", "exam"],
                "percent": percent,
                "max_per_award_cents": 75_000,
            },
            "stacking": { "order": 5, "excludes": [BUDGET] },
            "budget": { "total_cents": 100_000, "max_awards_per_offer": 2 },
            "application": { "url": "https://www.example.nl/scholingsvoucher" },
            "eligibility": { "all": [
                { "age": { "min": 18, "max": 66 } },
                { "employment": ["employed", "self_employed"] },
                { "province": ["Limburg"] },
                { "not_used_before": { "within_months": 12 } },
            ] },
        }),
    )
}

fn open_budget() -> SchemeDefinition {
    definition(
        BUDGET,
        json!({
            "example": true,
            "name": { "nl": "Leerbudget" },
            "funder": { "kind": "national", "name": "UWV (voorbeeld)" },
            "payment": "reimbursement",
            "coverage": { "fixed_amount_cents": 250_000 },
        }),
    )
}

fn rush_budget() -> SchemeDefinition {
    definition(
        RUSH,
        json!({
            "name": { "en": "Rush budget" },
            "funder": { "kind": "sector_fund", "name": "O&O-fonds Transport (voorbeeld)" },
            "payment": "provider_direct",
            "budget": { "total_cents": 50_000 },
        }),
    )
}

pub(super) async fn financing_story(store: &dyn Store) {
    let manager = account(
        store,
        "regeling@example.nl",
        &[Role::Learner, Role::ProgrammeManager],
    )
    .await;
    let sanne = account(store, "sanne.regeling@example.nl", &[Role::Learner]).await;
    let jan = account(store, "jan.regeling@example.nl", &[Role::Learner]).await;
    let offer = |id: &str, title: &str| OfferWrite {
        owner: OfferOwner::ByKvk(provider("11223344", "Regelschool")),
        provider_offer_id: id.to_owned(),
        content: content(title, OfferStatus::Published),
    };
    let (offers, _) = save(
        store,
        &[offer("R1", "Reachtruck"), offer("R2", "Orderpicken")],
        900,
    )
    .await
    .expect("offers");
    let (offer_a, offer_b) = (offers[0].offer_id, offers[1].offer_id);

    // Schemes: created at version 1, one per slug.
    assert!(store.schemes().await.expect("schemes").is_empty());
    assert!(store.scheme(VOUCHER).await.expect("scheme").is_none());
    let draft = voucher("Scholingsvoucher Zoë", 80);
    let created = store
        .create_scheme(SchemeWrite {
            slug: VOUCHER,
            status: SchemeStatus::Draft,
            definition: &draft,
            action: "created",
            actor_id: Some(manager.id),
            at: 1_000,
        })
        .await
        .expect("create");
    assert!(created.id > SchemeId::new(0));
    assert_eq!(
        (created.slug.as_str(), created.status, created.version),
        (VOUCHER, SchemeStatus::Draft, 1)
    );
    assert_eq!((created.created_at, created.updated_at), (1_000, 1_000));
    assert_eq!(created.definition, draft);
    let budget_def = open_budget();
    let budget = store
        .create_scheme(SchemeWrite {
            slug: BUDGET,
            status: SchemeStatus::Published,
            definition: &budget_def,
            action: "seeded",
            actor_id: None,
            at: 1_010,
        })
        .await
        .expect("create second");
    assert_eq!(budget.version, 1);
    let taken = store
        .create_scheme(SchemeWrite {
            slug: VOUCHER,
            status: SchemeStatus::Published,
            definition: &budget_def,
            action: "created",
            actor_id: Some(manager.id),
            at: 1_020,
        })
        .await;
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");
    // Read back whole; the list goes by slug, not by creation.
    assert_eq!(
        store.scheme(VOUCHER).await.expect("scheme"),
        Some(created.clone())
    );
    assert_eq!(
        store.schemes().await.expect("schemes"),
        vec![budget.clone(), created.clone()]
    );

    // Edits name the version they started from.
    let edited_def = voucher("Scholingsvoucher Limburg", 90);
    let edited = store
        .update_scheme(
            SchemeWrite {
                slug: VOUCHER,
                status: SchemeStatus::Draft,
                definition: &edited_def,
                action: "edited",
                actor_id: Some(manager.id),
                at: 1_100,
            },
            1,
        )
        .await
        .expect("edit")
        .expect("exists");
    assert_eq!((edited.id, edited.version), (created.id, 2));
    assert_eq!((edited.created_at, edited.updated_at), (1_000, 1_100));
    assert_eq!(edited.definition, edited_def);
    let published = store
        .update_scheme(
            SchemeWrite {
                slug: VOUCHER,
                status: SchemeStatus::Published,
                definition: &edited_def,
                action: "published",
                actor_id: Some(manager.id),
                at: 1_200,
            },
            2,
        )
        .await
        .expect("publish")
        .expect("exists");
    assert_eq!(
        (published.version, published.status),
        (3, SchemeStatus::Published)
    );
    // Someone who still edits version 2 saves nothing; the scheme stays as published.
    let stale = store
        .update_scheme(
            SchemeWrite {
                slug: VOUCHER,
                status: SchemeStatus::Closed,
                definition: &draft,
                action: "closed",
                actor_id: None,
                at: 1_300,
            },
            2,
        )
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    assert_eq!(
        store.scheme(VOUCHER).await.expect("scheme"),
        Some(published.clone())
    );
    let missing = store
        .update_scheme(
            SchemeWrite {
                slug: "bestaat-niet",
                status: SchemeStatus::Draft,
                definition: &draft,
                action: "edited",
                actor_id: None,
                at: 1_300,
            },
            1,
        )
        .await
        .expect("missing is not an error");
    assert!(missing.is_none());
    assert!(store.scheme("bestaat-niet").await.expect("get").is_none());

    // The trail: every saved change, newest first, with who made it.
    let trail = store.scheme_revisions(created.id).await.expect("revisions");
    let seen: Vec<_> = trail
        .iter()
        .map(|r| {
            (
                r.version,
                r.action.as_str(),
                r.status,
                r.actor_id,
                r.actor_email.as_deref(),
                r.at,
            )
        })
        .collect();
    let by = Some("regeling@example.nl");
    assert_eq!(
        seen,
        vec![
            (
                3,
                "published",
                SchemeStatus::Published,
                Some(manager.id),
                by,
                1_200
            ),
            (
                2,
                "edited",
                SchemeStatus::Draft,
                Some(manager.id),
                by,
                1_100
            ),
            (
                1,
                "created",
                SchemeStatus::Draft,
                Some(manager.id),
                by,
                1_000
            ),
        ]
    );
    assert_eq!(trail[0].definition, edited_def);
    assert_eq!(trail[2].definition, draft);
    let seeded = store.scheme_revisions(budget.id).await.expect("revisions");
    assert_eq!(seeded.len(), 1);
    assert_eq!(
        (
            seeded[0].action.as_str(),
            seeded[0].actor_id,
            seeded[0].actor_email.as_deref()
        ),
        ("seeded", None, None)
    );
    assert_eq!(seeded[0].definition, budget_def);
    assert!(
        store
            .scheme_revisions(SchemeId::new(999_999))
            .await
            .expect("none")
            .is_empty()
    );

    // Awards: reserved or spent, never beyond the budget (reaching it exactly is fine).
    assert!(store.scheme_use().await.expect("use").is_empty());
    let total = edited_def.budget.total_cents;
    assert_eq!(total, Some(Money::from_cents(100_000)));
    let award =
        |scheme_id: i64, user_id: Option<i64>, offer_id: Option<i64>, amount_cents, spent, on| {
            NewAward {
                scheme_id: SchemeId::new(scheme_id),
                user_id: user_id.map(UserId::new),
                offer_id: offer_id.map(OfferId::new),
                amount_cents,
                spent,
                on,
                at: 2_000,
            }
        };
    let first = store
        .record_award(
            &award(
                created.id.get(),
                Some(sanne.id.get()),
                Some(offer_a.get()),
                Money::from_cents(50_000),
                false,
                date!(2026 - 03 - 01),
            ),
            total,
        )
        .await
        .expect("first award");
    let second = store
        .record_award(
            &award(
                created.id.get(),
                Some(sanne.id.get()),
                Some(offer_b.get()),
                Money::from_cents(30_000),
                true,
                date!(2026 - 04 - 15),
            ),
            total,
        )
        .await
        .expect("second award");
    let third = store
        .record_award(
            &award(
                created.id.get(),
                Some(jan.id.get()),
                Some(offer_a.get()),
                Money::from_cents(20_000),
                false,
                date!(2026 - 05 - 01),
            ),
            total,
        )
        .await
        .expect("award that fills the budget");
    assert!(first < second && second < third, "{first} {second} {third}");
    let over = store
        .record_award(
            &award(
                created.id.get(),
                Some(jan.id.get()),
                Some(offer_b.get()),
                Money::from_cents(1),
                false,
                date!(2026 - 05 - 02),
            ),
            total,
        )
        .await;
    assert!(matches!(over, Err(StoreError::Conflict(_))), "{over:?}");
    // An open-ended scheme takes any amount; an unknown scheme takes none.
    store
        .record_award(
            &award(
                budget.id.get(),
                Some(sanne.id.get()),
                None,
                Money::from_cents(250_000),
                true,
                date!(2025 - 11 - 30),
            ),
            None,
        )
        .await
        .expect("open-ended award");
    assert!(
        store
            .record_award(
                &award(
                    999_999,
                    Some(sanne.id.get()),
                    None,
                    Money::from_cents(1),
                    false,
                    date!(2026 - 01 - 01)
                ),
                None
            )
            .await
            .is_err()
    );
    // Two awards at once that each fit but not together: exactly one is recorded.
    let rush_def = rush_budget();
    let rush = store
        .create_scheme(SchemeWrite {
            slug: RUSH,
            status: SchemeStatus::Published,
            definition: &rush_def,
            action: "created",
            actor_id: Some(manager.id),
            at: 2_050,
        })
        .await
        .expect("rush scheme");
    let rush_award = award(
        rush.id.get(),
        None,
        Some(offer_b.get()),
        Money::from_cents(30_000),
        false,
        date!(2026 - 06 - 01),
    );
    let (left, right) = tokio::join!(
        store.record_award(&rush_award, rush_def.budget.total_cents),
        store.record_award(&rush_award, rush_def.budget.total_cents)
    );
    let outcomes = [&left, &right];
    assert_eq!(
        outcomes.iter().filter(|r| r.is_ok()).count(),
        1,
        "{left:?} {right:?}"
    );
    assert!(
        outcomes
            .iter()
            .any(|r| matches!(r, Err(StoreError::Conflict(_)))),
        "{left:?} {right:?}"
    );

    // What storage knows of each scheme's use, by scheme.
    let uses = store.scheme_use().await.expect("use");
    assert_eq!(
        uses.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        vec![created.id, budget.id, rush.id]
    );
    let per_offer = |i: usize| {
        let mut v = uses[i].1.awards_per_offer.clone();
        v.sort_unstable();
        v
    };
    assert_eq!(
        uses[0].1.budget,
        BudgetUse {
            reserved_cents: Money::from_cents(70_000),
            spent_cents: Money::from_cents(30_000)
        }
    );
    assert_eq!(
        uses[0].1.budget.remaining(total),
        Some(Money::from_cents(0))
    );
    // The same in the ledger: the scheme's budget account holds the reserved awards, the spent
    // ones went to the learners' accounts, and nothing is left to spend.
    let ledger = store
        .account_by_key(&format!("scheme:{}", created.id))
        .await
        .expect("read")
        .expect("the scheme's budget account");
    assert_eq!(
        (
            ledger.balance.held.cents(),
            ledger.balance.available().cents(),
            ledger.balance.posted.cents()
        ),
        (70_000, 0, 70_000)
    );
    assert_eq!(per_offer(0), {
        let mut v = vec![(offer_a, 2), (offer_b, 1)];
        v.sort_unstable();
        v
    });
    assert_eq!(
        uses[1].1.budget,
        BudgetUse {
            reserved_cents: Money::from_cents(0),
            spent_cents: Money::from_cents(250_000)
        }
    );
    assert!(per_offer(1).is_empty(), "awards without an offer");
    assert_eq!(
        uses[2].1.budget,
        BudgetUse {
            reserved_cents: Money::from_cents(30_000),
            spent_cents: Money::from_cents(0)
        }
    );
    assert_eq!(per_offer(2), vec![(offer_b, 1)]);

    // A person's awards as the rules see them, in the order they were made.
    let prior = |scheme: &str, on, amount_cents| PriorAward {
        scheme: scheme.to_owned(),
        on,
        amount_cents,
    };
    let sannes = store.awards_of_user(sanne.id).await.expect("awards");
    assert_eq!(
        sannes,
        vec![
            prior(VOUCHER, date!(2026 - 03 - 01), Money::from_cents(50_000)),
            prior(VOUCHER, date!(2026 - 04 - 15), Money::from_cents(30_000)),
            prior(BUDGET, date!(2025 - 11 - 30), Money::from_cents(250_000)),
        ]
    );
    assert_eq!(
        store.awards_of_user(jan.id).await.expect("awards"),
        vec![prior(
            VOUCHER,
            date!(2026 - 05 - 01),
            Money::from_cents(20_000)
        )]
    );
    assert!(
        store
            .awards_of_user(manager.id)
            .await
            .expect("none")
            .is_empty()
    );

    // The person's answers: saved whole, read back, replaced whole.
    assert!(store.situation(sanne.id).await.expect("none").is_none());
    let facts = PersonFacts {
        birth_date: Some(date!(1979 - 05 - 17)),
        age: None,
        employment: Some(EmploymentStatus::Employed),
        education: Some(EducationLevel::Mbo3),
        municipality: Some("GM0935".into()),
        sector: Some(Sector::Logistics),
        insured_work: Some(InsuredWork {
            months: 10,
            window_months: 12,
        }),
        prior_awards: sannes,
    };
    assert_eq!(facts.validate(&regions(), date!(2026 - 03 - 01)), vec![]);
    store
        .save_situation(sanne.id, &facts, 3_000)
        .await
        .expect("save");
    assert_eq!(
        store.situation(sanne.id).await.expect("read"),
        Some(facts.clone())
    );
    let later = PersonFacts {
        age: Some(47),
        employment: Some(EmploymentStatus::JobSeeker),
        municipality: Some("Maastricht".into()),
        ..Default::default()
    };
    assert_eq!(later.validate(&regions(), date!(2026 - 03 - 01)), vec![]);
    store
        .save_situation(sanne.id, &later, 3_100)
        .await
        .expect("overwrite");
    assert_eq!(
        store.situation(sanne.id).await.expect("read"),
        Some(later),
        "replaced, not merged"
    );
    assert!(store.situation(jan.id).await.expect("other").is_none());
}

/// Awards recorded before the ledger kept scheme budgets are moved into it once, within the
/// budget: the rush scheme (€ 500, € 300 awarded) takes a € 100 award from before, not a second
/// € 150 one that no longer fits.
pub(super) async fn pre_ledger_awards_story(db: &leerpad_storage::testing::TestDb) {
    let store: &dyn Store = &db.store;
    let rush = store
        .scheme(RUSH)
        .await
        .expect("read")
        .expect("the rush scheme");
    let fits = db
        .insert_award_without_ledger(rush.id.get(), None, 10_000, true)
        .await;
    db.insert_award_without_ledger(rush.id.get(), None, 15_000, true)
        .await;
    assert_eq!(store.move_awards_into_ledger(3_000).await.expect("move"), 1);
    assert_eq!(
        store.move_awards_into_ledger(3_001).await.expect("again"),
        0,
        "moved once; the one that does not fit stays in its record"
    );
    let budget = store
        .account_by_key(&format!("scheme:{}", rush.id))
        .await
        .expect("read")
        .expect("the budget account");
    assert_eq!(budget.balance.available().cents(), 50_000 - 30_000 - 10_000);
    let _ = fits;
}

/// A scheme's yearly deposit: once per person and year however often it is asked (also at
/// once), from the scheme's budget (refused, in words, when the budget cannot pay it), never
/// lifting the balance above the ceiling.
pub(super) async fn yearly_deposit_story(store: std::sync::Arc<dyn Store>) {
    use leerpad_domain::financing::YearlyDeposit;
    use leerpad_domain::financing::ports::NewDeposit;
    use leerpad_domain::ledger::learner_key;
    let slug = "jaarbudget";
    let def = definition(
        slug,
        json!({
            "name": { "nl": "Jaarbudget" },
            "funder": { "kind": "national", "name": "Rijk (voorbeeld)" },
            "payment": "learning_account",
            "budget": { "total_cents": 150_000 },
            "yearly_deposit": { "amount_cents": 100_000, "ceiling_cents": 150_000 },
        }),
    );
    let scheme = store
        .create_scheme(SchemeWrite {
            slug,
            status: SchemeStatus::Published,
            definition: &def,
            action: "created",
            actor_id: None,
            at: 5_000,
        })
        .await
        .expect("scheme");
    let deposit = def.yearly_deposit.clone().expect("deposit");
    let anna = account(&*store, "anna.jaar@example.nl", &[Role::Learner]).await;
    let bram = account(&*store, "bram.jaar@example.nl", &[Role::Learner]).await;
    let ask = |user: UserId, year: i32| {
        let store = store.clone();
        let deposit = deposit.clone();
        async move {
            store
                .deposit_yearly(&NewDeposit {
                    scheme_id: scheme.id,
                    slug,
                    name: "Jaarbudget",
                    budget_total_cents: Some(Money::from_cents(150_000)),
                    deposit: &deposit,
                    user_id: user,
                    year,
                    at: 5_100,
                })
                .await
                .expect("deposit")
        }
    };
    let balance = |user: UserId| {
        let store = store.clone();
        async move {
            store
                .account_by_key(&learner_key(user))
                .await
                .expect("read")
                .map_or(0, |a| a.balance.posted.cents())
        }
    };
    // Eight at once for Anna in 2027: one transfer, the same for all.
    let tasks: Vec<_> = (0..8).map(|_| tokio::spawn(ask(anna.id, 2027))).collect();
    let mut ids = Vec::new();
    for t in tasks {
        let answer = t.await.expect("task").expect("paid").expect("an amount");
        ids.push(answer.id);
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "one deposit: {ids:?}");
    assert_eq!(
        ids[0],
        store
            .transfer_by_key(&YearlyDeposit::key(slug, 2027, anna.id))
            .await
            .expect("by key")
            .expect("there")
            .id
    );
    assert_eq!(balance(anna.id).await, 100_000);
    // Bram's € 1,000 does not fit in the € 500 left: refused in words, nothing moves.
    let refused = ask(bram.id, 2027).await;
    assert!(refused.is_err(), "{refused:?}");
    assert_eq!(balance(bram.id).await, 0);
    // Anna's next year: up to the ceiling (€ 500), which the budget can pay; then nothing.
    let next = ask(anna.id, 2028).await.expect("paid").expect("an amount");
    assert_eq!(next.amount.cents(), 50_000);
    assert_eq!(balance(anna.id).await, 150_000);
    assert!(
        ask(anna.id, 2029).await.expect("answer").is_none(),
        "at the ceiling"
    );
    // The budget account paid € 1,500 and holds nothing more.
    let budget = store
        .account_by_key(&format!("scheme:{}", scheme.id))
        .await
        .expect("read")
        .expect("budget account");
    assert_eq!(budget.balance.available().cents(), 0);
    // Those who saved a situation are found for the yearly job, in id order.
    let facts = PersonFacts {
        age: Some(30),
        ..PersonFacts::default()
    };
    for who in [bram.id, anna.id] {
        store
            .save_situation(who, &facts, 5_200)
            .await
            .expect("facts");
    }
    let found = store
        .users_with_situation(UserId::new(0), 1_000)
        .await
        .expect("people");
    assert!(found.windows(2).all(|w| w[0] < w[1]), "{found:?}");
    assert!(found.contains(&anna.id) && found.contains(&bram.id));
    let after_anna = store
        .users_with_situation(anna.id, 1_000)
        .await
        .expect("people");
    assert!(!after_anna.contains(&anna.id));
}
