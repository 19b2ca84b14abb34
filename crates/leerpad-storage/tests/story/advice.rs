//! Ontwikkeladvies: programmes (versioned), registrations (once per person, places never over
//! capacity, also when they arrive at once) and draws (once per window, all or nothing).

use super::account;
use leerpad_domain::advice::advisors::{AdvisorProfile, Availability, Hours, Mode, Slot};
use leerpad_domain::advice::ports::{
    AppointmentStatus, NewAppointment, NewRegistration, ProgrammeStatus, RegistrationStatus,
};
use leerpad_domain::advice::programme::{ProgrammeDefinition, Reserve, Window};
use leerpad_domain::advice::{Entrant, PublishedDraw};
use leerpad_domain::financing::rules::Condition;
use leerpad_domain::ports::{Store, StoreError};
use leerpad_domain::role::Role;
use leerpad_domain::shared::{Localized, Money};
use std::sync::Arc;

pub(super) fn definition(capacity: u32) -> ProgrammeDefinition {
    ProgrammeDefinition {
        name: Localized {
            nl: "Ontwikkeladvies Parkstad".into(),
            en: String::new(),
        },
        description: Localized::default(),
        funder: "Provincie Limburg".into(),
        capacity,
        budget_per_advice: Money::from_cents(75_000),
        eligibility: Condition::always(),
        reserves: vec![Reserve {
            name: Localized {
                nl: "hoogstens mbo 2".into(),
                en: String::new(),
            },
            percent: 50,
            who: Condition::always(),
        }],
        windows: vec![Window {
            opens: 1_000,
            closes: 2_000,
        }],
        example: false,
    }
}

pub async fn advice_story(store: Arc<dyn Store>) {
    let p = store
        .create_programme("parkstad", ProgrammeStatus::Published, &definition(2), 10)
        .await
        .expect("create");
    assert_eq!(p.version, 1);
    let dup = store
        .create_programme("parkstad", ProgrammeStatus::Draft, &definition(2), 11)
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
    let edited = store
        .update_programme(
            "parkstad",
            ProgrammeStatus::Published,
            &definition(3),
            1,
            12,
        )
        .await
        .expect("update")
        .expect("found");
    assert_eq!((edited.version, edited.definition.capacity), (2, 3));
    let stale = store
        .update_programme("parkstad", ProgrammeStatus::Closed, &definition(3), 1, 13)
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    assert_eq!(store.programmes().await.expect("list").len(), 1);

    // Immediate places: 3 places, 5 people → 3 allocated, 2 on the waitlist in order.
    let mut people = Vec::new();
    for i in 0..5 {
        people.push(account(&*store, &format!("advies{i}@example.nl"), &[Role::Learner]).await);
    }
    for (i, person) in people.iter().enumerate() {
        let reference = format!("IMM-{i}");
        let r = store
            .register(NewRegistration {
                programme_id: p.id,
                user_id: person.id,
                reference: &reference,
                groups: &[],
                region: Some("Zuid-Limburg"),
                window_opens: None,
                capacity: 3,
                at: 100 + i as i64,
            })
            .await
            .expect("register");
        if i < 3 {
            assert_eq!(r.status, RegistrationStatus::Allocated);
        } else {
            assert_eq!(r.status, RegistrationStatus::Waitlisted);
            assert_eq!(r.waitlist_position, Some(i as u32 - 2));
        }
    }

    // One person registering many times at once: one registration.
    let window_programme = store
        .create_programme("venlo", ProgrammeStatus::Published, &definition(2), 20)
        .await
        .expect("create");
    let one = &people[0];
    let mut tasks = Vec::new();
    for i in 0..20 {
        let store = store.clone();
        let (programme_id, user_id) = (window_programme.id, one.id);
        tasks.push(tokio::spawn(async move {
            let reference = format!("DUP-{i}");
            store
                .register(NewRegistration {
                    programme_id,
                    user_id,
                    reference: &reference,
                    groups: &[0],
                    region: None,
                    window_opens: Some(1_000),
                    capacity: 2,
                    at: 1_500,
                })
                .await
                .expect("register")
                .id
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.expect("task"));
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "one registration: {ids:?}");
    for (i, person) in people.iter().enumerate().skip(1) {
        let reference = format!("WIN-{i}");
        store
            .register(NewRegistration {
                programme_id: window_programme.id,
                user_id: person.id,
                reference: &reference,
                groups: if i % 2 == 0 { &[0] } else { &[] },
                region: None,
                window_opens: Some(1_000),
                capacity: 2,
                at: 1_600,
            })
            .await
            .expect("register");
    }

    // The draw: over the registrations waiting for it, once.
    let waiting = store
        .waiting_for_draw(window_programme.id, 1_000)
        .await
        .expect("waiting");
    assert_eq!(waiting.len(), 5);
    let entrants: Vec<Entrant> = waiting
        .iter()
        .map(|r| Entrant {
            registration: r.reference.clone(),
            groups: r.groups.clone(),
        })
        .collect();
    let short = PublishedDraw::draw("seed", 2, &[("mbo".into(), 1)], &entrants[1..]);
    let late = store
        .record_draw(window_programme.id, 1_000, &short, 2, 2_001)
        .await;
    assert!(matches!(late, Err(StoreError::Refused(_))), "{late:?}");
    let greedy = PublishedDraw::draw("seed", 3, &[("mbo".into(), 1)], &entrants);
    let over = store
        .record_draw(window_programme.id, 1_000, &greedy, 2, 2_001)
        .await;
    assert!(matches!(over, Err(StoreError::Refused(_))), "{over:?}");
    assert_eq!(
        store
            .places_given(window_programme.id)
            .await
            .expect("given"),
        0
    );
    let draw = PublishedDraw::draw("seed", 2, &[("mbo".into(), 1)], &entrants);
    let recorded = store
        .record_draw(window_programme.id, 1_000, &draw, 2, 2_001)
        .await
        .expect("draw");
    assert_eq!(recorded, draw);
    let again = PublishedDraw::draw("other seed", 2, &[("mbo".into(), 1)], &entrants);
    let kept = store
        .record_draw(window_programme.id, 1_000, &again, 2, 2_002)
        .await
        .expect("draw again");
    assert_eq!(kept, draw, "a window is drawn once");
    assert_eq!(
        store
            .draw_of(window_programme.id, 1_000)
            .await
            .expect("read"),
        Some(draw.clone())
    );
    let mut allocated = 0;
    let mut positions = Vec::new();
    for person in &people {
        let r = store
            .registration(window_programme.id, person.id)
            .await
            .expect("read")
            .expect("registered");
        let line = draw
            .result
            .iter()
            .find(|l| l.registration == r.reference)
            .expect("drawn");
        match r.status {
            RegistrationStatus::Allocated => {
                allocated += 1;
                assert!(!line.outcome.starts_with("waitlist"), "{line:?}");
            }
            RegistrationStatus::Waitlisted => {
                assert_eq!(
                    line.outcome,
                    format!("waitlist {}", r.waitlist_position.unwrap_or(0))
                );
                positions.push(r.waitlist_position.unwrap_or(0));
            }
            other => panic!("{other:?} after the draw"),
        }
    }
    positions.sort_unstable();
    assert_eq!((allocated, positions), (2, vec![1, 2, 3]));
    assert_eq!(
        store
            .places_given(window_programme.id)
            .await
            .expect("given"),
        2,
        "the programme counts the places its draw gave"
    );
    assert!(
        store
            .waiting_for_draw(window_programme.id, 1_000)
            .await
            .expect("waiting")
            .is_empty()
    );

    // Advisors and appointments, on the "parkstad" programme: people 0..3 have a place, 3
    // and 4 wait.
    let advisor = account(&*store, "adviseur@example.nl", &[Role::Advisor]).await;
    let profile = AdvisorProfile {
        name: "Fatima El Amrani".into(),
        organisation: "Loopbaanbureau Parkstad".into(),
        certification: "Noloc-register 10234".into(),
        specialisms: Vec::new(),
        languages: vec!["nl".into()],
        modes: vec![Mode::Video],
        place: None,
        appointment_minutes: 60,
        buffer_minutes: 0,
        max_per_day: 2,
        programmes: vec!["parkstad".into()],
        example: false,
    };
    let hours = Availability {
        weekly: vec![Hours {
            weekday: 1,
            from_minute: 540,
            until_minute: 780,
        }],
        days_off: Vec::new(),
    };
    let saved = store
        .save_advisor(advisor.id, &profile, &hours, 5)
        .await
        .expect("save");
    assert_eq!(store.advisor(advisor.id).await.expect("read"), Some(saved));
    let regs: Vec<_> = {
        let mut out = Vec::new();
        for person in &people {
            out.push(
                store
                    .registration(p.id, person.id)
                    .await
                    .expect("read")
                    .expect("registered"),
            );
        }
        out
    };
    let slot = |h: i64| Slot {
        starts_at: 10_000 + h * 3_600,
        ends_at: 10_000 + (h + 1) * 3_600,
    };
    let booking = |i: usize, h: i64, key: &'static str| NewAppointment {
        advisor_id: advisor.id,
        registration_id: regs[i].id,
        slot: slot(h),
        mode: Mode::Video,
        idempotency_key: key,
        replaces: None,
        max_per_day: 2,
        day: (0, 100_000),
        at: 50,
    };
    let first = store.book(booking(0, 0, "k0")).await.expect("book");
    assert_eq!(first.status, AppointmentStatus::Booked);
    assert_eq!(first.learner_id, people[0].id);
    let retried = store.book(booking(0, 0, "k0")).await.expect("retry");
    assert_eq!(retried.id, first.id, "the same key is the same booking");
    let taken = store.book(booking(1, 0, "k1")).await;
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");
    let second_for_one = store.book(booking(0, 1, "k0b")).await;
    assert!(
        matches!(second_for_one, Err(StoreError::Conflict(_))),
        "{second_for_one:?}"
    );
    let waiting = store.book(booking(3, 1, "k3")).await;
    assert!(
        matches!(waiting, Err(StoreError::Refused(_))),
        "{waiting:?}"
    );
    store.book(booking(1, 1, "k1b")).await.expect("book");
    // Moving: another registration's appointment cannot be moved (nothing changes); one's own
    // moves in one step, and back.
    let not_hers = store
        .book(NewAppointment {
            replaces: Some(first.id),
            ..booking(1, 3, "k1-move")
        })
        .await;
    assert!(
        matches!(not_hers, Err(StoreError::Conflict(_))),
        "{not_hers:?}"
    );
    let moved = store
        .book(NewAppointment {
            replaces: Some(first.id),
            ..booking(0, 3, "k0-move")
        })
        .await
        .expect("moved");
    let back = store
        .book(NewAppointment {
            replaces: Some(moved.id),
            ..booking(0, 0, "k0-back")
        })
        .await
        .expect("moved back");
    assert_eq!(back.slot, slot(0));
    let full = store.book(booking(2, 2, "k2")).await;
    assert!(
        matches!(full, Err(StoreError::Refused(_))),
        "day full: {full:?}"
    );
    assert_eq!(
        store
            .booked_slots(advisor.id, 0, 100_000)
            .await
            .expect("slots"),
        vec![slot(0), slot(1)]
    );

    // Giving up a place cancels the appointment and passes the place to the first waiting.
    let promoted = store
        .give_up_place(regs[0].id, 60)
        .await
        .expect("give up")
        .expect("someone was waiting");
    assert_eq!(promoted.user_id, people[3].id);
    assert_eq!(promoted.status, RegistrationStatus::Allocated);
    assert_eq!(
        store.places_given(p.id).await.expect("given"),
        3,
        "a place passed on is still one place given"
    );
    assert_eq!(
        store.give_up_place(regs[0].id, 61).await.expect("again"),
        None,
        "giving up twice frees nothing more"
    );
    assert_eq!(store.places_given(p.id).await.expect("given"), 3);
    let mine = store
        .appointments_of_registration(regs[0].id)
        .await
        .expect("mine");
    assert_eq!(mine[0].status, AppointmentStatus::Cancelled);
    store
        .book(booking(3, 0, "k3b"))
        .await
        .expect("the freed slot");
    let changed = store
        .set_appointment_status(mine[0].id, AppointmentStatus::NoShow, 70)
        .await
        .expect("status");
    assert!(!changed, "a cancelled appointment stays cancelled");
    let of_advisor = store
        .appointments_of_advisor(advisor.id, 0)
        .await
        .expect("advisor's");
    // Her first, moved and moved-back appointments (all cancelled now), the second learner's,
    // and the freed slot's.
    assert_eq!(of_advisor.len(), 5);

    // Plans: versions numbered from 1, comments, deletion; consent given and withdrawn.
    use leerpad_domain::advice::plan::{PlanComment, PlanContent};
    let content = PlanContent {
        goals: "Verzorgende IG worden".into(),
        ..PlanContent::default()
    };
    let reg = regs[3].id;
    for expected in [1, 2] {
        let v = store
            .save_plan_version(reg, people[3].id, advisor.id, &content, 80)
            .await
            .expect("plan");
        assert_eq!(v.version, expected);
    }
    let versions = store.plan_versions(reg).await.expect("versions");
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert_eq!(versions[0].content, content);
    store
        .add_plan_comment(
            reg,
            &PlanComment {
                version: 1,
                author_id: people[3].id,
                text: "Liever thuiszorg.".into(),
                created_at: 90,
            },
        )
        .await
        .expect("comment");
    assert_eq!(store.plan_comments(reg).await.expect("comments").len(), 1);
    assert_eq!(store.delete_plan(reg).await.expect("delete"), 2);
    assert!(store.plan_versions(reg).await.expect("versions").is_empty());
    assert!(store.plan_comments(reg).await.expect("comments").is_empty());
    assert_eq!(
        store
            .consent_until(people[3].id, advisor.id)
            .await
            .expect("consent"),
        None
    );
    store
        .set_consent(people[3].id, advisor.id, Some(1_000), 95)
        .await
        .expect("give");
    assert_eq!(
        store
            .consent_until(people[3].id, advisor.id)
            .await
            .expect("consent"),
        Some(1_000)
    );
    store
        .set_consent(people[3].id, advisor.id, None, 96)
        .await
        .expect("withdraw");
    assert_eq!(
        store
            .consent_until(people[3].id, advisor.id)
            .await
            .expect("consent"),
        None
    );
}
