use super::*;
use time::macros::date;

fn requested(on: Date) -> Enrolment {
    Enrolment {
        id: 1,
        learner: UserId::new(1),
        offer: OfferId::new(1),
        provider: ProviderId::new(1),
        run: "2027-02".into(),
        status: EnrolmentStatus::Requested,
        price: None,
        starts_on: None,
        ends_on: None,
        deadline: Some(first_deadline(on)),
        confirmed_on: None,
        hold: None,
        note: None,
        version: 1,
        created_at: 0,
    }
}

fn after(e: &Enrolment, o: &Outcome) -> Enrolment {
    Enrolment {
        status: o.status,
        deadline: o.deadline,
        version: e.version + 1,
        ..e.clone()
    }
}

#[test]
fn the_whole_way_from_request_to_payment() {
    // Friday 11 December 2026: the provider answers by Tuesday the 15th.
    let e = requested(date!(2026 - 12 - 11));
    assert_eq!(e.deadline, Some(date!(2026 - 12 - 15)));
    let accept = Step::Accept {
        price: Money::from_cents(120_000),
        starts_on: date!(2027 - 02 - 01),
        ends_on: date!(2027 - 03 - 31),
    };
    assert_eq!(
        take(&e, Actor::Learner, &accept, date!(2026 - 12 - 14)),
        Err(EnrolmentError::WrongActor("provider"))
    );
    let o = take(&e, Actor::Provider, &accept, date!(2026 - 12 - 14)).expect("accept");
    // Monday the 14th + 4 working days = Friday the 18th.
    assert_eq!(
        (o.status, o.deadline),
        (EnrolmentStatus::Offered, Some(date!(2026 - 12 - 18)))
    );
    let e = Enrolment {
        price: Some(Money::from_cents(120_000)),
        starts_on: Some(date!(2027 - 02 - 01)),
        ends_on: Some(date!(2027 - 03 - 31)),
        ..after(&e, &o)
    };
    let o = take(&e, Actor::Learner, &Step::Confirm, date!(2026 - 12 - 17)).expect("confirm");
    assert_eq!(
        o.money,
        Settlement::Hold {
            amount: Money::from_cents(120_000),
            until: date!(2027 - 04 - 05)
        },
        "held until three working days after the end: Thursday 1, Friday 2, Monday 5 April"
    );
    let e = Enrolment {
        confirmed_on: Some(date!(2026 - 12 - 17)),
        hold: Some(TransferId::new(9)),
        ..after(&e, &o)
    };
    assert_eq!(
        take(
            &e,
            Actor::Provider,
            &Step::DeclareStart,
            date!(2027 - 01 - 29)
        ),
        Err(EnrolmentError::NotStarted)
    );
    let o = take(
        &e,
        Actor::Provider,
        &Step::DeclareStart,
        date!(2027 - 02 - 02),
    )
    .expect("start");
    let e = after(&e, &o);
    let done = Step::DeclareCompletion {
        proof: "certificaat 123".into(),
    };
    let o = take(&e, Actor::Provider, &done, date!(2027 - 04 - 01)).expect("done");
    assert_eq!(
        (o.status, o.money),
        (
            EnrolmentStatus::Completed,
            Settlement::Pay(Money::from_cents(120_000))
        )
    );
}

#[test]
fn withdrawing_is_free_in_the_withdrawal_period_and_stopping_later_pays_what_passed() {
    let e = Enrolment {
        status: EnrolmentStatus::Confirmed,
        price: Some(Money::from_cents(100_000)),
        starts_on: Some(date!(2027 - 03 - 01)),
        ends_on: Some(date!(2027 - 03 - 10)),
        confirmed_on: Some(date!(2027 - 01 - 04)),
        hold: Some(TransferId::new(3)),
        ..requested(date!(2027 - 01 - 01))
    };
    let o = take(&e, Actor::Learner, &Step::Withdraw, date!(2027 - 01 - 18)).expect("in time");
    assert_eq!(o.money, Settlement::Release);
    assert_eq!(
        take(&e, Actor::Learner, &Step::Withdraw, date!(2027 - 01 - 19)),
        Err(EnrolmentError::WithdrawalOver)
    );
    let started = Enrolment {
        status: EnrolmentStatus::Started,
        ..e
    };
    // Four of ten days have passed: 40 percent is paid.
    let stop = Step::Cancel {
        reason: "ziek".into(),
    };
    let o = take(&started, Actor::Learner, &stop, date!(2027 - 03 - 04)).expect("cancel");
    assert_eq!(o.money, Settlement::Pay(Money::from_cents(40_000)));
}

#[test]
fn a_deadline_that_passes_ends_the_enrolment() {
    let e = requested(date!(2026 - 12 - 11));
    assert_eq!(
        take(&e, Actor::Deadline, &Step::Expire, date!(2026 - 12 - 15)),
        Err(EnrolmentError::NotYet {
            deadline: date!(2026 - 12 - 15)
        })
    );
    let o = take(&e, Actor::Deadline, &Step::Expire, date!(2026 - 12 - 16)).expect("expire");
    assert_eq!(
        (o.status, o.money),
        (EnrolmentStatus::Expired, Settlement::Nothing)
    );
    let late = Step::Accept {
        price: Money::from_cents(100),
        starts_on: date!(2027 - 02 - 01),
        ends_on: date!(2027 - 02 - 02),
    };
    assert!(matches!(
        take(&e, Actor::Provider, &late, date!(2026 - 12 - 16)),
        Err(EnrolmentError::TooLate { .. })
    ));
    assert_eq!(
        share_passed(
            Money::from_cents(999),
            date!(2027 - 01 - 01),
            date!(2027 - 01 - 03),
            date!(2026 - 12 - 01)
        ),
        Money::ZERO
    );
}
