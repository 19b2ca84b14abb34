use super::*;
use crate::shared::workdays::is_working_day;
use proptest::prelude::*;
use time::macros::date;

fn steps() -> Vec<Step> {
    vec![
        Step::Submit,
        Step::Withdraw,
        Step::StartCheck,
        Step::Admissible,
        Step::Inadmissible {
            reason: "Niet online".into(),
        },
        Step::RequestInformation {
            question: "Welke docenten?".into(),
        },
        Step::Answer {
            answer: "Deze.".into(),
        },
        Step::Approve,
        Step::Reject {
            reason: "Te duur".into(),
        },
        Step::Object {
            grounds: "Niet waar".into(),
        },
        Step::Uphold,
        Step::Dismiss {
            reason: "Blijft zo".into(),
        },
        Step::Expire,
        Step::Settle {
            completions: Vec::new(),
            proof: "Presentielijsten".into(),
        },
    ]
}

const ACTORS: [Actor; 3] = [Actor::Provider, Actor::Manager, Actor::System];

proptest! {
    /// Whatever is tried, in any order, by anyone, on any day: every step that is taken is an
    /// edge of the diagram, taken by the one it belongs to, and every deadline is a working day.
    #[test]
    fn no_transition_outside_the_diagram(
        tries in prop::collection::vec((0usize..14, 0usize..3, 0i64..20, any::<bool>()), 1..60)
    ) {
        let all = steps();
        let mut w = Workflow::draft();
        let mut day = date!(2027 - 03 - 01);
        for (s, a, days, open) in tries {
            day += time::Duration::days(days);
            let step = &all[s];
            if let Ok(next) = take(&w, step, ACTORS[a], day, open) {
                prop_assert!(
                    EDGES.iter().any(|(from, name, to)| *from == w.status
                        && *name == step.name()
                        && *to == next.status),
                    "{:?} --{}--> {:?}", w.status, step.name(), next.status
                );
                prop_assert_eq!(step.actor(), ACTORS[a]);
                if let Some(d) = next.deadline {
                    prop_assert!(is_working_day(d), "{d}");
                    // A new deadline lies ahead; one carried over (the admissibility
                    // check's) may have passed: the manager is late.
                    prop_assert!(d > day || next.deadline == w.deadline);
                }
                prop_assert!(next.objected >= w.objected, "an objection is never forgotten");
                w = next;
            }
        }
    }
}

#[test]
fn the_review_clock_pauses_while_the_provider_answers() {
    let open = |w: &Workflow, s: Step, actor: Actor, day: Date| {
        take(w, &s, actor, day, true).expect("allowed")
    };
    // Submitted on Monday 1 March 2027: admissibility is due 11 working days later.
    let submitted = open(
        &Workflow::draft(),
        Step::Submit,
        Actor::Provider,
        date!(2027 - 03 - 01),
    );
    assert_eq!(submitted.deadline, Some(date!(2027 - 03 - 16)));
    let checking = open(
        &submitted,
        Step::StartCheck,
        Actor::Manager,
        date!(2027 - 03 - 02),
    );
    assert_eq!(
        checking.deadline, submitted.deadline,
        "the same deadline runs on"
    );
    let review = open(
        &checking,
        Step::Admissible,
        Actor::Manager,
        date!(2027 - 03 - 03),
    );
    // 20 working days from Wednesday 3 March, over Goede Vrijdag and Tweede Paasdag: 2 April.
    assert_eq!(review.deadline, Some(date!(2027 - 04 - 02)));
    // Asked on 10 March with 15 working days left; the provider answers on 22 March.
    let asked = open(
        &review,
        Step::RequestInformation {
            question: "Wie geeft les?".into(),
        },
        Actor::Manager,
        date!(2027 - 03 - 10),
    );
    assert_eq!(asked.paused_working_days, Some(15));
    assert_eq!(asked.deadline, Some(date!(2027 - 03 - 24)));
    let answered = open(
        &asked,
        Step::Answer {
            answer: "Twee docenten.".into(),
        },
        Actor::Provider,
        date!(2027 - 03 - 22),
    );
    // 15 working days from 22 March, over Goede Vrijdag (26 March) and Tweede Paasdag (29 March).
    assert_eq!(answered.deadline, Some(date!(2027 - 04 - 14)));
    assert_eq!(
        working_days_between(date!(2027 - 03 - 22), date!(2027 - 04 - 14)),
        15
    );
}

#[test]
fn late_answers_and_second_objections_are_refused() {
    let w = Workflow {
        status: ApplicationStatus::InformationRequested,
        deadline: Some(date!(2027 - 03 - 24)),
        paused_working_days: Some(5),
        objected: false,
    };
    let late = take(
        &w,
        &Step::Answer {
            answer: "Te laat".into(),
        },
        Actor::Provider,
        date!(2027 - 03 - 25),
        true,
    );
    assert_eq!(late, Err(WorkflowError::TooLate(date!(2027 - 03 - 24))));
    assert_eq!(
        take(
            &w,
            &Step::Expire,
            Actor::System,
            date!(2027 - 03 - 24),
            true
        ),
        Err(WorkflowError::NotExpired)
    );
    let expired = take(
        &w,
        &Step::Expire,
        Actor::System,
        date!(2027 - 03 - 25),
        true,
    )
    .expect("expired");
    assert_eq!(expired.status, ApplicationStatus::Rejected);
    let objecting = take(
        &expired,
        &Step::Object {
            grounds: "Mail kwam niet aan".into(),
        },
        Actor::Provider,
        date!(2027 - 03 - 26),
        true,
    )
    .expect("objection");
    let dismissed = take(
        &objecting,
        &Step::Dismiss {
            reason: "Wel verstuurd".into(),
        },
        Actor::Manager,
        date!(2027 - 04 - 01),
        true,
    )
    .expect("dismissed");
    assert_eq!(dismissed.deadline, None, "final");
    assert_eq!(
        take(
            &dismissed,
            &Step::Object {
                grounds: "Nog eens".into()
            },
            Actor::Provider,
            date!(2027 - 04 - 02),
            true
        ),
        Err(WorkflowError::ObjectedBefore)
    );
    assert_eq!(
        take(
            &Workflow::draft(),
            &Step::Submit,
            Actor::Provider,
            date!(2027 - 04 - 02),
            false
        ),
        Err(WorkflowError::CallClosed)
    );
    assert_eq!(
        take(
            &Workflow::draft(),
            &Step::Submit,
            Actor::Manager,
            date!(2027 - 04 - 02),
            true
        ),
        Err(WorkflowError::NotYours)
    );
}

#[test]
fn scores_are_weighted_and_averaged_over_reviewers() {
    use crate::shared::Localized;
    let c = |w: u8| Criterion {
        name: Localized {
            nl: "x".into(),
            en: "x".into(),
        },
        weight: w,
    };
    let criteria = vec![c(3), c(1)];
    assert_eq!(weighted_score(&criteria, &[]), None);
    // 3*8 + 1*6 = 30 and 3*5 + 1*10 = 25: on average 27.5 points, in tenths 275.
    assert_eq!(
        weighted_score(&criteria, &[vec![8, 6], vec![5, 10]]),
        Some(275)
    );
    assert!(validate_scores(&criteria, &[8, 6]).is_ok());
    assert!(validate_scores(&criteria, &[8]).is_err());
    assert!(validate_scores(&criteria, &[8, 11]).is_err());
}
