//! Calls for cost coverage: a programme manager opens a call, a provider applies with a course
//! and the review goes step by step (with the clock paused while the provider answers), each
//! step in the provider's history and the audit log; an oversubscribed call follows its
//! published lottery, which a separate script redoes from the seed; 500 approvals at once
//! against a budget for 100 approve exactly 100, and a course at its yearly cap takes no more.

use crate::common::{PASSWORD, apps};
use axum::http::StatusCode;
use leerpad_domain::calls::ports::{ApplicationChange, ApprovalLimits, ApprovalRefusal};
use leerpad_domain::calls::{ApplicationLine, ApplicationStatus, Workflow};
use leerpad_domain::policy::Principal;
use leerpad_domain::role::{Role, RoleSet};
use leerpad_domain::shared::{Money, OfferId, UserId};
use serde_json::json;

fn online_offer(id: &str) -> serde_json::Value {
    json!({
        "provider_offer_id": id,
        "title": {"nl": format!("Digitale vaardigheden {id}")},
        "summary": {"nl": "Werken met een computer, online."},
        "kind": "course", "modality": "online", "level": "mbo2",
        "costs": [{"kind": "tuition", "amount_cents": 30_000, "vat_percent": 0}],
        "study_load_hours": 40,
        "runs": [{"id": "R1", "start": "2027-03-01", "end": "2027-04-30"}],
    })
}

fn call_json(
    slug: &str,
    budget: i64,
    max_per_application: i64,
    min_per_course: i64,
) -> serde_json::Value {
    json!({
        "slug": slug,
        "definition": {
            "title": {"nl": "Online leren 2027 (voorbeeld)"},
            "budget_cents": budget,
            "opens_on": "2027-01-11",
            "closes_on": "2027-01-29",
            "eligibility": {"modalities": ["online"], "max_study_hours": 100},
            "max_per_application_cents": max_per_application,
            "min_per_course_cents": min_per_course,
            "max_places_per_course_per_year": 300,
            "level_spread": [{"level": "mbo2", "max_percent": 80}],
        }
    })
}

fn line(offer: i64, places: u32, price: i64) -> serde_json::Value {
    json!({"offer_id": offer, "places": places, "price_per_participant_cents": price,
           "starts_on": "2027-03-01", "ends_on": "2027-04-30"})
}

/// 1 February 2027, after the calls close on 29 January.
const AFTER_CLOSE: i64 = 17 * 86_400;

#[tokio::test]
async fn a_provider_applies_and_the_review_goes_step_by_step_into_its_history() {
    for app in apps().await {
        let (mut manager, _) = app
            .logged_in("beheer@example.nl", &[Role::ProgrammeManager])
            .await;
        let created = manager
            .post_json(
                "/api/v1/calls",
                call_json("online-leren", 1_000_000, 500_000, 150_000),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
        assert_eq!(
            created.json()["seed"],
            "",
            "the seed stays secret while the call is open"
        );
        let ids = app
            .provider_with_offers(json!([online_offer("DV-1")]))
            .await;
        let mut provider = app.client();
        provider.log_in("opleider@example.nl", PASSWORD).await;
        // Below the call's minimum per course: refused, the line and field named.
        let small = provider
            .post_json(
                "/api/v1/calls/online-leren/applications",
                json!({"lines": [line(ids[0], 1, 1_000)]}),
            )
            .await;
        let problem = small.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            crate::common::error_fields(&problem).contains(&"lines[1].places"),
            "{problem}"
        );
        let draft = provider
            .post_json(
                "/api/v1/calls/online-leren/applications",
                json!({"lines": [line(ids[0], 20, 10_000)]}),
            )
            .await;
        assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.text);
        let id = draft.json()["id"].as_i64().expect("id");
        assert_eq!(draft.json()["amount_cents"], 200_000);
        let steps = format!("/api/v1/applications/{id}/steps");
        // Friday 15 January 2027: submitted; admissibility is due 11 working days later.
        let r = provider.post_json(&steps, json!({"step": "submit"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["deadline"], "2027-02-01");
        // The provider cannot take the manager's steps.
        let r = provider
            .post_json(&steps, json!({"step": "start_check"}))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
        for (step, text) in [
            ("start_check", ""),
            ("admissible", ""),
            ("request_information", "Wie geeft de lessen?"),
        ] {
            let r = manager
                .post_json(&steps, json!({"step": step, "text": text}))
                .await;
            assert_eq!(r.status, StatusCode::OK, "{step}: {}", r.text);
        }
        let r = provider
            .post_json(
                &steps,
                json!({"step": "answer", "text": "Twee docenten met een lesbevoegdheid."}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["status"], "review");
        // Decisions come after the call closes.
        let early = manager.post_json(&steps, json!({"step": "approve"})).await;
        early.assert_problem(StatusCode::CONFLICT);
        // On the page the refusal is said in Dutch.
        let review_page = format!("/beheer/aanvragen/{id}");
        let early_page = manager
            .submit(&review_page, &format!("{review_page}/goedkeuren"), &[])
            .await;
        assert_eq!(
            early_page.status,
            StatusCode::CONFLICT,
            "{}",
            early_page.text
        );
        assert!(
            early_page
                .text
                .contains("Over aanvragen wordt besloten nadat de oproep sluit."),
            "{}",
            early_page.text
        );
        // Another provider does not see it; a learner may not.
        let mut other = app
            .provider("ander@example.nl", "87654321", "Ander Leerhuis")
            .await;
        let hidden = other.get(&format!("/api/v1/applications/{id}")).await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{}", hidden.text);
        let (mut learner, _) = app.logged_in("leerling@example.nl", &[Role::Learner]).await;
        assert_ne!(
            learner
                .get(&format!("/api/v1/applications/{id}"))
                .await
                .status,
            StatusCode::OK
        );

        app.clock.advance(AFTER_CLOSE);
        let mut manager = app.client();
        manager.log_in("beheer@example.nl", PASSWORD).await;
        // The manager reviews on the call's page and approves with the page's form.
        let review = manager.get("/beheer/oproepen/online-leren").await;
        assert_eq!(review.status, StatusCode::OK, "{}", review.text);
        assert!(review.text.contains("in beoordeling"), "{}", review.text);
        let page = format!("/beheer/aanvragen/{id}");
        let form = manager.get(&page).await;
        assert!(form.text.contains("Goedkeuren"), "{}", form.text);
        let done = manager
            .submit(&page, &format!("{page}/goedkeuren"), &[])
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
        let approved = manager.get(&format!("/api/v1/applications/{id}")).await;
        let approved_json = approved.json()["application"].clone();
        assert_eq!(approved_json["status"], "approved", "{}", approved.text);
        assert!(
            approved_json["hold"].as_i64().is_some(),
            "the money is held"
        );
        let again = manager.post_json(&steps, json!({"step": "approve"})).await;
        again.assert_problem(StatusCode::CONFLICT);
        // The provider reads every step with what was said; the audit log has them too.
        let mut provider = app.client();
        provider.log_in("opleider@example.nl", PASSWORD).await;
        let seen = provider.get(&format!("/api/v1/applications/{id}")).await;
        assert_eq!(seen.status, StatusCode::OK, "{}", seen.text);
        let history: Vec<String> = seen.json()["history"]
            .as_array()
            .expect("history")
            .iter()
            .map(|e| e["step"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(
            history,
            [
                "create",
                "submit",
                "start_check",
                "admissible",
                "request_information",
                "answer",
                "approve"
            ]
        );
        assert!(seen.text.contains("Wie geeft de lessen?"), "{}", seen.text);
        let audited = app
            .audit_events()
            .await
            .iter()
            .filter(|e| *e == "application_step")
            .count();
        assert_eq!(audited, 7);
        let mine = provider.get("/api/v1/provider/applications").await;
        assert_eq!(
            mine.json().as_array().map(Vec::len),
            Some(1),
            "{}",
            mine.text
        );
        // The call's budget holds the approved money for the provider.
        let call_id = approved_json["call_id"].as_i64().expect("call");
        let budget = app
            .store
            .account_by_key(&format!("call:{call_id}"))
            .await
            .expect("read")
            .expect("the call's budget");
        assert_eq!(budget.balance.held.cents(), 200_000);
        assert_eq!(budget.balance.available().cents(), 800_000);
        // Approved places make the course free: the call pays it in full on the offer's page.
        let (mut learner, learner_id) = app.logged_in("lerende@example.nl", &[Role::Learner]).await;
        let facts = leerpad_domain::financing::PersonFacts {
            age: Some(35),
            employment: Some(leerpad_domain::financing::EmploymentStatus::Employed),
            ..Default::default()
        };
        app.financing
            .save_situation(
                &Principal {
                    user_id: UserId::new(learner_id),
                    email: "lerende@example.nl".into(),
                    roles: RoleSet::new([Role::Learner]),
                },
                &facts,
            )
            .await
            .expect("situation");
        let offer_page = learner.get(&format!("/opleidingen/{}", ids[0])).await;
        let financing = offer_page
            .text
            .split("id=\"financing-title\"")
            .nth(1)
            .unwrap_or_default();
        assert!(
            financing.contains("Online leren 2027 (voorbeeld): <strong>€ 300,-</strong>"),
            "{financing}"
        );
        assert!(financing.contains("<strong>€ 0,-</strong>"), "{financing}");
        // The provider raises the course's price after approval: a signal for the manager.
        let no_signal = manager.get("/beheer/oproepen/online-leren").await;
        assert!(!no_signal.text.contains("Signalen"), "{}", no_signal.text);
        let mut dearer = online_offer("DV-1");
        dearer["costs"][0]["amount_cents"] = json!(45_000);
        let raised = provider
            .post_json("/api/v1/offers:batch", json!({ "offers": [dearer] }))
            .await;
        assert_eq!(raised.status, StatusCode::OK, "{}", raised.text);
        let signals = manager.get("/beheer/oproepen/online-leren").await;
        assert!(
            signals
                .text
                .contains("kost nu € 450,- per deelnemer. Bij de goedkeuring was dat € 300,-."),
            "{}",
            signals.text
        );
        // After the course (30 April) the provider declares who completed, with proof: paid
        // for 15 of the 20 places; the rest goes back to the call.
        app.clock.advance(100 * 86_400);
        let mut provider = app.client();
        provider.log_in("opleider@example.nl", PASSWORD).await;
        let page = format!("/aanbieder/aanvragen/{id}");
        let field = format!("completed-{}", ids[0]);
        let too_many = provider
            .submit(
                &page,
                &format!("{page}/afronden"),
                &[(&field, "25"), ("text", "Lijst")],
            )
            .await;
        assert_eq!(too_many.status, StatusCode::CONFLICT, "{}", too_many.text);
        assert!(
            too_many.text.contains("hoogstens 20 deelnemers"),
            "{}",
            too_many.text
        );
        let settled = provider
            .submit(
                &page,
                &format!("{page}/afronden"),
                &[
                    (&field, "15"),
                    ("text", "Certificaten 2027-001 tot en met 015"),
                ],
            )
            .await;
        assert_eq!(settled.status, StatusCode::SEE_OTHER, "{}", settled.text);
        let budget = app
            .store
            .account_by_key(&format!("call:{call_id}"))
            .await
            .expect("read")
            .expect("the call's budget");
        assert_eq!(
            (
                budget.balance.held.cents(),
                budget.balance.available().cents()
            ),
            (0, 850_000)
        );
        let provider_id = approved_json["provider_id"].as_i64().expect("provider");
        let owed = app
            .store
            .account_by_key(&format!("provider:{provider_id}"))
            .await
            .expect("read")
            .expect("the provider's account");
        assert_eq!(owed.balance.posted.cents(), 150_000);
        let detail = provider.get(&page).await;
        assert!(
            detail.text.contains("afgerond en betaald"),
            "{}",
            detail.text
        );
    }
}

#[tokio::test]
async fn an_oversubscribed_call_follows_its_published_lottery_which_anyone_can_redo() {
    for app in apps().await {
        let (mut manager, _) = app
            .logged_in("beheer@example.nl", &[Role::ProgrammeManager])
            .await;
        let created = manager
            .post_json("/api/v1/calls", call_json("loting", 500_000, 300_000, 0))
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
        let ids = app
            .provider_with_offers(json!([online_offer("DV-2")]))
            .await;
        let mut provider = app.client();
        provider.log_in("opleider@example.nl", PASSWORD).await;
        // Five applications of € 2,000 for a budget of € 5,000: two fit.
        let mut apps_ids = Vec::new();
        for _ in 0..5 {
            let r = provider
                .post_json(
                    "/api/v1/calls/loting/applications",
                    json!({"lines": [line(ids[0], 20, 10_000)]}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            let id = r.json()["id"].as_i64().expect("id");
            let steps = format!("/api/v1/applications/{id}/steps");
            assert_eq!(
                provider
                    .post_json(&steps, json!({"step": "submit"}))
                    .await
                    .status,
                200
            );
            for step in ["start_check", "admissible"] {
                let r = manager.post_json(&steps, json!({"step": step})).await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            }
            apps_ids.push(id);
        }
        let not_yet = app.client().get("/api/v1/calls/loting/order").await;
        not_yet.assert_problem(StatusCode::CONFLICT);
        app.clock.advance(AFTER_CLOSE);
        let published = app.client().get("/api/v1/calls/loting/order").await;
        assert_eq!(published.status, StatusCode::OK, "{}", published.text);
        let order = published.json();
        assert!(
            order["seed"].as_str().is_some_and(|s| s.len() >= 20),
            "{order}"
        );
        assert_eq!(order["oversubscribed"], true);
        let lines = order["applications"].as_array().expect("applications");
        assert_eq!(lines.len(), 5);
        let funded: Vec<&str> = lines
            .iter()
            .filter(|l| l["funded"] == true)
            .filter_map(|l| l["reference"].as_str())
            .collect();
        assert_eq!(funded.len(), 2, "{order}");
        // The separate check redoes the order from the seed; a changed order fails it.
        let redo = |text: &str| {
            use std::io::Write;
            let mut child = std::process::Command::new("python3")
                .arg(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/data/calls/redo_lottery.py"
                ))
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("python3");
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(text.as_bytes())
                .expect("write");
            child.wait_with_output().expect("output")
        };
        let ok = redo(&published.text);
        assert!(
            ok.status.success(),
            "{}",
            String::from_utf8_lossy(&ok.stderr)
        );
        let mut tampered = order.clone();
        tampered["applications"][0]["funded"] =
            json!(!lines[0]["funded"].as_bool().unwrap_or(false));
        assert!(
            !redo(&tampered.to_string()).status.success(),
            "the check has teeth"
        );
        // Only what the order covers can be approved.
        let mut manager = app.client();
        manager.log_in("beheer@example.nl", PASSWORD).await;
        for id in &apps_ids {
            let covered = lines.iter().any(|l| {
                l["funded"] == true
                    && l["reference"]
                        .as_str()
                        .is_some_and(|r| r.ends_with(&format!("-{id}")))
            });
            let r = manager
                .post_json(
                    &format!("/api/v1/applications/{id}/steps"),
                    json!({"step": "approve"}),
                )
                .await;
            if covered {
                assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            } else {
                let problem = r.assert_problem(StatusCode::CONFLICT);
                assert!(
                    problem["detail"]
                        .as_str()
                        .is_some_and(|d| d.contains("published order")),
                    "{problem}"
                );
            }
        }
    }
}

fn manager_of(id: i64) -> Principal {
    Principal {
        user_id: UserId::new(id),
        email: "beheer@example.nl".into(),
        roles: RoleSet::new([Role::ProgrammeManager]),
    }
}

#[tokio::test]
async fn five_hundred_approvals_at_once_approve_exactly_what_the_budget_covers() {
    for app in apps().await {
        let manager = manager_of(
            app.user("beheer@example.nl", &[Role::ProgrammeManager])
                .await,
        );
        let definition: leerpad_domain::calls::CallDefinition =
            serde_json::from_value(call_json("drukte", 100_000, 10_000, 0)["definition"].clone())
                .expect("definition");
        let call = app
            .calls
            .create_call(&manager, "drukte", &definition)
            .await
            .expect("call");
        let ids = app
            .provider_with_offers(json!([online_offer("DV-3")]))
            .await;
        let provider = app
            .store
            .provider_by_kvk("12345678")
            .await
            .expect("read")
            .expect("provider")
            .id;
        let line = |places: u32| ApplicationLine {
            offer: OfferId::new(ids[0]),
            places,
            price_per_participant_cents: Money::from_cents(1_000),
            starts_on: time::macros::date!(2027 - 03 - 01),
            ends_on: time::macros::date!(2027 - 04 - 30),
        };
        let review = Workflow {
            status: ApplicationStatus::Review,
            ..Workflow::draft()
        };
        let approved = Workflow {
            status: ApplicationStatus::Approved,
            ..Workflow::draft()
        };
        let limits = |cap: u32| ApprovalLimits {
            budget: Money::from_cents(100_000),
            max_places_per_course_per_year: cap,
            level_caps: Vec::new(),
            levels: vec![(OfferId::new(ids[0]), None)],
            prices: Vec::new(),
            hold_expires_at: 2_000_000_000,
        };
        // 500 applications of € 10 (one place each) in review; the budget of € 1,000 covers 100.
        let mut pending = Vec::new();
        for _ in 0..500 {
            let a = app
                .store
                .create_application(
                    call.id,
                    provider,
                    &[line(1)],
                    Money::from_cents(1_000),
                    Some(manager.user_id),
                    1,
                )
                .await
                .expect("application");
            let a = app
                .store
                .change_application(ApplicationChange {
                    id: a.id,
                    expected_version: a.version,
                    workflow: &review,
                    step: "admissible",
                    by: None,
                    text: None,
                    at: 2,
                })
                .await
                .expect("in review");
            pending.push(a);
        }
        let tasks: Vec<_> = pending
            .iter()
            .map(|a| {
                let store = app.store.clone();
                let (id, version) = (a.id, a.version);
                let approved = approved.clone();
                let limits = limits(1_000);
                tokio::spawn(async move {
                    store
                        .approve_application(
                            ApplicationChange {
                                id,
                                expected_version: version,
                                workflow: &approved,
                                step: "approve",
                                by: None,
                                text: None,
                                at: 3,
                            },
                            &limits,
                        )
                        .await
                })
            })
            .collect();
        let (mut yes, mut budget_refusals) = (0, 0);
        for t in tasks {
            match t.await.expect("task").expect("store") {
                Ok(_) => yes += 1,
                Err(ApprovalRefusal::Budget { .. }) => budget_refusals += 1,
                Err(other) => panic!("{other:?}"),
            }
        }
        assert_eq!((yes, budget_refusals), (100, 400), "{}", app.engine());
        let budget = app
            .store
            .account_by_key(&format!("call:{}", call.id))
            .await
            .expect("read")
            .expect("budget");
        assert_eq!(budget.balance.available().cents(), 0);
        assert_eq!(budget.balance.held.cents(), 100_000);

        // A course at its yearly cap takes no more, whatever the budget says.
        let capped = app
            .calls
            .create_call(&manager, "plafond", &definition)
            .await
            .expect("call");
        let mut refusals = Vec::new();
        for _ in 0..3 {
            let a = app
                .store
                .create_application(
                    capped.id,
                    provider,
                    &[line(4)],
                    Money::from_cents(4_000),
                    Some(manager.user_id),
                    4,
                )
                .await
                .expect("application");
            let mut l = limits(10);
            l.budget = Money::from_cents(1_000_000);
            refusals.push(
                app.store
                    .approve_application(
                        ApplicationChange {
                            id: a.id,
                            expected_version: a.version,
                            workflow: &approved,
                            step: "approve",
                            by: None,
                            text: None,
                            at: 5,
                        },
                        &l,
                    )
                    .await
                    .expect("store")
                    .err(),
            );
        }
        assert_eq!(refusals[0], None);
        assert_eq!(refusals[1], None);
        assert_eq!(
            refusals[2],
            Some(ApprovalRefusal::CourseCap {
                offer: OfferId::new(ids[0]),
                left: 2
            })
        );
        let places = app.store.approved_places(capped.id).await.expect("places");
        assert_eq!(places, vec![(OfferId::new(ids[0]), 2027, 8)]);
    }
}

#[tokio::test]
async fn a_call_decided_by_scoring_takes_the_best_scored_first_and_providers_apply_on_the_page() {
    for app in apps().await {
        let (mut manager, _) = app
            .logged_in("beheer@example.nl", &[Role::ProgrammeManager])
            .await;
        let mut call = call_json("punten", 300_000, 500_000, 150_000);
        call["definition"]["oversubscription"] = json!("scoring");
        call["definition"]["criteria"] = json!([
            {"name": {"nl": "Nut voor de arbeidsmarkt"}, "weight": 3},
            {"name": {"nl": "Kwaliteit van de opleiding"}, "weight": 1},
        ]);
        let r = manager.post_json("/api/v1/calls", call).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

        // Two verified providers, each with an online course.
        let mut ids = Vec::new();
        let mut providers = Vec::new();
        for (email, kvk, name, code) in [
            ("a@example.nl", "10000001", "Leerhuis Alfa", "A-1"),
            ("b@example.nl", "10000002", "Leerhuis Beta", "B-1"),
        ] {
            let mut p = app.provider(email, kvk, name).await;
            let r = p
                .post_json(
                    "/api/v1/offers:batch",
                    json!({"offers": [online_offer(code)]}),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            ids.push(r.json()["items"][0]["offer_id"].as_i64().expect("id"));
            providers.push(p);
        }

        // Alfa applies on the call's page: a line per course, in euros and dates.
        let page = providers[0].get("/oproepen/punten").await;
        assert!(
            page.text.contains("Aanvragen bij deze oproep"),
            "{}",
            page.text
        );
        let (places, price, start, end) = (
            format!("plaatsen-{}", ids[0]),
            format!("prijs-{}", ids[0]),
            format!("start-{}", ids[0]),
            format!("einde-{}", ids[0]),
        );
        let r = providers[0]
            .submit(
                "/oproepen/punten",
                "/oproepen/punten/aanvragen",
                &[
                    (places.as_str(), "20"),
                    (price.as_str(), "100"),
                    (start.as_str(), "2027-03-01"),
                    (end.as_str(), ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(r.text.contains("begin- en einddatum"), "{}", r.text);
        let r = providers[0]
            .submit(
                "/oproepen/punten",
                "/oproepen/punten/aanvragen",
                &[
                    (places.as_str(), "20"),
                    (price.as_str(), "100"),
                    (start.as_str(), "2027-03-01"),
                    (end.as_str(), "2027-04-30"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let alfa: i64 = r
            .location()
            .and_then(|l| l.rsplit('/').next())
            .and_then(|id| id.parse().ok())
            .expect("application id");
        let r = providers[1]
            .post_json(
                "/api/v1/calls/punten/applications",
                json!({"lines": [line(ids[1], 20, 10_000)]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let beta = r.json()["id"].as_i64().expect("id");

        // An organisation nobody verified cannot apply.
        let (mut newcomer, _) = app.logged_in("nieuw@example.nl", &[Role::Provider]).await;
        let r = newcomer
            .put_json(
                "/api/v1/me/provider",
                json!({"kvk": "10000003", "name": "Nieuw Leerhuis"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let page = newcomer.get("/oproepen/punten").await;
        assert!(
            page.text.contains("zodra een programmamanager"),
            "{}",
            page.text
        );
        let r = newcomer
            .post_json(
                "/api/v1/calls/punten/applications",
                json!({"lines": [line(ids[1], 20, 10_000)]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);

        for (id, provider) in [(alfa, 0), (beta, 1)] {
            let steps = format!("/api/v1/applications/{id}/steps");
            let r = providers[provider]
                .post_json(&steps, json!({"step": "submit"}))
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            for step in ["start_check", "admissible"] {
                let r = manager.post_json(&steps, json!({"step": step})).await;
                assert_eq!(r.status, StatusCode::OK, "{step}: {}", r.text);
            }
        }
        // Reviewers score on the stated criteria; a mark above 10 is refused in words.
        let review = |id: i64| format!("/beheer/aanvragen/{id}");
        let r = manager
            .submit(
                &review(alfa),
                &format!("{}/punten", review(alfa)),
                &[("punten-0", "11"), ("punten-1", "2")],
            )
            .await;
        assert!(r.text.contains("0 tot en met 10"), "{}", r.text);
        for (id, marks) in [(alfa, ["2", "2"]), (beta, ["9", "8"])] {
            let r = manager
                .submit(
                    &review(id),
                    &format!("{}/punten", review(id)),
                    &[("punten-0", marks[0]), ("punten-1", marks[1])],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        }
        let (mut second, _) = app
            .logged_in("tweede@example.nl", &[Role::ProgrammeManager])
            .await;
        let r = second
            .submit(
                &review(beta),
                &format!("{}/punten", review(beta)),
                &[("punten-0", "7"), ("punten-1", "6")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        // Beta: (3*9 + 8 + 3*7 + 6) / 2 = 31 points; Alfa: 3*2 + 2 = 8.
        assert!(
            manager
                .get(&review(beta))
                .await
                .text
                .contains("31,0 punten"),
            "the weighted average"
        );

        // After the close, the order goes by score: Beta first, and only Beta fits the budget.
        app.clock.advance(AFTER_CLOSE);
        let order = app.client().get("/api/v1/calls/punten/order").await;
        assert_eq!(order.status, StatusCode::OK, "{}", order.text);
        let ranked = &order.json()["applications"];
        assert_eq!(ranked[0]["score"], 310, "{}", order.text);
        assert_eq!(ranked[0]["funded"], true);
        assert_eq!(ranked[1]["score"], 80);
        assert_eq!(ranked[1]["funded"], false);
        let page = app.client().get("/oproepen/punten").await;
        assert!(page.text.contains("31,0"), "the points are published");
        let mut manager = app.client();
        manager.log_in("beheer@example.nl", PASSWORD).await;
        let r = manager
            .post_json(
                &format!("/api/v1/applications/{alfa}/steps"),
                json!({"step": "approve"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
        let r = manager
            .post_json(
                &format!("/api/v1/applications/{beta}/steps"),
                json!({"step": "approve"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_programme_manager_opens_a_call_on_a_page_with_its_rules_in_words() {
    for app in apps().await {
        let (mut manager, _) = app
            .logged_in("beheer@example.nl", &[Role::ProgrammeManager])
            .await;
        let list = manager.get("/oproepen").await;
        assert!(list.text.contains("/beheer/nieuwe-oproep"), "{}", list.text);
        let mut fields = vec![
            ("title", "Zorg in Parkstad 2027"),
            ("slug", "zorg-parkstad-2027"),
            (
                "description",
                "De regio betaalt korte opleidingen in de zorg.",
            ),
            ("budget", "250.000"),
            ("opens_on", "2027-01-11"),
            ("closes_on", "2027-01-05"),
            ("modalities", "online"),
            ("modalities", "blended"),
            ("max_study_hours", "200"),
            ("max_per_application", "50.000"),
            ("min_per_course", "1.500"),
            ("max_places", "300"),
            ("share_hbo", "30"),
            ("oversubscription", "scoring"),
            ("criteria", "Nut voor de zorg in de regio; 3\nKwaliteit; x"),
        ];
        let r = manager
            .submit("/beheer/nieuwe-oproep", "/beheer/nieuwe-oproep", &fields)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(
            r.text.contains("Deze regel klopt niet"),
            "a bad criterion line is named: {}",
            r.text
        );
        fields.retain(|(k, _)| *k != "criteria");
        fields.push(("criteria", "Nut voor de zorg in de regio; 3\nKwaliteit; 1"));
        let r = manager
            .submit("/beheer/nieuwe-oproep", "/beheer/nieuwe-oproep", &fields)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(
            r.text.contains("De oproep sluit voordat hij opent."),
            "the domain's rule in Dutch at its field: {}",
            r.text
        );
        fields.retain(|(k, _)| *k != "closes_on");
        fields.push(("closes_on", "2027-01-29"));
        let r = manager
            .submit("/beheer/nieuwe-oproep", "/beheer/nieuwe-oproep", &fields)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        assert_eq!(r.location(), Some("/oproepen/zorg-parkstad-2027"));
        let call = app
            .client()
            .get("/api/v1/calls/zorg-parkstad-2027")
            .await
            .json();
        assert_eq!(call["definition"]["budget_cents"], 25_000_000, "{call}");
        assert_eq!(call["definition"]["oversubscription"], "scoring");
        assert_eq!(call["definition"]["criteria"][0]["weight"], 3);
        assert_eq!(call["definition"]["level_spread"][0]["level"], "hbo");
        let page = app.client().get("/oproepen/zorg-parkstad-2027").await;
        assert!(
            page.text.contains("een beoordeling met punten"),
            "{}",
            page.text
        );
        // The same short name twice is refused at its field; a learner has no such page.
        let r = manager
            .submit("/beheer/nieuwe-oproep", "/beheer/nieuwe-oproep", &fields)
            .await;
        assert!(
            r.text.contains("al een oproep met deze korte naam"),
            "{}",
            r.text
        );
        let (mut learner, _) = app.logged_in("leerling@example.nl", &[Role::Learner]).await;
        assert_eq!(
            learner.get("/beheer/nieuwe-oproep").await.status,
            StatusCode::FORBIDDEN
        );
        app.cleanup().await;
    }
}
