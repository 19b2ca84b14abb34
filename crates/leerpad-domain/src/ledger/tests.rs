use super::*;
use proptest::prelude::*;

fn euros(n: i64) -> Money {
    Money::from_cents(n * 100)
}

/// A state funding account, a scheme budget, two learners and a provider.
fn book() -> (Book, [AccountId; 5]) {
    let mut b = Book::default();
    let rijk = b.open(AccountKind::Funding, "funding:rijk", "Rijksoverheid");
    let stap = b.open(AccountKind::Scheme, "scheme:stap", "STAP-budget");
    let anna = b.open(AccountKind::Learner, "learner:1", "Anna");
    let bram = b.open(AccountKind::Learner, "learner:2", "Bram");
    let school = b.open(AccountKind::Provider, "provider:1", "Zorgacademie");
    (b, [rijk, stap, anna, bram, school])
}

fn transfer(from: AccountId, to: AccountId, amount: Money) -> Command {
    Command::Transfer {
        from,
        to,
        amount,
        memo: String::new(),
    }
}

#[test]
fn a_hold_is_posted_in_part_and_the_rest_released() {
    let (mut b, [rijk, stap, anna, _, school]) = book();
    b.execute("d1", &transfer(rijk, stap, euros(10_000)), 1)
        .expect("deposit");
    b.execute("d2", &transfer(stap, anna, euros(1_000)), 2)
        .expect("budget");
    let hold = Command::Hold {
        from: anna,
        to: school,
        amount: euros(800),
        expires_at: 100,
        memo: "Verzorgende IG".into(),
    };
    let h = b.execute("h1", &hold, 3).expect("hold");
    let a = b.account(anna).expect("anna").balance;
    assert_eq!(
        (a.posted, a.held, a.available()),
        (euros(1_000), euros(800), euros(200))
    );
    assert!(matches!(
        b.execute(
            "h2",
            &Command::Hold {
                from: anna,
                to: school,
                amount: euros(300),
                expires_at: 100,
                memo: String::new(),
            },
            4
        ),
        Err(LedgerError::Insufficient { .. })
    ));
    let post = Command::Post {
        hold: h.id,
        amount: euros(650),
        memo: "afgerond".into(),
    };
    b.execute("p1", &post, 5).expect("post");
    let a = b.account(anna).expect("anna").balance;
    assert_eq!((a.posted, a.held), (euros(350), Money::ZERO));
    assert_eq!(
        b.account(school).expect("school").balance.posted,
        euros(650)
    );
    assert!(matches!(
        b.execute("p2", &post, 6),
        Err(LedgerError::NotPending { .. })
    ));
    // The same key again is the first result; with other content it is refused.
    assert_eq!(
        b.execute("p1", &post, 7).map(|t| t.id),
        Ok(TransferId::new(4))
    );
    assert!(matches!(
        b.execute("p1", &transfer(stap, anna, euros(1)), 7),
        Err(LedgerError::KeyReused(_))
    ));
}

#[test]
fn a_hold_past_its_deadline_cannot_be_paid_and_is_released() {
    let (mut b, [rijk, _, anna, _, school]) = book();
    b.execute("d", &transfer(rijk, anna, euros(500)), 1)
        .expect("deposit");
    let h = b
        .execute(
            "h",
            &Command::Hold {
                from: anna,
                to: school,
                amount: euros(500),
                expires_at: 50,
                memo: String::new(),
            },
            2,
        )
        .expect("hold");
    assert_eq!(
        b.execute("e0", &Command::Expire { hold: h.id }, 49),
        Err(LedgerError::NotExpired(h.id))
    );
    let late = Command::Post {
        hold: h.id,
        amount: euros(500),
        memo: String::new(),
    };
    assert_eq!(b.execute("p", &late, 50), Err(LedgerError::Expired(h.id)));
    let released = b.expire(50);
    assert_eq!(released.len(), 1);
    assert_eq!(
        b.account(anna).expect("anna").balance.available(),
        euros(500)
    );
    assert!(b.expire(60).is_empty(), "released once");
}

#[derive(Debug, Clone)]
enum Op {
    Transfer(usize, usize, i64),
    Hold(usize, usize, i64, i64),
    Post(usize, i64),
    Void(usize),
    Retry(usize),
    Tick(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..5usize, 0..5usize, 1..2_000i64).prop_map(|(a, b, n)| Op::Transfer(a, b, n)),
        (0..5usize, 0..5usize, 1..2_000i64, 1..50i64).prop_map(|(a, b, n, t)| Op::Hold(a, b, n, t)),
        (0..40usize, 1..2_500i64).prop_map(|(h, n)| Op::Post(h, n)),
        (0..40usize).prop_map(Op::Void),
        (0..40usize).prop_map(Op::Retry),
        (1..20i64).prop_map(Op::Tick),
    ]
}

fn check(b: &Book) -> Result<(), TestCaseError> {
    let posted: i64 = b.accounts().map(|a| a.balance.posted.cents()).sum();
    let held: i64 = b.accounts().map(|a| a.balance.held.cents()).sum();
    let incoming: i64 = b.accounts().map(|a| a.balance.incoming.cents()).sum();
    prop_assert_eq!(posted, 0, "debits equal credits");
    prop_assert_eq!(
        held,
        incoming,
        "every hold is held on one side and coming on the other"
    );
    for a in b.accounts() {
        prop_assert!(a.balance.held.cents() >= 0 && a.balance.incoming.cents() >= 0);
        if !a.kind.may_go_negative() {
            prop_assert!(a.balance.available().cents() >= 0, "{:?}", a);
        }
        let pending: i64 = b
            .transfers()
            .iter()
            .filter(|t| t.from == a.id && t.state == Some(HoldState::Pending))
            .map(|t| t.amount.cents())
            .sum();
        prop_assert_eq!(pending, a.balance.held.cents(), "held is the pending holds");
    }
    Ok(())
}

proptest! {
    #[test]
    fn any_sequence_balances_never_overdraws_and_retries_change_nothing(ops in prop::collection::vec(op(), 1..80)) {
        let (mut b, ids) = book();
        let mut now = 1;
        let mut done: Vec<(String, Command, Result<TransferId, LedgerError>)> = Vec::new();
        let holds = |b: &Book| -> Vec<TransferId> {
            b.transfers().iter().filter(|t| t.kind == TransferKind::Hold).map(|t| t.id).collect()
        };
        for (i, op) in ops.into_iter().enumerate() {
            let key = format!("k{i}");
            let command = match op {
                Op::Transfer(a, c, n) => Some(transfer(ids[a], ids[c], Money::from_cents(n * 100))),
                Op::Hold(a, c, n, ttl) => Some(Command::Hold {
                    from: ids[a], to: ids[c], amount: Money::from_cents(n * 100),
                    expires_at: now + ttl, memo: String::new(),
                }),
                Op::Post(h, n) => holds(&b).get(h % holds(&b).len().max(1)).map(|hold| Command::Post {
                    hold: *hold, amount: Money::from_cents(n * 100), memo: String::new(),
                }),
                Op::Void(h) => holds(&b).get(h % holds(&b).len().max(1)).map(|hold| Command::Void {
                    hold: *hold, memo: String::new(),
                }),
                Op::Retry(j) if !done.is_empty() => {
                    let (key, command, id) = done[j % done.len()].clone();
                    let before: Vec<Account> = b.accounts().cloned().collect();
                    let again = b.execute(&key, &command, now);
                    prop_assert_eq!(again.map(|t| t.id), id, "the first answer, refusals too");
                    let after: Vec<Account> = b.accounts().cloned().collect();
                    prop_assert_eq!(before, after, "a retry changes nothing");
                    None
                }
                Op::Retry(_) => None,
                Op::Tick(t) => {
                    now += t;
                    b.expire(now);
                    None
                }
            };
            if let Some(command) = command {
                let result = b.execute(&key, &command, now).map(|t| t.id);
                done.push((key, command, result));
            }
            check(&b)?;
        }
    }
}

#[test]
fn every_refusal_is_kept_and_read_back_as_it_was() {
    let (a, t) = (AccountId::new(3), TransferId::new(9));
    let all = [
        LedgerError::UnknownAccount(a),
        LedgerError::SameAccount,
        LedgerError::NotPositive,
        LedgerError::Insufficient {
            account: a,
            available: euros(1),
            wanted: euros(2),
        },
        LedgerError::UnknownHold(t),
        LedgerError::NotPending {
            hold: t,
            state: HoldState::Posted,
        },
        LedgerError::MoreThanHeld {
            hold: t,
            held: euros(1),
            wanted: euros(2),
        },
        LedgerError::Expired(t),
        LedgerError::NotExpired(t),
        LedgerError::KeyReused("k".into()),
        LedgerError::Overflow,
    ];
    for e in all {
        let text = serde_json::to_string(&e).expect("kept");
        let back: LedgerError = serde_json::from_str(&text).expect("read back");
        assert_eq!(back, e, "{text}");
    }
}
