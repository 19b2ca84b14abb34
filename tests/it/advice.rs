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

mod programmes {
    use crate::common::{START, apps};
    use leerpad_app::error::AppError;
    use leerpad_domain::advice::ports::{ProgrammeStatus, RegistrationStatus};
    use leerpad_domain::advice::programme::{ProgrammeDefinition, Reserve, Window};
    use leerpad_domain::financing::{Condition, EducationLevel, PersonFacts};
    use leerpad_domain::policy::Principal;
    use leerpad_domain::role::{Role, RoleSet};
    use leerpad_domain::shared::{Localized, Money, UserId};

    fn principal(id: i64, roles: &[Role]) -> Principal {
        Principal {
            user_id: UserId::new(id),
            email: format!("{id}@example.nl"),
            roles: RoleSet::new(roles.iter().copied()),
        }
    }

    fn text(nl: &str) -> Localized {
        Localized {
            nl: nl.into(),
            en: String::new(),
        }
    }

    /// 40 places, 60% for people with at most mbo 2; registration from START for a day.
    fn limburg() -> ProgrammeDefinition {
        ProgrammeDefinition {
            name: text("Ontwikkeladvies Limburg"),
            description: Localized::default(),
            funder: "Provincie Limburg".into(),
            capacity: 40,
            budget_per_advice: Money::from_cents(75_000),
            eligibility: serde_json::from_str(r#"{"age": {"min": 18}}"#).expect("rule"),
            reserves: vec![Reserve {
                name: text("hoogstens mbo 2"),
                percent: 60,
                who: Condition::EducationAtMost(EducationLevel::Mbo2),
            }],
            windows: vec![Window {
                opens: START,
                closes: START + 86_400,
            }],
            example: false,
        }
    }

    #[tokio::test]
    async fn a_window_is_drawn_once_when_it_closes_with_the_reserve_first() {
        for app in apps().await {
            let manager_id = app
                .user("beheer@example.nl", &[Role::ProgrammeManager])
                .await;
            let manager = principal(manager_id, &[Role::ProgrammeManager]);
            // Only programme managers define programmes, and a bad one is refused by field.
            let learner_id = app.user("leerling@example.nl", &[Role::Learner]).await;
            let denied = app
                .advice
                .create_programme(
                    &principal(learner_id, &[Role::Learner]),
                    "limburg",
                    ProgrammeStatus::Published,
                    &limburg(),
                )
                .await;
            assert!(matches!(denied, Err(AppError::Forbidden(_))), "{denied:?}");
            let mut bad = limburg();
            bad.reserves[0].percent = 120;
            let refused = app
                .advice
                .create_programme(&manager, "limburg", ProgrammeStatus::Published, &bad)
                .await;
            match refused {
                Err(AppError::InvalidFields(errors)) => {
                    assert!(errors.iter().any(|e| e.field == "reserves"), "{errors:?}")
                }
                other => panic!("{other:?}"),
            }
            app.advice
                .create_programme(&manager, "limburg", ProgrammeStatus::Published, &limburg())
                .await
                .expect("create");

            // 100 people register during the window, one in five with at most mbo 2; a
            // 16-year-old is refused.
            let mut people = Vec::new();
            for i in 0..100 {
                let id = app
                    .user(&format!("p{i}@example.nl"), &[Role::Learner])
                    .await;
                let who = principal(id, &[Role::Learner]);
                let facts = PersonFacts {
                    age: Some(30),
                    education: Some(if i % 5 == 0 {
                        EducationLevel::Mbo2
                    } else {
                        EducationLevel::Hbo
                    }),
                    municipality: Some("Heerlen".into()),
                    ..PersonFacts::default()
                };
                app.financing
                    .save_situation(&who, &facts)
                    .await
                    .expect("facts");
                let r = app
                    .advice
                    .register(&who, "limburg")
                    .await
                    .expect("register");
                assert_eq!(r.status, RegistrationStatus::Registered);
                assert_eq!(r.groups.is_empty(), i % 5 != 0);
                // Registering twice gives the same registration.
                let again = app.advice.register(&who, "limburg").await.expect("again");
                assert_eq!(again.id, r.id);
                people.push((who, i % 5 == 0));
            }
            let young_id = app.user("jong@example.nl", &[Role::Learner]).await;
            let young = principal(young_id, &[Role::Learner]);
            let facts = PersonFacts {
                age: Some(16),
                ..PersonFacts::default()
            };
            app.financing
                .save_situation(&young, &facts)
                .await
                .expect("facts");
            let too_young = app.advice.register(&young, "limburg").await;
            assert!(
                matches!(too_young, Err(AppError::Conflict(_))),
                "{too_young:?}"
            );

            // Nothing happens before the window closes.
            app.clock.advance(86_399);
            assert_eq!(app.jobs.run_due().await.expect("jobs"), 0);
            assert!(
                app.advice
                    .published_draw("limburg", START)
                    .await
                    .expect("draw")
                    .is_none()
            );
            // The draw waits a minute for registrations on their way at the closing moment.
            app.clock.advance(1);
            assert_eq!(app.jobs.run_due().await.expect("jobs"), 0);
            app.clock.advance(leerpad_app::advice::DRAW_GRACE_SECS);
            assert_eq!(app.jobs.run_due().await.expect("jobs"), 1);
            // The job never runs twice.
            app.clock.advance(3_600);
            assert_eq!(app.jobs.run_due().await.expect("jobs"), 0);

            let draw = app
                .advice
                .published_draw("limburg", START)
                .await
                .expect("draw")
                .expect("published");
            let mut places = 0;
            let mut reserved = 0;
            let mut waitlisted = 0;
            for (who, low) in &people {
                let r = app
                    .advice
                    .my_registration(who, "limburg")
                    .await
                    .expect("mine")
                    .expect("registered");
                match r.status {
                    RegistrationStatus::Allocated => {
                        places += 1;
                        if r.reserve == Some(0) {
                            assert!(low, "a reserved place went outside the group");
                            reserved += 1;
                        }
                    }
                    RegistrationStatus::Waitlisted => waitlisted += 1,
                    other => panic!("{other:?}"),
                }
            }
            // 40 places; 24 kept for the 20 people with at most mbo 2 (all of them win).
            assert_eq!((places, reserved, waitlisted), (40, 20, 60));
            assert_eq!(draw.registrations.len(), 100);
            let (ok, said) = super::redo(&draw);
            assert!(ok, "{said}");

            // The managers' figures: on the page (chart with its numbers) and as CSV.
            let (mut regie, _) = app
                .logged_in("regie@example.nl", &[Role::ProgrammeManager])
                .await;
            let page = regie.get("/beheer/advies/limburg").await;
            assert_eq!(page.status, axum::http::StatusCode::OK, "{}", page.text);
            assert!(page.text.contains("Plaats gekregen"), "{}", page.text);
            assert!(
                page.text.contains("<span class=\"bar-value\">40</span>"),
                "{}",
                page.text
            );
            let csv = regie.get("/beheer/advies/limburg/cijfers.csv").await;
            assert_eq!(csv.status, axum::http::StatusCode::OK);
            let lines: Vec<&str> = csv.text.lines().collect();
            assert_eq!(
                lines[0],
                "slice,name,registrations,waiting,allocated,waitlisted,cancelled,booked,held,no_shows"
            );
            assert_eq!(lines[1], "total,,100,0,40,60,0,0,0,0");
            assert!(
                lines.contains(&"target_group,hoogstens mbo 2,20,0,20,0,0,0,0,0"),
                "{lines:?}"
            );
            assert!(
                lines
                    .iter()
                    .any(|l| l.starts_with("region,Zuid-Limburg,100,")),
                "{lines:?}"
            );
            let (mut learner, _) = app
                .logged_in("nieuwsgierig@example.nl", &[Role::Learner])
                .await;
            assert_eq!(
                learner.get("/beheer/advies/limburg").await.status,
                axum::http::StatusCode::FORBIDDEN
            );
        }
    }

    #[tokio::test]
    async fn a_learner_registers_on_the_page_and_sees_where_she_stands() {
        for app in apps().await {
            let manager_id = app
                .user("beheer@example.nl", &[Role::ProgrammeManager])
                .await;
            let manager = principal(manager_id, &[Role::ProgrammeManager]);
            app.advice
                .create_programme(&manager, "limburg", ProgrammeStatus::Published, &limburg())
                .await
                .expect("create");
            let mut visitor = app.client();
            let page = visitor.get("/advies").await;
            assert_eq!(page.status, axum::http::StatusCode::OK);
            assert!(
                page.text.contains("Ontwikkeladvies Limburg"),
                "{}",
                page.text
            );
            assert!(page.text.contains("40 plaatsen"), "{}", page.text);
            let page = visitor.get("/advies/limburg").await;
            assert!(page.text.contains("Log in om te zien"), "{}", page.text);
            // Reserve and window in words and Dutch time.
            assert!(
                page.text.contains("60% van de plaatsen (24)"),
                "{}",
                page.text
            );
            assert!(page.text.contains(" om "), "{}", page.text);

            let (mut client, id) = app.logged_in("sanne@example.nl", &[Role::Learner]).await;
            let sanne = principal(id, &[Role::Learner]);
            let facts = PersonFacts {
                age: Some(44),
                education: Some(EducationLevel::Mbo2),
                municipality: Some("Heerlen".into()),
                ..PersonFacts::default()
            };
            app.financing
                .save_situation(&sanne, &facts)
                .await
                .expect("facts");
            let page = client.get("/advies/limburg").await;
            assert!(page.text.contains("Je kunt meedoen"), "{}", page.text);
            let done = client
                .submit("/advies/limburg", "/advies/limburg/aanmelden", &[])
                .await;
            assert_eq!(
                done.status,
                axum::http::StatusCode::SEE_OTHER,
                "{}",
                done.text
            );
            let page = client.get("/advies/limburg").await;
            assert!(page.text.contains("je bent aangemeld"), "{}", page.text);
            // Without the form's token nothing happens.
            let forged = client.form("/advies/limburg/aanmelden", &[]).await;
            assert_eq!(forged.status, axum::http::StatusCode::FORBIDDEN);

            // After the window: the draw is published as a file anyone can read and redo.
            app.clock
                .advance(86_400 + leerpad_app::advice::DRAW_GRACE_SECS);
            app.jobs.run_due().await.expect("jobs");
            // (A day later the session has ended: sign in again.)
            let mut client = app.client();
            client
                .log_in_page("sanne@example.nl", crate::common::PASSWORD)
                .await;
            let page = client.get("/advies/limburg").await;
            assert!(page.text.contains("je hebt een plaats"), "{}", page.text);
            let file = format!("/advies/limburg/lotingen/{START}.json");
            assert!(page.text.contains(&file), "{}", page.text);
            let published = visitor.get(&file).await;
            assert_eq!(published.status, axum::http::StatusCode::OK);
            let draw: leerpad_domain::advice::PublishedDraw =
                serde_json::from_str(&published.text).expect("draw");
            assert_eq!(draw.registrations.len(), 1);
            assert!(!published.text.contains("sanne"), "no names in the draw");
            let (ok, said) = super::redo(&draw);
            assert!(ok, "{said}");
        }
    }

    #[tokio::test]
    async fn the_demo_has_a_programme_with_an_open_window_and_one_giving_places_at_once() {
        for app in apps().await {
            assert_eq!(app.advice.seed_examples().await.expect("seed"), 2);
            assert_eq!(app.advice.seed_examples().await.expect("again"), 0);
            let password = crate::common::PASSWORD;
            let advisors = app
                .advice
                .seed_example_advisors(&app.accounts, password)
                .await
                .expect("advisors");
            assert_eq!(advisors, 4);
            assert_eq!(
                app.advice
                    .seed_example_advisors(&app.accounts, password)
                    .await
                    .expect("again"),
                0
            );
            // Example learners with a history: three wait for Limburg's draw; in the national
            // programme two talks were held and one missed (places count once, by their held
            // talk; Anna's follow-up talk is on Fatima's list below).
            let learners = app
                .advice
                .seed_example_history(&app.accounts, password)
                .await
                .expect("history");
            assert_eq!(learners, 6);
            assert_eq!(
                app.advice
                    .seed_example_history(&app.accounts, password)
                    .await
                    .expect("again"),
                0
            );
            let manager = principal(
                app.user("beheer@example.nl", &[Role::ProgrammeManager])
                    .await,
                &[Role::ProgrammeManager],
            );
            let (_, figures) = app
                .advice
                .figures(&manager, "ontwikkeladvies-limburg")
                .await
                .expect("figures");
            assert_eq!((figures.total.registrations, figures.total.waiting), (3, 3));
            let (_, figures) = app
                .advice
                .figures(&manager, "ontwikkeladvies-nl-leert-door")
                .await
                .expect("figures");
            let t = &figures.total;
            assert_eq!(
                (t.registrations, t.allocated, t.held, t.no_shows, t.booked),
                (3, 3, 2, 1, 0),
                "{t:?}"
            );
            // Anna signs in: her plan in two versions with her response, and her log shows the
            // advisor who read her profile with her consent.
            let mut anna = app.client();
            anna.log_in_page("anna.janssen@voorbeeld.leerpad.nl", password)
                .await;
            let plan = anna.get("/advies/ontwikkeladvies-nl-leert-door/plan").await;
            assert!(plan.text.contains("verzorgende IG"), "{}", plan.text);
            assert!(plan.text.contains("Versie 2"), "{}", plan.text);
            assert!(plan.text.contains("naast mijn werk"), "{}", plan.text);
            let log = anna.get("/inzage").await;
            assert!(
                log.text.contains("fatima.elamrani@voorbeeld.leerpad.nl"),
                "{}",
                log.text
            );
            // Her learning account: a budget, a course paid, a refund (data/ledger/examples.toml).
            let steps = app.ledger.seed_examples().await.expect("ledger examples");
            assert!(steps > 10, "{steps}");
            assert_eq!(app.ledger.seed_examples().await.expect("again"), 0);
            let account = anna.get("/leerrekening").await;
            for text in ["Terugbetaling", "Zorgacademie Parkstad", "€ 245,-"] {
                assert!(account.text.contains(text), "{text}: {}", account.text);
            }
            // Fatima signs in and sees her appointments.
            let mut fatima = app.client();
            fatima
                .log_in_page("fatima.elamrani@voorbeeld.leerpad.nl", password)
                .await;
            let desk = fatima.get("/adviseur").await;
            assert!(desk.text.contains("Anna Janssen"), "{}", desk.text);
            // A learner with a place in the national programme sees their free times.
            let id = app.user("demo@example.nl", &[Role::Learner]).await;
            let learner = principal(id, &[Role::Learner]);
            let facts = PersonFacts {
                age: Some(44),
                ..PersonFacts::default()
            };
            app.financing
                .save_situation(&learner, &facts)
                .await
                .expect("facts");
            app.advice
                .register(&learner, "ontwikkeladvies-nl-leert-door")
                .await
                .expect("register");
            let choices = app
                .advice
                .advisors_for(
                    &learner,
                    "ontwikkeladvies-nl-leert-door",
                    &leerpad_app::advice::SlotFilter::default(),
                )
                .await
                .expect("advisors");
            assert_eq!(choices.len(), 4);
            assert!(
                choices
                    .iter()
                    .all(|c| c.advisor.profile.example && !c.slots.is_empty())
            );
            let all = app.advice.programmes(None).await.expect("list");
            let limburg = all
                .iter()
                .find(|p| p.slug == "ontwikkeladvies-limburg")
                .expect("limburg");
            assert!(limburg.definition.example);
            assert!(limburg.definition.open_window(START).is_some());
            let national = all
                .iter()
                .find(|p| p.slug == "ontwikkeladvies-nl-leert-door")
                .expect("national");
            assert!(national.definition.windows.is_empty());
            let mut client = app.client();
            let home = client.get("/").await;
            assert!(home.text.contains("href=\"/advies\""), "{}", home.text);
            let page = client.get("/advies").await;
            assert!(
                page.text.contains("2 programma&#39;s") || page.text.contains("2 programma's"),
                "{}",
                page.text
            );
            assert!(
                page.text.contains("class=\"badge\">Voorbeeld"),
                "{}",
                page.text
            );
        }
    }

    #[tokio::test]
    async fn a_learner_moves_her_appointment_in_one_step() {
        for app in apps().await {
            let password = crate::common::PASSWORD;
            app.advice.seed_examples().await.expect("programmes");
            app.advice
                .seed_example_advisors(&app.accounts, password)
                .await
                .expect("advisors");
            app.advice
                .seed_example_history(&app.accounts, password)
                .await
                .expect("history");
            let slug = "ontwikkeladvies-nl-leert-door";
            let anna_email = "anna.janssen@voorbeeld.leerpad.nl";
            let anna_id = app
                .store()
                .user_by_email(anna_email)
                .await
                .expect("read")
                .expect("anna")
                .id;
            let anna = principal(anna_id.get(), &[Role::Learner]);
            let planned = |list: &[leerpad_domain::advice::ports::Appointment]| {
                list.iter()
                    .filter(|a| {
                        a.status == leerpad_domain::advice::ports::AppointmentStatus::Booked
                    })
                    .cloned()
                    .collect::<Vec<_>>()
            };
            let before = planned(&app.advice.my_appointments(&anna, slug).await.expect("mine"));
            assert_eq!(before.len(), 1);
            let old = &before[0];

            let mut client = app.client();
            client.log_in_page(anna_email, password).await;
            let page = client.get(&format!("/advies/{slug}")).await;
            let link = format!("/advies/{slug}/afspraak?verzetten={}", old.id);
            assert!(
                page.text.contains(&link.replace('&', "&amp;")) || page.text.contains(&link),
                "{}",
                page.text
            );
            let choose = client.get(&link).await;
            assert!(
                choose.text.contains("Je verzet je afspraak"),
                "{}",
                choose.text
            );
            // Fatima's first free time (her own planned time is not offered).
            let section = choose
                .text
                .split(&format!("id=\"advisor-{}\"", old.advisor_id))
                .nth(1)
                .expect("her advisor");
            let field = |name: &str| {
                section
                    .split(&format!("name=\"{name}\" value=\""))
                    .nth(1)
                    .and_then(|rest| rest.split('"').next())
                    .expect("field")
                    .to_owned()
            };
            let (time, key, moving) = (field("starts_at"), field("key"), field("verzetten"));
            assert_eq!(moving, old.id.to_string());
            let advisor = old.advisor_id.to_string();
            let form = [
                ("advisor", advisor.as_str()),
                ("starts_at", time.as_str()),
                ("mode", old.mode.as_str()),
                ("key", key.as_str()),
                ("verzetten", moving.as_str()),
            ];
            let moved = client
                .submit(&link, &format!("/advies/{slug}/afspraak"), &form)
                .await;
            assert_eq!(
                moved.status,
                axum::http::StatusCode::SEE_OTHER,
                "{}",
                moved.text
            );
            let after = app.advice.my_appointments(&anna, slug).await.expect("mine");
            let now_planned = planned(&after);
            assert_eq!(now_planned.len(), 1, "{after:?}");
            assert_eq!(now_planned[0].slot.starts_at.to_string(), time);
            assert!(after.iter().any(|a| a.id == old.id
                && a.status == leerpad_domain::advice::ports::AppointmentStatus::Cancelled));

            // Moving the old one again is refused, and her new time stays.
            let again = client
                .submit(
                    &format!("/advies/{slug}/afspraak?verzetten={}", old.id),
                    &format!("/advies/{slug}/afspraak"),
                    &[
                        ("advisor", advisor.as_str()),
                        ("starts_at", time.as_str()),
                        ("mode", old.mode.as_str()),
                        ("key", "another-key"),
                        ("verzetten", moving.as_str()),
                    ],
                )
                .await;
            assert_eq!(
                again.status,
                axum::http::StatusCode::CONFLICT,
                "{}",
                again.text
            );
            let still = planned(&app.advice.my_appointments(&anna, slug).await.expect("mine"));
            assert_eq!(still.len(), 1);
            assert_eq!(still[0].id, now_planned[0].id);
        }
    }

    #[tokio::test]
    async fn a_programme_manager_defines_and_edits_a_programme_on_a_page() {
        for app in apps().await {
            let (mut manager, _) = app
                .logged_in("beheer@example.nl", &[Role::ProgrammeManager])
                .await;
            let (mut learner, _) = app.logged_in("leerling@example.nl", &[Role::Learner]).await;
            assert_eq!(
                learner.get("/beheer/advies/nieuw").await.status,
                axum::http::StatusCode::FORBIDDEN
            );
            let form = manager.get("/beheer/advies/nieuw").await;
            assert_eq!(form.status, axum::http::StatusCode::OK);
            let template = form
                .text_between("name=\"definition\" rows=\"30\" spellcheck=\"false\" aria-describedby=\"definition-hint\">", '<')
                .expect("the template");
            let definition = template
                .replace("&quot;", "\"")
                .replace("&#34;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
                .replace("funder = \"\"", "funder = \"Regio Twente\"");
            // Too much reserved and a time that is no time: each said in Dutch, nothing saved.
            let wrong = definition
                .replace("percent = 60", "percent = 150")
                .replace("2027-03-15 17:00", "15 maart");
            let refused = manager
                .submit(
                    "/beheer/advies/nieuw",
                    "/beheer/advies/nieuw",
                    &[
                        ("slug", "advies-twente"),
                        ("status", "published"),
                        ("definition", wrong.as_str()),
                    ],
                )
                .await;
            assert_eq!(
                refused.status,
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                refused.text
            );
            assert!(refused.text.contains("is geen tijd"), "{}", refused.text);
            assert!(app.advice.programme(None, "advies-twente").await.is_err());
            let too_much = definition.replace("percent = 60", "percent = 150");
            let refused = manager
                .submit(
                    "/beheer/advies/nieuw",
                    "/beheer/advies/nieuw",
                    &[
                        ("slug", "advies-twente"),
                        ("status", "published"),
                        ("definition", too_much.as_str()),
                    ],
                )
                .await;
            assert!(
                refused.text.contains("150 procent van de plaatsen"),
                "{}",
                refused.text
            );

            let created = manager
                .submit(
                    "/beheer/advies/nieuw",
                    "/beheer/advies/nieuw",
                    &[
                        ("slug", "advies-twente"),
                        ("status", "published"),
                        ("definition", definition.as_str()),
                    ],
                )
                .await;
            assert_eq!(
                created.status,
                axum::http::StatusCode::SEE_OTHER,
                "{}",
                created.text
            );
            assert_eq!(created.location(), Some("/beheer/advies/advies-twente"));
            let p = app
                .advice
                .programme(None, "advies-twente")
                .await
                .expect("published");
            assert_eq!(p.definition.funder, "Regio Twente");
            assert_eq!(p.definition.windows.len(), 1);
            assert_eq!(
                leerpad_domain::advice::advisors::format_local_minute(
                    p.definition.windows[0].opens
                )
                .as_deref(),
                Some("2027-03-01 09:00")
            );
            // Its window's draw is planned for when it closes.
            assert!(
                learner
                    .get("/advies/advies-twente")
                    .await
                    .text
                    .contains("1 maart 2027")
            );

            // Editing: the window in local time; an edit from an old version is refused.
            let edit = manager.get("/beheer/advies/advies-twente/bewerken").await;
            assert!(edit.text.contains("2027-03-01 09:00"), "{}", edit.text);
            let version = p.version.to_string();
            let bigger = definition.replace("capacity = 1000", "capacity = 1200");
            let saved = manager
                .submit(
                    "/beheer/advies/advies-twente/bewerken",
                    "/beheer/advies/advies-twente/bewerken",
                    &[
                        ("version", version.as_str()),
                        ("status", "published"),
                        ("definition", bigger.as_str()),
                    ],
                )
                .await;
            assert_eq!(
                saved.status,
                axum::http::StatusCode::SEE_OTHER,
                "{}",
                saved.text
            );
            let stale = manager
                .submit(
                    "/beheer/advies/advies-twente/bewerken",
                    "/beheer/advies/advies-twente/bewerken",
                    &[
                        ("version", version.as_str()),
                        ("status", "published"),
                        ("definition", definition.as_str()),
                    ],
                )
                .await;
            assert_eq!(
                stale.status,
                axum::http::StatusCode::CONFLICT,
                "{}",
                stale.text
            );
            let p = app
                .advice
                .programme(None, "advies-twente")
                .await
                .expect("kept");
            assert_eq!(p.definition.capacity, 1200);
            let list = manager.get("/beheer/advies").await;
            assert!(
                list.text.contains("/beheer/advies/advies-twente/bewerken"),
                "{}",
                list.text
            );
        }
    }

    /// A place given at once: no windows.
    fn national() -> ProgrammeDefinition {
        ProgrammeDefinition {
            name: text("Ontwikkeladvies nu"),
            capacity: 1,
            windows: Vec::new(),
            reserves: Vec::new(),
            eligibility: Condition::always(),
            ..limburg()
        }
    }

    fn parse_ics(ics: &str) -> (bool, String) {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("afspraak.ics");
        std::fs::write(&file, ics).expect("write");
        // An independent parser (PyPI icalendar): one event, its start, end and status.
        let script = "import sys, icalendar\n\
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n\
            ev = [c for c in cal.walk('VEVENT')]\n\
            assert len(ev) == 1, len(ev)\n\
            e = ev[0]\n\
            print(int(e.decoded('DTSTART').timestamp()), int(e.decoded('DTEND').timestamp()), str(e.get('STATUS')), str(e.get('UID')))\n";
        let out = std::process::Command::new("python3")
            .args(["-c", script])
            .arg(&file)
            .output()
            .expect("python3");
        let ok = out.status.success();
        if !ok
            && std::env::var("CI").is_err()
            && String::from_utf8_lossy(&out.stderr).contains("No module named")
        {
            return (
                true,
                "skipped: icalendar not installed (pip install icalendar)".into(),
            );
        }
        (
            ok,
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    }

    #[tokio::test]
    async fn an_advisor_sets_hours_a_learner_books_gets_a_calendar_file_and_passes_her_place_on() {
        for app in apps().await {
            let manager_id = app
                .user("beheer@example.nl", &[Role::ProgrammeManager])
                .await;
            let manager = principal(manager_id, &[Role::ProgrammeManager]);
            app.advice
                .create_programme(
                    &manager,
                    "advies-nu",
                    ProgrammeStatus::Published,
                    &national(),
                )
                .await
                .expect("create");

            // The advisor fills in the form; a wrong time is named in Dutch.
            let (mut advisor, advisor_id) =
                app.logged_in("fatima@example.nl", &[Role::Advisor]).await;
            let mut fields = vec![
                ("name", "Fatima El Amrani"),
                ("organisation", "Loopbaanbureau Parkstad"),
                ("certification", "Noloc-register 10234"),
                ("specialisms", "zorg, zij-instromers"),
                ("languages", "nl, ar"),
                ("mode_video", "on"),
                ("mode_office", "on"),
                ("place", "Heerlen"),
                ("appointment_minutes", "60"),
                ("buffer_minutes", "15"),
                ("max_per_day", "4"),
                ("from_1", "9:00"),
                ("until_1", "12u"),
            ];
            let wrong = advisor.submit("/adviseur", "/adviseur", &fields).await;
            assert_eq!(wrong.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
            assert!(
                wrong.text.contains("Vul een tijd in zoals 09:00"),
                "{}",
                wrong.text
            );
            fields.pop();
            fields.push(("until_1", "12:30"));
            fields.push(("from_3", "13:00"));
            fields.push(("until_3", "17:00"));
            let saved = advisor.submit("/adviseur", "/adviseur", &fields).await;
            assert_eq!(saved.status, axum::http::StatusCode::OK, "{}", saved.text);
            assert!(saved.text.contains("zijn opgeslagen"), "{}", saved.text);

            // Two learners: Sanne gets the one place, Ahmed waits.
            let (mut sanne, sanne_id) = app.logged_in("sanne@example.nl", &[Role::Learner]).await;
            let (mut ahmed, ahmed_id) = app.logged_in("ahmed@example.nl", &[Role::Learner]).await;
            for c in [&mut sanne, &mut ahmed] {
                let r = c
                    .submit("/advies/advies-nu", "/advies/advies-nu/aanmelden", &[])
                    .await;
                assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{}", r.text);
            }
            let page = ahmed.get("/advies/advies-nu").await;
            assert!(
                page.text.contains("nummer 1 op de wachtlijst"),
                "{}",
                page.text
            );
            let page = sanne.get("/advies/advies-nu").await;
            assert!(page.text.contains("je hebt een plaats"), "{}", page.text);
            // Ahmed has no place: no appointments for him.
            let refused = ahmed.get("/advies/advies-nu/afspraak").await;
            assert_eq!(
                refused.status,
                axum::http::StatusCode::CONFLICT,
                "{}",
                refused.text
            );

            // Sanne filters on language and way of meeting, then books the first time.
            let choose = sanne
                .get("/advies/advies-nu/afspraak?vorm=video&taal=ar")
                .await;
            assert_eq!(choose.status, axum::http::StatusCode::OK, "{}", choose.text);
            assert!(choose.text.contains("Fatima El Amrani"), "{}", choose.text);
            assert!(choose.text.contains("Arabisch"), "{}", choose.text);
            let none = sanne.get("/advies/advies-nu/afspraak?taal=pl").await;
            assert!(none.text.contains("Er is geen adviseur"), "{}", none.text);
            let first_time = choose
                .text
                .split("name=\"starts_at\" value=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .expect("a time")
                .to_owned();
            let key = choose
                .text
                .split("name=\"key\" value=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .expect("a key")
                .to_owned();
            let advisor_field = advisor_id.to_string();
            let booking = [
                ("advisor", advisor_field.as_str()),
                ("starts_at", first_time.as_str()),
                ("mode", "video"),
                ("key", key.as_str()),
            ];
            let booked = sanne
                .submit(
                    "/advies/advies-nu/afspraak",
                    "/advies/advies-nu/afspraak",
                    &booking,
                )
                .await;
            assert_eq!(
                booked.status,
                axum::http::StatusCode::SEE_OTHER,
                "{}",
                booked.text
            );
            // The same form sent twice (a double click) books once.
            let again = sanne
                .submit(
                    "/advies/advies-nu/afspraak",
                    "/advies/advies-nu/afspraak",
                    &booking,
                )
                .await;
            assert_eq!(
                again.status,
                axum::http::StatusCode::SEE_OTHER,
                "{}",
                again.text
            );
            let mine = app
                .advice
                .my_appointments(&principal(sanne_id, &[Role::Learner]), "advies-nu")
                .await
                .expect("mine");
            assert_eq!(mine.len(), 1);
            let page = sanne.get("/advies/advies-nu").await;
            assert!(page.text.contains("Fatima El Amrani"), "{}", page.text);
            let ics_path = format!("/afspraken/{}.ics", mine[0].id);
            assert!(page.text.contains(&ics_path), "{}", page.text);

            // The calendar file parses with an independent parser and says the same times.
            let ics = sanne.get(&ics_path).await;
            assert_eq!(ics.status, axum::http::StatusCode::OK);
            assert!(
                ics.header("content-type")
                    .is_some_and(|t| t.starts_with("text/calendar")),
                "{:?}",
                ics.headers
            );
            let (ok, said) = parse_ics(&ics.text);
            assert!(ok, "{said}\n{}", ics.text);
            if !said.starts_with("skipped") {
                let expected = format!(
                    "{} {} CONFIRMED",
                    mine[0].slot.starts_at, mine[0].slot.ends_at
                );
                assert!(said.starts_with(&expected), "{said} vs {expected}");
            }
            // Nobody else reads her appointment.
            assert_eq!(
                ahmed.get(&ics_path).await.status,
                axum::http::StatusCode::NOT_FOUND
            );

            // The advisor writes the development plan; Sanne owns it.
            let plan_page = format!("/adviseur/afspraken/{}/plan", mine[0].id);
            let editor = advisor.get(&plan_page).await;
            assert_eq!(editor.status, axum::http::StatusCode::OK, "{}", editor.text);
            assert!(editor.text.contains("geen toestemming"), "{}", editor.text);
            let no_goals = advisor
                .submit(&plan_page, &plan_page, &[("goals", "")])
                .await;
            assert_eq!(
                no_goals.status,
                axum::http::StatusCode::UNPROCESSABLE_ENTITY
            );
            assert!(
                no_goals.text.contains("Vul de doelen in."),
                "{}",
                no_goals.text
            );
            let written = advisor
                .submit(
                    &plan_page,
                    &plan_page,
                    &[
                        ("situation", "Werkt 20 jaar in de winkel in Heerlen."),
                        ("goals", "Binnen een jaar werken als verzorgende IG."),
                        ("occupations", "verzorgende IG, helpende zorg en welzijn"),
                        (
                            "agreements",
                            "Sanne bekijkt de bbl-opleiding; Fatima belt een zorginstelling.",
                        ),
                        ("follow_up", "2027-03-01"),
                    ],
                )
                .await;
            assert_eq!(
                written.status,
                axum::http::StatusCode::SEE_OTHER,
                "{}",
                written.text
            );
            let plan = sanne.get("/advies/advies-nu/plan").await;
            assert!(plan.text.contains("Versie 1"), "{}", plan.text);
            assert!(plan.text.contains("verzorgende IG"), "{}", plan.text);
            assert!(plan.text.contains("1 maart 2027"), "{}", plan.text);
            let commented = sanne
                .submit(
                    "/advies/advies-nu/plan",
                    "/advies/advies-nu/plan/reactie",
                    &[
                        ("version", "1"),
                        ("text", "Ik wil liever in de thuiszorg werken."),
                    ],
                )
                .await;
            assert_eq!(
                commented.status,
                axum::http::StatusCode::SEE_OTHER,
                "{}",
                commented.text
            );
            assert!(
                advisor
                    .get(&plan_page)
                    .await
                    .text
                    .contains("liever in de thuiszorg")
            );
            // Ahmed cannot read or change her plan.
            assert_eq!(
                ahmed.get(&plan_page).await.status,
                axum::http::StatusCode::FORBIDDEN
            );
            // Consent: only then the advisor sees her profile, and the access is in her log.
            assert!(sanne.get("/inzage").await.text.contains("Niemand anders"));
            let advisor_field = advisor_id.to_string();
            let given = sanne
                .submit(
                    "/advies/advies-nu/plan",
                    "/advies/advies-nu/plan/toestemming",
                    &[("advisor", advisor_field.as_str()), ("give", "ja")],
                )
                .await;
            assert_eq!(
                given.status,
                axum::http::StatusCode::SEE_OTHER,
                "{}",
                given.text
            );
            // Her profile says where she lives and what she does: the advisor also sees
            // growing work in her region that asks many of the same skills.
            let job = sanne
                .post_json(
                    "/api/v1/me/profile/occupations",
                    serde_json::json!({"title": "verkoopmedewerker", "current": true}),
                )
                .await;
            assert_eq!(job.status, axum::http::StatusCode::OK, "{}", job.text);
            let home = sanne
                .submit(
                    "/vaardigheden",
                    "/vaardigheden/situatie",
                    &[("municipality", "Heerlen")],
                )
                .await;
            assert_eq!(
                home.status,
                axum::http::StatusCode::SEE_OTHER,
                "{}",
                home.text
            );
            let editor = advisor.get(&plan_page).await;
            assert!(
                editor.text.contains("De deelnemer gaf toestemming"),
                "{}",
                editor.text
            );
            assert!(
                editor.text.contains("Werk met toekomst in Zuid-Limburg"),
                "{}",
                editor.text
            );
            assert!(editor.text.contains("href=\"/regio/zuid-limburg\""));
            let log = sanne.get("/inzage").await;
            assert!(log.text.contains("fatima@example.nl"), "{}", log.text);
            assert!(
                log.text.contains("je vaardigheden en werkervaring"),
                "{}",
                log.text
            );
            let withdrawn = sanne
                .submit(
                    "/advies/advies-nu/plan",
                    "/advies/advies-nu/plan/toestemming",
                    &[("advisor", advisor_field.as_str()), ("give", "nee")],
                )
                .await;
            assert_eq!(withdrawn.status, axum::http::StatusCode::SEE_OTHER);
            assert!(
                advisor
                    .get(&plan_page)
                    .await
                    .text
                    .contains("geen toestemming")
            );
            // She gives it again; it ends by itself after 90 days (see the end).
            let again = sanne
                .submit(
                    "/advies/advies-nu/plan",
                    "/advies/advies-nu/plan/toestemming",
                    &[("advisor", advisor_field.as_str()), ("give", "ja")],
                )
                .await;
            assert_eq!(again.status, axum::http::StatusCode::SEE_OTHER);
            // She takes the plan along, then deletes it.
            let export = sanne.get("/advies/advies-nu/plan.json").await;
            let exported: serde_json::Value = serde_json::from_str(&export.text).expect("json");
            assert_eq!(exported["versions"].as_array().map(Vec::len), Some(1));
            assert_eq!(exported["comments"].as_array().map(Vec::len), Some(1));
            let deleted = sanne
                .submit(
                    "/advies/advies-nu/plan",
                    "/advies/advies-nu/plan/verwijderen",
                    &[],
                )
                .await;
            assert_eq!(deleted.status, axum::http::StatusCode::SEE_OTHER);
            assert!(
                sanne
                    .get("/advies/advies-nu/plan")
                    .await
                    .text
                    .contains("Er is nog geen plan")
            );

            // The advisor sees it; its outcome can be recorded once it has started.
            let list = advisor.get("/adviseur").await;
            assert!(list.text.contains("gepland"), "{}", list.text);
            let early = app
                .advice
                .record_outcome(
                    &principal(advisor_id, &[Role::Advisor]),
                    mine[0].id,
                    leerpad_domain::advice::ports::AppointmentStatus::NoShow,
                )
                .await;
            assert!(matches!(early, Err(AppError::Conflict(_))), "{early:?}");

            // A day before, a reminder is written (once), in her language; an hour before,
            // another.
            let before = mine[0].slot.starts_at
                - 86_400
                - leerpad_domain::clock::Clock::now(app.clock.as_ref());
            app.clock.advance(before);
            assert_eq!(app.jobs.run_due().await.expect("jobs"), 1);
            assert_eq!(app.jobs.run_due().await.expect("jobs"), 0);
            let mut sanne = app.client();
            sanne
                .log_in_page("sanne@example.nl", crate::common::PASSWORD)
                .await;
            let messages = sanne.get("/berichten").await;
            assert!(
                messages
                    .text
                    .contains("Morgen: je gesprek met je loopbaanadviseur"),
                "{}",
                messages.text
            );
            assert!(
                messages.text.contains("Fatima El Amrani"),
                "{}",
                messages.text
            );
            let mut ahmed = app.client();
            ahmed
                .log_in_page("ahmed@example.nl", crate::common::PASSWORD)
                .await;
            assert!(
                !ahmed.get("/berichten").await.text.contains("Morgen:"),
                "only Sanne's"
            );

            // Sanne gives up her place: her appointment is cancelled, Ahmed gets the place.
            let gone = sanne
                .submit("/advies/advies-nu", "/advies/advies-nu/plaats-opgeven", &[])
                .await;
            assert_eq!(
                gone.status,
                axum::http::StatusCode::SEE_OTHER,
                "{}",
                gone.text
            );
            let page = ahmed.get("/advies/advies-nu").await;
            assert!(page.text.contains("je hebt een plaats"), "{}", page.text);
            let page = sanne.get("/advies/advies-nu").await;
            assert!(page.text.contains("afgezegd"), "{}", page.text);
            let r = app
                .advice
                .my_registration(&principal(ahmed_id, &[Role::Learner]), "advies-nu")
                .await
                .expect("his")
                .expect("registered");
            assert_eq!(r.status, RegistrationStatus::Allocated);
            let told = ahmed.get("/berichten").await;
            assert!(told.text.contains("Je hebt een plaats"), "{}", told.text);
            // The hour-before reminder of the cancelled appointment says nothing.
            app.clock.advance(23 * 3_600);
            assert_eq!(app.jobs.run_due().await.expect("jobs"), 1);
            let reminders = app
                .store()
                .messages_of(leerpad_domain::shared::UserId::new(sanne_id), 10)
                .await
                .expect("messages");
            assert_eq!(reminders.len(), 1, "{reminders:?}");

            // 90 days after she gave it, her consent ends by a job (once), and she is told.
            let store = app.store();
            let sanne_uid = leerpad_domain::shared::UserId::new(sanne_id);
            let fatima_uid = leerpad_domain::shared::UserId::new(advisor_id);
            assert!(
                store
                    .consent_until(sanne_uid, fatima_uid)
                    .await
                    .expect("consent")
                    .is_some()
            );
            app.clock
                .advance(leerpad_app::advice::CONSENT_DAYS * 86_400);
            assert!(app.jobs.run_due().await.expect("jobs") >= 1);
            assert_eq!(
                store
                    .consent_until(sanne_uid, fatima_uid)
                    .await
                    .expect("consent"),
                None
            );
            let told = store.messages_of(sanne_uid, 10).await.expect("messages");
            assert!(
                told.iter().any(|m| matches!(
                    m.message,
                    leerpad_domain::mail::Message::ConsentEnded { .. }
                )),
                "{told:?}"
            );
            assert_eq!(app.jobs.run_due().await.expect("jobs"), 0);
        }
    }
}
