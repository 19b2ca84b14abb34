//! The ledger on each engine does what the in-memory reference (`ledger::Book`) does: the same
//! commands, retries and refusals give the same results and the same balances.

use leerpad_domain::ledger::{AccountKind, Book, Command};
use leerpad_domain::ports::Store;
use leerpad_domain::shared::{AccountId, Money, TransferId};

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

pub async fn ledger_story(store: &dyn Store) {
    // Other stories (a scheme's awards) may have written transfers already.
    let before = store
        .transfers_after(TransferId::new(0), 10_000)
        .await
        .expect("before")
        .len();
    let mut book = Book::default();
    let kinds = [
        (AccountKind::Funding, "funding:rijk", "Rijksoverheid"),
        (AccountKind::Scheme, "scheme:stap", "STAP-budget"),
        (AccountKind::Employer, "employer:1", "Zorggroep"),
        (AccountKind::Learner, "learner:1", "Anna"),
        (AccountKind::Learner, "learner:2", "Bram"),
        (AccountKind::Provider, "provider:1", "Zorgacademie"),
    ];
    let mut ids = Vec::new();
    for (kind, key, name) in kinds {
        let stored = store.open_account(kind, key, name, 1).await.expect("open");
        let again = store.open_account(kind, key, name, 2).await.expect("again");
        assert_eq!(stored.id, again.id, "one account per key");
        let reference = book.open(kind, key, name);
        ids.push((stored.id, reference));
    }
    // The engine's ids and the reference's differ; commands are written in the reference's
    // and translated.
    let to_store = |a: AccountId| ids.iter().find(|(_, r)| *r == a).map_or(a, |(s, _)| *s);
    let mut holds: Vec<(TransferId, TransferId)> = Vec::new();
    let mut done: Vec<(String, Command, Command)> = Vec::new();
    let mut rng = Lcg(7);
    let mut now = 10;
    for i in 0..400 {
        let key = format!("story-{i}");
        let account = |rng: &mut Lcg| ids[rng.next(ids.len() as u64) as usize].1;
        let amount = |rng: &mut Lcg| Money::from_cents((1 + rng.next(3_000) as i64) * 100);
        let (reference, stored) = match rng.next(7) {
            0 | 1 => {
                let (from, to, amount) = (account(&mut rng), account(&mut rng), amount(&mut rng));
                let memo = String::from("overboeking");
                (
                    Command::Transfer {
                        from,
                        to,
                        amount,
                        memo: memo.clone(),
                    },
                    Command::Transfer {
                        from: to_store(from),
                        to: to_store(to),
                        amount,
                        memo,
                    },
                )
            }
            2 | 3 => {
                let (from, to, amount) = (account(&mut rng), account(&mut rng), amount(&mut rng));
                let expires_at = now + 1 + rng.next(40) as i64;
                (
                    Command::Hold {
                        from,
                        to,
                        amount,
                        expires_at,
                        memo: String::new(),
                    },
                    Command::Hold {
                        from: to_store(from),
                        to: to_store(to),
                        amount,
                        expires_at,
                        memo: String::new(),
                    },
                )
            }
            4 if !holds.is_empty() => {
                let (r, s) = holds[rng.next(holds.len() as u64) as usize];
                let amount = amount(&mut rng);
                (
                    Command::Post {
                        hold: r,
                        amount,
                        memo: String::new(),
                    },
                    Command::Post {
                        hold: s,
                        amount,
                        memo: String::new(),
                    },
                )
            }
            5 if !holds.is_empty() => {
                let (r, s) = holds[rng.next(holds.len() as u64) as usize];
                (
                    Command::Void {
                        hold: r,
                        memo: String::new(),
                    },
                    Command::Void {
                        hold: s,
                        memo: String::new(),
                    },
                )
            }
            6 if !done.is_empty() => {
                // A retry of an earlier request: the first result again.
                let (key, reference, stored) = done[rng.next(done.len() as u64) as usize].clone();
                let r = book.execute(&key, &reference, now).map(|t| t.key);
                let s = store
                    .execute(&key, &stored, now)
                    .await
                    .expect("store")
                    .map(|t| t.key);
                assert_eq!(r.is_ok(), s.is_ok(), "retry of {key}: {r:?} / {s:?}");
                continue;
            }
            _ => {
                now += 1 + rng.next(10) as i64;
                let released = book.expire(now).len();
                let due = store.holds_due(now, 1_000).await.expect("due");
                assert_eq!(due.len(), released, "the same holds are due at {now}");
                for h in due {
                    let hold = h.id;
                    store
                        .execute(&format!("expire:{hold}"), &Command::Expire { hold }, now)
                        .await
                        .expect("store")
                        .expect("expired");
                }
                continue;
            }
        };
        let r = book.execute(&key, &reference, now);
        let s = store.execute(&key, &stored, now).await.expect("store");
        match (&r, &s) {
            (Ok(rt), Ok(st)) => {
                assert_eq!(
                    (rt.kind, rt.amount, rt.state),
                    (st.kind, st.amount, st.state)
                );
                if matches!(reference, Command::Hold { .. }) {
                    holds.push((rt.id, st.id));
                }
                done.push((key, reference, stored));
            }
            (Err(re), Err(se)) => assert_eq!(
                std::mem::discriminant(re),
                std::mem::discriminant(se),
                "{re} / {se}"
            ),
            _ => panic!("step {i}: reference {r:?}, store {s:?}"),
        }
    }
    // The same balances everywhere, and they balance.
    let mut sum = 0;
    for (stored, reference) in &ids {
        let s = store.account(*stored).await.expect("read").expect("there");
        let r = book.account(*reference).expect("there");
        assert_eq!(s.balance, r.balance, "{}", s.key);
        sum += s.balance.posted.cents();
    }
    assert_eq!(sum, 0, "debits equal credits");
    assert!(done.len() > 100, "the story did things: {}", done.len());
    // A reused key with other content is refused.
    let (key, _, stored) = done[0].clone();
    let other = match stored {
        Command::Transfer {
            from, to, amount, ..
        } => Command::Transfer {
            from,
            to,
            amount: Money::from_cents(amount.cents() + 1),
            memo: String::new(),
        },
        _ => Command::Void {
            hold: TransferId::new(1),
            memo: "anders".into(),
        },
    };
    assert!(matches!(
        store.execute(&key, &other, now).await.expect("store"),
        Err(leerpad_domain::ledger::LedgerError::KeyReused(_))
    ));
    let all = store
        .transfers_after(TransferId::new(0), 10_000)
        .await
        .expect("all");
    assert_eq!(all.len() - before, book.transfers().len());
}

/// Several commands in one transaction: all, or none when one is refused (and then no key is
/// kept, so the same batch goes through once the cause is gone); a batch sent again gives its
/// first transfers. The platform's clearing account is a kind that never goes below zero.
pub async fn batch_story(store: &dyn Store) {
    use leerpad_domain::ledger::LedgerError;
    let bank = store
        .open_account(AccountKind::Funding, "funding:batch-bank", "Bank", 1)
        .await
        .expect("bank");
    let employer = store
        .open_account(AccountKind::Employer, "employer:batch", "Werkgever", 1)
        .await
        .expect("employer");
    let staff: Vec<AccountId> = {
        let mut out = Vec::new();
        for i in 0..3 {
            out.push(
                store
                    .open_account(
                        AccountKind::Learner,
                        &format!("learner:batch-{i}"),
                        "Mens",
                        1,
                    )
                    .await
                    .expect("learner")
                    .id,
            );
        }
        out
    };
    let pay = |to: AccountId, cents: i64| Command::Transfer {
        from: employer.id,
        to,
        amount: Money::from_cents(cents),
        memo: "Opleidingsbudget".into(),
    };
    let batch = |amounts: [i64; 3], tag: &str| -> Vec<(String, Command)> {
        staff
            .iter()
            .zip(amounts)
            .enumerate()
            .map(|(i, (to, cents))| (format!("batch-{tag}:{i}"), pay(*to, cents)))
            .collect()
    };
    // Nothing on the employer's account: the first line is refused and nothing is written.
    let refused = store
        .execute_all(&batch([100, 200, 300], "a"), 2)
        .await
        .expect("answer");
    assert!(
        matches!(refused, Err((0, LedgerError::Insufficient { .. }))),
        "{refused:?}"
    );
    assert!(
        store
            .transfer_by_key("batch-a:0")
            .await
            .expect("read")
            .is_none()
    );
    // Money in; the third line is more than is left: still nothing moves.
    let deposit = Command::Transfer {
        from: bank.id,
        to: employer.id,
        amount: Money::from_cents(500),
        memo: "Storting".into(),
    };
    store
        .execute("batch-in", &deposit, 3)
        .await
        .expect("db")
        .expect("in");
    let refused = store
        .execute_all(&batch([100, 200, 300], "a"), 4)
        .await
        .expect("answer");
    assert!(matches!(refused, Err((2, _))), "{refused:?}");
    for to in &staff {
        let a = store.account(*to).await.expect("read").expect("there");
        assert_eq!(a.balance.posted.cents(), 0, "all or none");
    }
    // What fits goes through at once; sent again, the same transfers.
    let first = store
        .execute_all(&batch([100, 200, 200], "a"), 5)
        .await
        .expect("answer")
        .expect("paid");
    let again = store
        .execute_all(&batch([100, 200, 200], "a"), 6)
        .await
        .expect("answer")
        .expect("paid");
    assert_eq!(
        first.iter().map(|t| t.id).collect::<Vec<_>>(),
        again.iter().map(|t| t.id).collect::<Vec<_>>()
    );
    let left = store
        .account(employer.id)
        .await
        .expect("read")
        .expect("there");
    assert_eq!(left.balance.posted.cents(), 0);
    // The clearing account: money passes through it, never below zero.
    let clearing = store
        .open_account(AccountKind::Clearing, "clearing:batch", "Onderweg", 7)
        .await
        .expect("clearing");
    assert_eq!(clearing.kind, AccountKind::Clearing);
    let through = Command::Transfer {
        from: clearing.id,
        to: bank.id,
        amount: Money::from_cents(1),
        memo: "Uitbetaling".into(),
    };
    let empty = store.execute("batch-out", &through, 8).await.expect("db");
    assert!(
        matches!(empty, Err(LedgerError::Insufficient { .. })),
        "{empty:?}"
    );
}
