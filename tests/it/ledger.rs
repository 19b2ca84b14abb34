//! The leerrekening: under load, ten thousand operations at once (holds, posts, voids,
//! payments, deposits and retried duplicates) on a few hundred accounts, on every engine, whose
//! balances reconcile to the cent with the transfers, no account but a funding account below
//! zero, and every duplicate with the first answer; the learner's page and statement; the
//! export that `bean-check` accepts.

use crate::common::{PASSWORD, START, apps};
use leerpad_app::error::AppError;
use leerpad_domain::ledger::{
    AccountKind, Command, HoldState, LedgerError, Transfer, TransferKind,
};
use leerpad_domain::policy::Principal;
use leerpad_domain::role::{Role, RoleSet};
use leerpad_domain::shared::{AccountId, Money, TransferId, UserId};
use std::collections::HashMap;

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

fn euros(n: usize) -> Money {
    Money::from_cents(n as i64 * 100)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_operations_at_once_reconcile_to_the_cent() {
    for app in apps().await {
        let store = app.store.clone();
        let funding = store
            .open_account(AccountKind::Funding, "funding:rijk", "Rijksoverheid", 1)
            .await
            .expect("open");
        let mut learners = Vec::new();
        for i in 0..250 {
            let a = store
                .open_account(AccountKind::Learner, &format!("learner:{i}"), "leerling", 1)
                .await
                .expect("open");
            learners.push(a.id);
        }
        let mut providers = Vec::new();
        for i in 0..30 {
            let a = store
                .open_account(
                    AccountKind::Provider,
                    &format!("provider:{i}"),
                    "aanbieder",
                    1,
                )
                .await
                .expect("open");
            providers.push(a.id);
        }
        // Every learner starts with €500 and four holds of at most €100 to be settled.
        let mut holds: Vec<TransferId> = Vec::new();
        let mut rng = Lcg(20);
        for (i, l) in learners.iter().enumerate() {
            let deposit = Command::Transfer {
                from: funding.id,
                to: *l,
                amount: euros(500),
                memo: "startbudget".into(),
            };
            store
                .execute(&format!("start-{i}"), &deposit, 2)
                .await
                .expect("store")
                .expect("deposit");
            for j in 0..4 {
                let hold = Command::Hold {
                    from: *l,
                    to: providers[rng.next(providers.len())],
                    amount: euros(1 + rng.next(100)),
                    expires_at: 1_000_000,
                    memo: "inschrijving".into(),
                };
                let h = store
                    .execute(&format!("hold-{i}-{j}"), &hold, 3)
                    .await
                    .expect("store")
                    .expect("hold");
                holds.push(h.id);
            }
        }

        // 8,000 operations and 2,000 retries of them, all at once.
        let mut ops: Vec<(String, Command)> = Vec::new();
        for i in 0..8_000 {
            let learner = learners[rng.next(learners.len())];
            let provider = providers[rng.next(providers.len())];
            let command = match rng.next(5) {
                0 => Command::Transfer {
                    from: learner,
                    to: provider,
                    amount: euros(1 + rng.next(200)),
                    memo: "betaling".into(),
                },
                1 => Command::Hold {
                    from: learner,
                    to: provider,
                    amount: euros(1 + rng.next(200)),
                    expires_at: 1_000_000,
                    memo: "inschrijving".into(),
                },
                2 => Command::Post {
                    hold: holds[rng.next(holds.len())],
                    amount: euros(1 + rng.next(100)),
                    memo: "afgerond".into(),
                },
                3 => Command::Void {
                    hold: holds[rng.next(holds.len())],
                    memo: "geannuleerd".into(),
                },
                _ => Command::Transfer {
                    from: funding.id,
                    to: learner,
                    amount: euros(10 + rng.next(90)),
                    memo: "storting".into(),
                },
            };
            ops.push((format!("op-{i}"), command));
        }
        for _ in 0..2_000 {
            let again = ops[rng.next(8_000)].clone();
            ops.push(again);
        }
        // Shuffle so a retry may come before its first.
        for i in (1..ops.len()).rev() {
            let j = rng.next(i + 1);
            ops.swap(i, j);
        }
        // All started at once; at most 100 in the database at a time (as a server's request
        // limit would), the rest wait their turn instead of timing out on the pool.
        let started = std::time::Instant::now();
        let in_flight = std::sync::Arc::new(tokio::sync::Semaphore::new(100));
        let tasks: Vec<_> = ops
            .into_iter()
            .map(|(key, command)| {
                let store = store.clone();
                let in_flight = in_flight.clone();
                tokio::spawn(async move {
                    let _turn = in_flight.acquire_owned().await;
                    let r = store.execute(&key, &command, 10).await;
                    (key, r)
                })
            })
            .collect();
        let mut answers: HashMap<String, Vec<Result<TransferId, LedgerError>>> = HashMap::new();
        for t in tasks {
            let (key, r) = t.await.expect("task");
            let r = r.expect("no storage failure");
            answers
                .entry(key)
                .or_default()
                .push(r.map(|t: Transfer| t.id));
        }
        eprintln!(
            "{}: 10,000 ledger operations in {:.1} s",
            app.engine(),
            started.elapsed().as_secs_f64()
        );
        let mut retried = 0;
        for (key, list) in &answers {
            retried += list.len() - 1;
            assert!(
                list.iter().all(|a| a == &list[0]),
                "{key}: every duplicate gets the first answer: {list:?}"
            );
        }
        assert_eq!((answers.len(), retried), (8_000, 2_000));
        let done = answers.values().filter(|l| l[0].is_ok()).count();
        let refused = answers.len() - done;
        assert!(
            done > 3_000 && refused > 100,
            "{done} done, {refused} refused"
        );

        // Reconcile: balances from the transfers equal the stored balances, to the cent.
        let transfers = store
            .transfers_after(TransferId::new(0), 100_000)
            .await
            .expect("transfers");
        assert_eq!(
            transfers.len(),
            250 * 5 + done,
            "one transfer per answered key"
        );
        let mut expected: HashMap<AccountId, (i64, i64, i64)> = HashMap::new();
        for t in &transfers {
            let c = t.amount.cents();
            match t.kind {
                TransferKind::Transfer | TransferKind::Post => {
                    expected.entry(t.from).or_default().0 -= c;
                    expected.entry(t.to).or_default().0 += c;
                }
                TransferKind::Hold if t.state == Some(HoldState::Pending) => {
                    expected.entry(t.from).or_default().1 += c;
                    expected.entry(t.to).or_default().2 += c;
                }
                _ => {}
            }
        }
        let accounts = store.all_accounts().await.expect("accounts");
        let mut sum = 0;
        for a in &accounts {
            let (posted, held, incoming) = expected.get(&a.id).copied().unwrap_or_default();
            assert_eq!(
                (
                    a.balance.posted.cents(),
                    a.balance.held.cents(),
                    a.balance.incoming.cents()
                ),
                (posted, held, incoming),
                "{}",
                a.key
            );
            if a.kind != AccountKind::Funding {
                assert!(a.balance.available().cents() >= 0, "{a:?}");
            }
            sum += a.balance.posted.cents();
        }
        assert_eq!(sum, 0, "debits equal credits");
    }
}

/// A learner with a budget, a course paid from a hold (partly: the rest came back) and an
/// enrolment released; returns the learner's id.
async fn a_learner_with_history(app: &crate::common::TestApp) -> i64 {
    let learner = app.user("leerling@example.nl", &[Role::Learner]).await;
    let manager_id = app
        .user("beheer@example.nl", &[Role::ProgrammeManager])
        .await;
    let manager = Principal {
        user_id: UserId::new(manager_id),
        email: "beheer@example.nl".into(),
        roles: RoleSet::new([Role::ProgrammeManager]),
    };
    let me = Principal {
        user_id: UserId::new(learner),
        email: "leerling@example.nl".into(),
        roles: RoleSet::new([Role::Learner]),
    };
    let account = app.ledger.my_account(&me).await.expect("account");
    let open = |kind, key: &'static str, name: &'static str| {
        let ledger = app.ledger.clone();
        let manager = manager.clone();
        async move {
            ledger
                .open_account(&manager, kind, key, name)
                .await
                .expect("open")
                .id
        }
    };
    let rijk = open(AccountKind::Funding, "funding:rijk", "Rijksoverheid").await;
    let budget = open(
        AccountKind::Scheme,
        "scheme:budget",
        "Ontwikkelbudget \"2027\"",
    )
    .await;
    let school = open(
        AccountKind::Provider,
        "provider:zorg",
        "Zorgacademie; Parkstad",
    )
    .await;
    let run = |key: &'static str, command: Command| {
        let ledger = app.ledger.clone();
        let manager = manager.clone();
        async move { ledger.execute(&manager, key, &command).await }
    };
    let transfer = |from, to, euros: i64, memo: &str| Command::Transfer {
        from,
        to,
        amount: Money::from_cents(euros * 100),
        memo: memo.into(),
    };
    run("d1", transfer(rijk, budget, 100_000, "Budget 2027"))
        .await
        .expect("deposit");
    run(
        "g1",
        transfer(budget, account.id, 1_000, "Persoonlijk ontwikkelbudget"),
    )
    .await
    .expect("grant");
    let hold = |euros: i64| Command::Hold {
        from: account.id,
        to: school,
        amount: Money::from_cents(euros * 100),
        expires_at: START + 90 * 86_400,
        memo: "Inschrijving Verzorgende IG".into(),
    };
    let h = run("h1", hold(850)).await.expect("hold");
    run(
        "p1",
        Command::Post {
            hold: h.id,
            amount: Money::from_cents(80_000),
            memo: "Afgerond".into(),
        },
    )
    .await
    .expect("post");
    let h2 = run("h2", hold(100)).await.expect("hold");
    run(
        "v2",
        Command::Void {
            hold: h2.id,
            memo: "Afgemeld".into(),
        },
    )
    .await
    .expect("void");
    // Too much: refused with a problem the learner can read, nothing moves.
    let refused = run("h3", hold(5_000)).await;
    assert!(
        matches!(
            refused,
            Err(AppError::Ledger(LedgerError::Insufficient { .. }))
        ),
        "{refused:?}"
    );
    learner
}

#[tokio::test]
async fn a_learner_reads_her_learning_account_and_takes_a_statement_home() {
    for app in apps().await {
        let learner = a_learner_with_history(&app).await;
        let mut client = app.client();
        client.log_in("leerling@example.nl", PASSWORD).await;
        let page = client.get("/leerrekening").await;
        assert_eq!(page.status, 200, "{}", page.text);
        // € 1.000 in, € 800 paid from an € 850 hold (€ 50 back), € 100 held and released.
        for text in [
            "Mijn leerrekening",
            "€ 200,-",
            "Ontvangen",
            "Betaald uit reservering",
            "Reservering vrijgegeven",
            "+ € 50,-",
            "− € 850,-",
            "Ontwikkelbudget &#34;2027&#34;",
        ] {
            assert!(page.text.contains(text), "{text}: {}", page.text);
        }
        let printable = client.get("/leerrekening/afschrift").await;
        assert!(printable.text.contains("Afschrift van je leerrekening"));
        let csv = client.get("/leerrekening/afschrift.csv").await;
        assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
        let mut reader = csv::Reader::from_reader(csv.text.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), 5, "{}", csv.text);
        let changes: i64 = rows
            .iter()
            .map(|r| {
                let v = r.get(5).expect("change");
                let cents = Money::parse_euros(v.trim_start_matches('-')).map_or(0, |m| m.cents());
                if v.starts_with('-') { -cents } else { cents }
            })
            .sum();
        assert_eq!(changes, 20_000, "the changes add up to what can be spent");
        // Someone else's account is not hers to see: each sees only their own.
        let (mut other, _) = app.logged_in("ander@example.nl", &[Role::Learner]).await;
        let theirs = other.get("/leerrekening").await;
        assert!(theirs.text.contains("Er is nog niets"), "{}", theirs.text);
        let _ = learner;
        // Without signing in: to the login page.
        let anonymous = app.client().get("/leerrekening").await;
        assert_ne!(anonymous.status, 200);
    }
}

#[tokio::test]
async fn the_exported_journal_passes_bean_check_with_leerpads_balances() {
    for app in apps().await {
        a_learner_with_history(&app).await;
        // The payout run of the day: the provider's money passes the clearing account.
        app.jobs.plan_calendar().await.expect("plan");
        app.jobs.run_due().await.expect("jobs");
        let dir = tempfile::tempdir().expect("tempdir");
        let journal = dir.path().join("leerpad.beancount");
        let out = crate::server::leerpad_on(dir.path(), &app.db)
            .args(["ledger", "export", "--output"])
            .arg(&journal)
            .output()
            .expect("export");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(&journal).expect("journal");
        assert!(text.contains("balance Assets:Learner:"), "{text}");
        assert!(text.contains("Assets:Clearing:"), "{text}");
        // bean-check (PyPI beancount) reads it: every transaction balances and every closing
        // balance Leerpad states is what the transactions add up to.
        let check = std::process::Command::new("python3")
            .args(["-c", "import sys; from beancount.scripts.check import main; sys.argv[0] = 'bean-check'; main()"])
            .arg(&journal)
            .output();
        let check = match check {
            Ok(c) => c,
            Err(e) => {
                crate::server::skip("bean-check", &format!("python3: {e}"));
                return;
            }
        };
        let stderr = String::from_utf8_lossy(&check.stderr);
        if stderr.contains("No module named 'beancount'") {
            crate::server::skip("bean-check", "PyPI beancount is not installed");
            return;
        }
        assert!(
            check.status.success(),
            "bean-check: {stderr}{}\n{text}",
            String::from_utf8_lossy(&check.stdout)
        );
        // A journal whose balance is off is refused: the check has teeth.
        let wrong = text.replacen(" 200.00 EUR", " 201.00 EUR", 1);
        assert_ne!(wrong, text, "{text}");
        std::fs::write(&journal, wrong).expect("write");
        let check = std::process::Command::new("python3")
            .args(["-c", "import sys; from beancount.scripts.check import main; sys.argv[0] = 'bean-check'; main()"])
            .arg(&journal)
            .output()
            .expect("bean-check");
        assert!(!check.status.success(), "a wrong balance must fail");
    }
}

#[tokio::test]
async fn a_programme_manager_sees_each_budget_in_a_chart_with_the_amounts() {
    for app in apps().await {
        a_learner_with_history(&app).await;
        let mut manager = app.client();
        manager.log_in("beheer@example.nl", PASSWORD).await;
        let page = manager.get("/beheer/leerrekeningen").await;
        assert_eq!(page.status, 200, "{}", page.text);
        // The budget: € 100,000 in, € 1,000 out to the learner, € 99,000 left; the provider:
        // € 800 paid in from a hold.
        let budget = page
            .text
            .split("<section")
            .find(|s| s.contains("Ontwikkelbudget"))
            .expect("the budget's section");
        for text in [
            "€ 100.000,-",
            "€ 1.000,-",
            "€ 99.000,-",
            "<svg class=\"bar\"",
        ] {
            assert!(budget.contains(text), "{text}: {budget}");
        }
        let provider = page
            .text
            .split("<section")
            .find(|s| s.contains("Zorgacademie"))
            .expect("the provider's section");
        assert!(provider.contains("€ 800,-"), "{provider}");
        let (mut learner, _) = app
            .logged_in("nieuwsgierig@example.nl", &[Role::Learner])
            .await;
        assert_eq!(learner.get("/beheer/leerrekeningen").await.status, 403);
    }
}

#[tokio::test]
async fn the_api_moves_money_once_per_key_and_shows_a_learner_her_account() {
    for app in apps().await {
        a_learner_with_history(&app).await;
        let mut manager = app.client();
        manager.log_in("beheer@example.nl", PASSWORD).await;
        let budgets = manager.get("/api/v1/ledger/budgets").await;
        assert_eq!(budgets.status, 200, "{}", budgets.text);
        let list = budgets.json();
        let id_of = |key: &str| {
            list.as_array()
                .and_then(|a| a.iter().find(|b| b["account"]["key"] == key))
                .and_then(|b| b["account"]["id"].as_i64())
                .expect("account")
        };
        let (rijk, budget) = (id_of("funding:rijk"), id_of("scheme:budget"));
        let deposit = serde_json::json!({
            "idempotency_key": "storting-2028", "op": "transfer",
            "from_account": rijk, "to_account": budget, "amount_cents": 5_000_000,
            "memo": "Budget 2028",
        });
        let first = manager
            .post_json("/api/v1/ledger/transfers", deposit.clone())
            .await;
        assert_eq!(first.status, 201, "{}", first.text);
        let again = manager
            .post_json("/api/v1/ledger/transfers", deposit.clone())
            .await;
        assert_eq!(again.status, 201, "{}", again.text);
        assert_eq!(
            first.json()["id"],
            again.json()["id"],
            "the same key, the first answer"
        );
        let mut other = deposit.clone();
        other["amount_cents"] = serde_json::json!(1);
        let reused = manager.post_json("/api/v1/ledger/transfers", other).await;
        let problem = reused.assert_problem(axum::http::StatusCode::CONFLICT);
        assert!(
            problem["type"]
                .as_str()
                .is_some_and(|t| t.ends_with("idempotency-key-reused")),
            "{problem}"
        );
        // Too much from a budget: refused, nothing moves.
        let greedy = serde_json::json!({
            "idempotency_key": "te-veel", "op": "transfer",
            "from_account": budget, "to_account": rijk, "amount_cents": 1_000_000_000,
        });
        let refused = manager.post_json("/api/v1/ledger/transfers", greedy).await;
        let problem = refused.assert_problem(axum::http::StatusCode::CONFLICT);
        assert!(
            problem["type"]
                .as_str()
                .is_some_and(|t| t.ends_with("insufficient-funds")),
            "{problem}"
        );
        // A refusal of every kind is kept under its key: an unknown account twice gives 404.
        let unknown = serde_json::json!({
            "idempotency_key": "onbekend", "op": "transfer",
            "from_account": 999_999, "to_account": rijk, "amount_cents": 100,
        });
        for _ in 0..2 {
            let r = manager
                .post_json("/api/v1/ledger/transfers", unknown.clone())
                .await;
            r.assert_problem(axum::http::StatusCode::NOT_FOUND);
        }
        let expired = serde_json::json!({
            "idempotency_key": "geen-reservering", "op": "void", "hold": 999_999,
        });
        for _ in 0..2 {
            let r = manager
                .post_json("/api/v1/ledger/transfers", expired.clone())
                .await;
            r.assert_problem(axum::http::StatusCode::NOT_FOUND);
        }
        // The learner reads her own account; she may not move money.
        let mut learner = app.client();
        learner.log_in("leerling@example.nl", PASSWORD).await;
        let mine = learner.get("/api/v1/ledger/account").await;
        assert_eq!(mine.status, 200, "{}", mine.text);
        assert_eq!(mine.json()["account"]["available_cents"], 20_000);
        let denied = learner.post_json("/api/v1/ledger/transfers", deposit).await;
        assert_eq!(denied.status, 403, "{}", denied.text);
    }
}

fn manager_principal(id: i64) -> Principal {
    Principal {
        user_id: UserId::new(id),
        email: "beheer@example.nl".into(),
        roles: RoleSet::new([Role::ProgrammeManager]),
    }
}

/// The balance of the account with this key (0 when it was never opened).
async fn posted(app: &crate::common::TestApp, key: &str) -> i64 {
    app.store
        .account_by_key(key)
        .await
        .expect("read")
        .map_or(0, |a| a.balance.posted.cents())
}

#[tokio::test]
async fn providers_are_paid_in_the_next_payout_run_through_the_clearing_account() {
    use leerpad_domain::ledger::payout::{MAX_DAYS_TO_PAYOUT, next_payout_day};
    for app in apps().await {
        // Friday 15 January 2027 is a payout day: what the provider is owed now (€ 800 from
        // the learner's course) is paid in its run.
        a_learner_with_history(&app).await;
        assert_eq!(posted(&app, "provider:zorg").await, 80_000);
        app.jobs.plan_calendar().await.expect("plan");
        app.jobs.run_due().await.expect("jobs");
        assert_eq!(posted(&app, "provider:zorg").await, 0, "paid out");
        assert_eq!(posted(&app, "clearing:uitbetalingen").await, 0, "passed on");
        assert_eq!(posted(&app, "funding:banken-aanbieders").await, 80_000);
        // Money owed after the run waits for the next one; running the jobs again the same
        // day pays nothing twice.
        let manager_id = app
            .user("tweede@example.nl", &[Role::ProgrammeManager])
            .await;
        let manager = manager_principal(manager_id);
        let rijk = app
            .ledger
            .open_account(&manager, AccountKind::Funding, "funding:rijk", "Rijk")
            .await
            .expect("rijk");
        let school = app
            .ledger
            .open_account(&manager, AccountKind::Provider, "provider:zorg", "Zorg")
            .await
            .expect("school");
        app.ledger
            .execute(
                &manager,
                "nog-een-cursus",
                &Command::Transfer {
                    from: rijk.id,
                    to: school.id,
                    amount: Money::from_cents(12_345),
                    memo: "Cursus afgerond".into(),
                },
            )
            .await
            .expect("owed");
        app.jobs.plan_calendar().await.expect("plan");
        app.jobs.run_due().await.expect("jobs");
        assert_eq!(posted(&app, "provider:zorg").await, 12_345, "waits");
        // The next run is Monday 1 February 2027, 17 days later: within 30.
        let today = time::macros::date!(2027 - 01 - 15);
        let next = next_payout_day(today);
        assert_eq!(next, time::macros::date!(2027 - 02 - 01));
        assert!((next - today).whole_days() <= MAX_DAYS_TO_PAYOUT);
        app.clock.advance(17 * 86_400);
        app.jobs.plan_calendar().await.expect("plan");
        app.jobs.run_due().await.expect("jobs");
        app.jobs.run_due().await.expect("again");
        assert_eq!(posted(&app, "provider:zorg").await, 0);
        assert_eq!(posted(&app, "funding:banken-aanbieders").await, 92_345);
        // The runs are in the statement of the provider's account, and its flows say paid.
        let statement = app
            .ledger
            .account(&manager, "provider:zorg")
            .await
            .expect("statement");
        let payouts: Vec<&str> = statement
            .lines
            .iter()
            .filter(|l| l.transfer.key.starts_with("payout:"))
            .map(|l| l.transfer.memo.as_str())
            .collect();
        assert_eq!(
            payouts,
            vec!["Uitbetaling van 2027-02-01", "Uitbetaling van 2027-01-15"]
        );
    }
}

#[tokio::test]
async fn a_scheme_puts_its_yearly_budget_on_the_account_once_a_year_up_to_its_ceiling() {
    use leerpad_domain::financing::{EmploymentStatus, PersonFacts};
    for app in apps().await {
        app.financing.seed_examples().await.expect("schemes");
        let (mut client, id) = app.logged_in("werkende@example.nl", &[Role::Learner]).await;
        let me = Principal {
            user_id: UserId::new(id),
            email: "werkende@example.nl".into(),
            roles: RoleSet::new([Role::Learner]),
        };
        // Without a situation the scheme cannot tell: no money, and the page says why.
        let page = client.get("/leerrekening").await;
        assert!(
            page.text.contains("We weten nog niet of je dit krijgt"),
            "{}",
            page.text
        );
        assert_eq!(
            app.ledger
                .my_account(&me)
                .await
                .expect("account")
                .balance
                .posted
                .cents(),
            0
        );
        // Saving a situation the rules let in brings this year's € 1,000 at once.
        let facts = PersonFacts {
            age: Some(40),
            employment: Some(EmploymentStatus::Employed),
            ..PersonFacts::default()
        };
        app.financing
            .save_situation(&me, &facts)
            .await
            .expect("facts");
        let page = client.get("/leerrekening").await;
        assert!(
            page.text.contains("Dit jaar kreeg je € 1.000,-"),
            "{}",
            page.text
        );
        // Asked again, at once from many places, and by the yearly job: still once.
        let asks: Vec<_> = (0..12)
            .map(|_| {
                let financing = app.financing.clone();
                tokio::spawn(async move { financing.yearly_deposits_for(me.user_id).await })
            })
            .collect();
        for ask in asks {
            ask.await.expect("task").expect("deposits");
        }
        app.jobs.plan_calendar().await.expect("plan");
        app.jobs.run_due().await.expect("jobs");
        let balance = |app: &crate::common::TestApp| {
            let ledger = app.ledger.clone();
            let me = me.clone();
            async move { ledger.my_account(&me).await.expect("account").balance }
        };
        assert_eq!(balance(&app).await.posted.cents(), 100_000);
        // Each new year brings € 1,000 more (the yearly job), up to the ceiling of € 3,000.
        for (year_start, expected) in [
            (1_831_107_600_i64, 200_000), // 10 January 2028
            (1_862_730_000, 300_000),     // 10 January 2029
            (1_894_266_000, 300_000),     // 10 January 2030: at the ceiling, nothing comes
        ] {
            app.clock
                .advance(year_start - leerpad_domain::clock::Clock::now(app.clock.as_ref()));
            app.jobs.plan_calendar().await.expect("plan");
            app.jobs.run_due().await.expect("jobs");
            assert_eq!(balance(&app).await.posted.cents(), expected, "{year_start}");
        }
        let mut client = app.client();
        client.log_in("werkende@example.nl", PASSWORD).await;
        let page = client.get("/leerrekening").await;
        assert!(
            page.text
                .contains("Je tegoed is al zo hoog als de regeling toestaat"),
            "{}",
            page.text
        );
        // Spending € 400 makes room: that year's deposit fills up to the ceiling, once.
        let manager = manager_principal(
            app.user("beheer@example.nl", &[Role::ProgrammeManager])
                .await,
        );
        let school = app
            .ledger
            .open_account(&manager, AccountKind::Provider, "provider:x", "Opleider")
            .await
            .expect("school");
        let account = app.ledger.my_account(&me).await.expect("account");
        app.ledger
            .execute(
                &manager,
                "cursus-2030",
                &Command::Transfer {
                    from: account.id,
                    to: school.id,
                    amount: Money::from_cents(40_000),
                    memo: "Cursus".into(),
                },
            )
            .await
            .expect("paid");
        let page = client.get("/leerrekening").await;
        assert!(
            page.text.contains("Dit jaar kreeg je € 400,-"),
            "{}",
            page.text
        );
        app.jobs.plan_calendar().await.expect("plan");
        app.jobs.run_due().await.expect("jobs");
        assert_eq!(balance(&app).await.posted.cents(), 300_000);
        // Every deposit came from the scheme's budget account: the budget paid € 3,400.
        let scheme = app
            .financing
            .scheme("persoonlijk-ontwikkelbudget", None)
            .await
            .expect("scheme");
        let budget_key = format!("scheme:{}", scheme.scheme.id);
        let (deposited, paid) = {
            let budget = app
                .store
                .account_by_key(&budget_key)
                .await
                .expect("read")
                .expect("budget account");
            app.store.flows(budget.id).await.expect("flows")
        };
        assert_eq!(paid.cents(), 340_000);
        assert_eq!(deposited.cents(), 2_000_000_000, "topped up to the budget");
        // Someone the rules leave out gets nothing, and is told so.
        let (mut young, young_id) = app.logged_in("jong@example.nl", &[Role::Learner]).await;
        let young_p = Principal {
            user_id: UserId::new(young_id),
            email: "jong@example.nl".into(),
            roles: RoleSet::new([Role::Learner]),
        };
        let facts = PersonFacts {
            age: Some(16),
            employment: Some(EmploymentStatus::Employed),
            ..PersonFacts::default()
        };
        app.financing
            .save_situation(&young_p, &facts)
            .await
            .expect("facts");
        let page = young.get("/leerrekening").await;
        assert!(
            page.text.contains("Je valt niet onder deze regeling"),
            "{}",
            page.text
        );
        assert_eq!(
            app.ledger
                .my_account(&young_p)
                .await
                .expect("account")
                .balance
                .posted
                .cents(),
            0
        );
    }
}

#[tokio::test]
async fn an_employer_deposits_for_named_staff_all_lines_or_none() {
    for app in apps().await {
        let _ = app.user("anna@example.nl", &[Role::Learner]).await;
        let _ = app.user("bram@example.nl", &[Role::Learner]).await;
        let (mut manager, _) = app
            .logged_in("beheer@example.nl", &[Role::ProgrammeManager])
            .await;
        let action = "/beheer/leerrekeningen/werkgeversstorting";
        let page = "/beheer/leerrekeningen";
        // One unknown person and one line that cannot be read: nothing happens, and each is
        // named by its line.
        let bad = manager
            .submit(
                page,
                action,
                &[
                    ("key", "storting-1"),
                    ("employer", "Zorggroep Zuid"),
                    ("memo", "Opleidingsbudget 2027"),
                    ("from_bank", "ja"),
                    (
                        "staff",
                        "anna@example.nl;500\nonbekend@example.nl;250\nbram 100",
                    ),
                ],
            )
            .await;
        assert_eq!(bad.status, 422, "{}", bad.text);
        assert!(
            bad.text.contains("Regel 3 kunnen we niet lezen"),
            "{}",
            bad.text
        );
        let bad = manager
            .submit(
                page,
                action,
                &[
                    ("key", "storting-1"),
                    ("employer", "Zorggroep Zuid"),
                    ("memo", "Opleidingsbudget 2027"),
                    ("from_bank", "ja"),
                    (
                        "staff",
                        "anna@example.nl;500\nonbekend@example.nl;250\nbram@example.nl;100",
                    ),
                ],
            )
            .await;
        assert_eq!(bad.status, 422, "{}", bad.text);
        assert!(
            bad.text.contains(
                "Regel 2: er is geen Leerpad-account met het e-mailadres onbekend@example.nl"
            ),
            "{}",
            bad.text
        );
        assert!(
            bad.text.contains("bram@example.nl;100"),
            "the form keeps what was typed"
        );
        assert_eq!(posted(&app, "employer:zorggroep-zuid").await, 0);
        // Corrected: the money comes in from the employer's bank and goes to both at once.
        let fields = [
            ("key", "storting-2"),
            ("employer", "Zorggroep Zuid"),
            ("memo", "Opleidingsbudget 2027"),
            ("from_bank", "ja"),
            ("staff", "anna@example.nl;500\nbram@example.nl;100,50"),
        ];
        let ok = manager.submit(page, action, &fields).await;
        assert_eq!(ok.status, 200, "{}", ok.text);
        assert!(
            ok.text
                .contains("Klaar: 2 medewerkers kregen geld van Zorggroep Zuid"),
            "{}",
            ok.text
        );
        let again = manager.submit(page, action, &fields).await;
        assert_eq!(
            again.status, 200,
            "a resent form is answered, not paid twice"
        );
        let anna = app
            .store
            .user_by_email("anna@example.nl")
            .await
            .expect("read")
            .expect("anna");
        let bram = app
            .store
            .user_by_email("bram@example.nl")
            .await
            .expect("read")
            .expect("bram");
        assert_eq!(posted(&app, &format!("learner:{}", anna.id)).await, 50_000);
        assert_eq!(posted(&app, &format!("learner:{}", bram.id)).await, 10_050);
        assert_eq!(posted(&app, "employer:zorggroep-zuid").await, 0);
        assert_eq!(posted(&app, "funding:zorggroep-zuid-bank").await, -60_050);
        // From the employer's budget alone there is nothing left: refused, nothing moves.
        let short = manager
            .submit(
                page,
                action,
                &[
                    ("key", "storting-3"),
                    ("employer", "Zorggroep Zuid"),
                    ("memo", "Extra"),
                    ("staff", "anna@example.nl;10"),
                ],
            )
            .await;
        assert_eq!(short.status, 422, "{}", short.text);
        assert!(short.text.contains("is te klein"), "{}", short.text);
        assert_eq!(posted(&app, &format!("learner:{}", anna.id)).await, 50_000);
        // The API: the same key twice gives the same transfers; a learner may not.
        let body = serde_json::json!({
            "idempotency_key": "api-1", "employer": "Techniekhuis", "from_bank": true,
            "memo": "Budget", "staff": [{"email": "anna@example.nl", "amount_cents": 700}],
        });
        let first = manager
            .post_json("/api/v1/ledger/employer-deposits", body.clone())
            .await;
        assert_eq!(first.status, 201, "{}", first.text);
        let second = manager
            .post_json("/api/v1/ledger/employer-deposits", body.clone())
            .await;
        assert_eq!(first.json(), second.json());
        assert_eq!(posted(&app, &format!("learner:{}", anna.id)).await, 50_700);
        let unknown = manager
            .post_json(
                "/api/v1/ledger/employer-deposits",
                serde_json::json!({"idempotency_key": "api-2", "employer": "X", "memo": "Y",
                    "staff": [{"email": "niemand@example.nl", "amount_cents": 5}]}),
            )
            .await;
        let problem = unknown.assert_problem(axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            crate::common::error_fields(&problem).contains(&"staff[1]"),
            "{problem}"
        );
        let mut learner = app.client();
        learner.log_in("bram@example.nl", PASSWORD).await;
        let denied = learner
            .post_json("/api/v1/ledger/employer-deposits", body)
            .await;
        assert_eq!(denied.status, 403, "{}", denied.text);
    }
}
