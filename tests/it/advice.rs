//! Ontwikkeladvies: the draw of an advice programme's places is published so that anyone can
//! redo it, and an independent script (Python's standard library, not Leerpad's code) does.

use leerpad_domain::advice::{Entrant, PublishedDraw};
use std::process::Command;

fn redo(draw: &PublishedDraw) -> (bool, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("loting.json");
    std::fs::write(&file, serde_json::to_vec(draw).expect("json")).expect("write");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/advice/redo_draw.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(&file)
        .output()
        .expect("python3 runs");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn a_published_draw_is_redone_from_its_seed_by_an_independent_script() {
    // 2,000 registrations for 300 places; 60% kept for people with at most mbo 2 (one in four
    // registrations), 10% for a region, then open places, then the waitlist.
    let entrants: Vec<Entrant> = (0..2000)
        .map(|i| Entrant {
            registration: format!("ADV-{i:05}"),
            groups: [(i % 4 == 0, 0), (i % 10 == 3, 1)]
                .into_iter()
                .filter_map(|(yes, g)| yes.then_some(g))
                .collect(),
        })
        .collect();
    let reserves = [
        ("hoogstens mbo 2".to_owned(), 180),
        ("Parkstad Limburg".to_owned(), 30),
    ];
    let draw = PublishedDraw::draw("7f3a9c2e41d0b5e8", 300, &reserves, &entrants);
    let places = draw
        .result
        .iter()
        .filter(|l| !l.outcome.starts_with("waitlist"))
        .count();
    assert_eq!(places, 300);
    let (ok, said) = redo(&draw);
    assert!(ok, "{said}");
    assert!(said.contains("2000 registrations, 300 places"), "{said}");

    // A result changed after the draw (a place moved to someone else) is caught.
    let mut forged = draw.clone();
    let winner = forged
        .result
        .iter()
        .position(|l| l.outcome == "open")
        .expect("an open place");
    let loser = forged
        .result
        .iter()
        .position(|l| l.outcome == "waitlist 1")
        .expect("a waitlist");
    forged.result[winner].outcome = "waitlist 1".into();
    forged.result[loser].outcome = "open".into();
    let (ok, said) = redo(&forged);
    assert!(!ok, "{said}");
    assert!(said.contains("differs"), "{said}");
}
