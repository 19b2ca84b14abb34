//! The leerrekening's ledger under load: ten thousand operations at once (holds, posts, voids,
//! payments, deposits and retried duplicates) on a few hundred accounts, on every engine; the
//! balances reconcile to the cent with the transfers, no account but a funding account is
//! below zero, and every duplicate got the first answer.

use crate::common::apps;
use leerpad_domain::ledger::{
    AccountKind, Command, HoldState, LedgerError, Transfer, TransferKind,
};
use leerpad_domain::shared::{AccountId, Money, TransferId};
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
