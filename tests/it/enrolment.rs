//! Enrolment paid from the learning account: a learner signs up for a run on the offer page,
//! the provider answers with the final price and dates, the learner confirms (the price is held
//! on her account; not enough money is refused in words), the provider declares start and
//! completion (the hold is paid, once), a request nobody answers expires after 2 working days,
//! and nobody has more than 5 open at once.

use crate::common::{PASSWORD, apps};
use axum::http::StatusCode;
use leerpad_domain::enrolment::Step;
use leerpad_domain::ledger::{AccountKind, Command};
use leerpad_domain::policy::Principal;
use leerpad_domain::role::{Role, RoleSet};
use leerpad_domain::shared::{Money, UserId};
use serde_json::json;

fn principal(id: i64, role: Role, email: &str) -> Principal {
    Principal {
        user_id: UserId::new(id),
        email: email.into(),
        roles: RoleSet::new([role]),
    }
}

#[tokio::test]
async fn a_learner_enrols_pays_from_her_account_and_the_provider_is_paid_once() {
    for app in apps().await {
        let runs: Vec<_> = (1..=7)
            .map(|i| json!({"id": format!("R{i}"), "start": format!("2027-03-0{i}"), "end": "2027-03-31", "municipality": "Heerlen"}))
            .collect();
        let offer = json!({
            "provider_offer_id": "IG-1",
            "title": {"nl": "Verzorgende IG voor zij-instromers"},
            "summary": {"nl": "Word verzorgende in de ouderenzorg."},
            "kind": "bbl", "modality": "on_site", "level": "mbo3",
            "costs": [{"kind": "tuition", "amount_cents": 85_000, "vat_percent": 0}],
            "study_load_hours": 400,
            "runs": runs,
        });
        let ids = app.provider_with_offers(json!([offer])).await;
        let offer_page = format!("/opleidingen/{}", ids[0]);
        let (mut anna, anna_id) = app.logged_in("anna@example.nl", &[Role::Learner]).await;
        let page = anna.get(&offer_page).await;
        assert!(
            page.text.contains(r#"action="/inschrijvingen""#),
            "{}",
            page.text
        );
        let asked = anna
            .submit(
                &offer_page,
                "/inschrijvingen",
                &[("offer", &ids[0].to_string()), ("run", "R1")],
            )
            .await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.text);
        // Friday 15 January 2027: the provider answers by Tuesday the 19th.
        let mine = anna.get("/inschrijvingen").await;
        assert!(
            mine.text.contains("uiterlijk op 19 januari 2027"),
            "{}",
            mine.text
        );
        let page = anna.get(&offer_page).await;
        assert!(
            page.text
                .contains("Je hebt je aangemeld voor startmoment R1: aangevraagd"),
            "the offer page says where she stands: {}",
            page.text
        );

        // The provider sees it with its deadline and sends the final price and dates.
        let mut provider = app.client();
        provider.log_in("opleider@example.nl", PASSWORD).await;
        let list = provider.get("/aanbieder/inschrijvingen").await;
        assert!(list.text.contains("Verzorgende IG"), "{}", list.text);
        let id = app
            .enrolments
            .mine(&principal(anna_id, Role::Learner, "anna@example.nl"))
            .await
            .expect("mine")[0]
            .id;
        let accepted = provider
            .submit(
                "/aanbieder/inschrijvingen",
                &format!("/aanbieder/inschrijvingen/{id}/accepteren"),
                &[
                    ("price", "850,00"),
                    ("starts_on", "2027-03-01"),
                    ("ends_on", "2027-03-31"),
                ],
            )
            .await;
        assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.text);
        // Anna cannot confirm yet: her learning account is empty; she is told in words.
        let confirm = format!("/inschrijvingen/{id}/bevestigen");
        let refused = anna.submit("/inschrijvingen", &confirm, &[]).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
        assert!(
            refused.text.contains("niet genoeg geld"),
            "{}",
            refused.text
        );
        // A budget arrives; she confirms twice (a double click): one hold.
        let manager_id = app
            .user("beheer@example.nl", &[Role::ProgrammeManager])
            .await;
        let manager = principal(manager_id, Role::ProgrammeManager, "beheer@example.nl");
        let rijk = app
            .ledger
            .open_account(&manager, AccountKind::Funding, "funding:rijk", "Rijk")
            .await
            .expect("open");
        let account = app
            .ledger
            .my_account(&principal(anna_id, Role::Learner, "anna@example.nl"))
            .await
            .expect("account");
        app.ledger
            .execute(
                &manager,
                "budget-anna",
                &Command::Transfer {
                    from: rijk.id,
                    to: account.id,
                    amount: Money::from_cents(100_000),
                    memo: "Ontwikkelbudget".into(),
                },
            )
            .await
            .expect("budget");
        let ok = anna.submit("/inschrijvingen", &confirm, &[]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
        let again = anna.submit("/inschrijvingen", &confirm, &[]).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
        let balance = app
            .store
            .account(account.id)
            .await
            .expect("read")
            .expect("there")
            .balance;
        assert_eq!(
            (balance.held.cents(), balance.available().cents()),
            (85_000, 15_000)
        );

        // The provider declares the start (not before it) and the completion with proof.
        let started = format!("/aanbieder/inschrijvingen/{id}/gestart");
        let early = provider
            .submit("/aanbieder/inschrijvingen", &started, &[])
            .await;
        assert_eq!(
            early.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            early.text
        );
        app.clock.advance(45 * 86_400); // 1 March 2027
        // Weeks later the provider declares the start, and at the end the completion.
        let provider_id = app
            .store
            .user_by_email("opleider@example.nl")
            .await
            .expect("read")
            .expect("provider")
            .id;
        let provider_p = principal(provider_id.get(), Role::Provider, "opleider@example.nl");
        app.enrolments
            .provider_step(&provider_p, id, &Step::DeclareStart)
            .await
            .expect("started");
        app.clock.advance(30 * 86_400); // 31 March
        let done = Step::DeclareCompletion {
            proof: "certificaat 2027-0042".into(),
        };
        app.enrolments
            .provider_step(&provider_p, id, &done)
            .await
            .expect("completed");
        let again = app.enrolments.provider_step(&provider_p, id, &done).await;
        assert!(again.is_err(), "paid once: {again:?}");
        // The completion plans the survey invitations: a day later, and six months later.
        for prefix in ["survey-end:", "survey-outcome:"] {
            let planned = app.store.jobs(prefix).await.expect("jobs");
            assert_eq!(planned.len(), 1, "{prefix}: {planned:?}");
        }
        let balance = app
            .store
            .account(account.id)
            .await
            .expect("read")
            .expect("there")
            .balance;
        assert_eq!((balance.posted.cents(), balance.held.cents()), (15_000, 0));
        let mut anna = app.client();
        anna.log_in("anna@example.nl", PASSWORD).await;
        // Every step is in the audit log: the request, the offer, the confirmation, the start
        // and the completion (the refused confirmation moved nothing and is not a step).
        let steps = app
            .audit_events()
            .await
            .iter()
            .filter(|e| *e == "enrolment_step")
            .count();
        assert_eq!(steps, 5, "{:?}", app.audit_events().await);
        let paid = anna.get("/leerrekening").await;
        assert!(
            paid.text.contains("Betaald uit reservering"),
            "{}",
            paid.text
        );
        assert!(
            anna.get("/inschrijvingen")
                .await
                .text
                .contains("afgerond en betaald")
        );
        // The provider is owed the price now and sees when the next payout run is (Thursday
        // 1 April 2027, the day after).
        let mut provider = app.client();
        provider.log_in("opleider@example.nl", PASSWORD).await;
        let owed = provider.get("/aanbieder/inschrijvingen").await;
        let figure = |page: &crate::common::Response, label: &str| {
            page.text
                .split(label)
                .nth(1)
                .and_then(|rest| rest.split("<dd>").nth(1))
                .and_then(|rest| rest.split("</dd>").next())
                .map(str::to_owned)
                .unwrap_or_default()
        };
        assert_eq!(figure(&owed, "Te ontvangen"), "€ 850,-", "{}", owed.text);
        assert_eq!(figure(&owed, "Al aan je uitbetaald"), "€ 0,-");
        assert!(
            owed.text
                .contains("De volgende uitbetaling is op 1 april 2027"),
            "{}",
            owed.text
        );

        // A request nobody answers ends after 2 working days; five open at most.
        let learner = principal(anna_id, Role::Learner, "anna@example.nl");
        let first = app
            .enrolments
            .request(&learner, leerpad_domain::shared::OfferId::new(ids[0]), "R2")
            .await
            .expect("request");
        for run in ["R3", "R4", "R5", "R6"] {
            app.enrolments
                .request(&learner, leerpad_domain::shared::OfferId::new(ids[0]), run)
                .await
                .expect("request");
        }
        let sixth = app
            .enrolments
            .request(&learner, leerpad_domain::shared::OfferId::new(ids[0]), "R7")
            .await;
        assert!(sixth.is_err(), "a sixth open request is refused: {sixth:?}");
        app.clock.advance(5 * 86_400);
        app.jobs.plan_calendar().await.expect("plan");
        app.jobs.run_due().await.expect("jobs");
        let mut anna = app.client();
        anna.log_in("anna@example.nl", PASSWORD).await;
        let after = app.enrolments.mine(&learner).await.expect("mine");
        let ended = after.iter().find(|e| e.id == first.id).expect("there");
        assert_eq!(ended.status.as_str(), "expired");
        assert!(
            anna.get("/inschrijvingen").await.text.contains("verlopen"),
            "the learner sees it ended"
        );
        // The jobs of 5 April also ran the payout of 1 April (late, not skipped): the provider
        // has been paid, through the clearing account, and is owed nothing more.
        let mut provider = app.client();
        provider.log_in("opleider@example.nl", PASSWORD).await;
        let paid = provider.get("/aanbieder/inschrijvingen").await;
        assert_eq!(figure(&paid, "Te ontvangen"), "€ 0,-", "{}", paid.text);
        assert_eq!(figure(&paid, "Al aan je uitbetaald"), "€ 850,-");
        let clearing = app
            .store
            .account_by_key("clearing:uitbetalingen")
            .await
            .expect("read")
            .expect("opened by the run");
        assert_eq!(clearing.balance.posted.cents(), 0, "passed on to the bank");
    }
}

/// A form POST over a raw socket to a real server, with a session cookie.
fn post_form(addr: &str, path: &str, cookie: &str, body: &str) -> u16 {
    use std::io::{Read, Write};
    let Ok(mut s) = std::net::TcpStream::connect(addr) else {
        return 0;
    };
    let _ = s.set_read_timeout(Some(std::time::Duration::from_secs(20)));
    let req = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nCookie: {cookie}\r\n\
         Origin: http://{addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    if s.write_all(req.as_bytes()).is_err() {
        return 0;
    }
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out.split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

/// Sign in on a real server: the session cookie and the page's CSRF token.
fn sign_in(addr: &str, email: &str) -> (String, String) {
    let login = serde_json::json!({"email": email, "password": PASSWORD}).to_string();
    let (status, head, body) = crate::server::http_full(
        addr,
        "POST",
        "/api/v1/session",
        &[("Origin", &format!("http://{addr}"))],
        Some(&login),
    );
    assert!(status < 300, "{status} {body}");
    let cookie = head
        .lines()
        .filter_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .find(|c| c.starts_with("lp_session="))
        .and_then(|c| c.split(';').next())
        .expect("session cookie")
        .to_owned();
    let (_, page) =
        crate::server::http_with(addr, "GET", "/inschrijvingen", &[("Cookie", &cookie)], None);
    let token = page
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("csrf token")
        .to_owned();
    (cookie, token)
}

#[tokio::test]
async fn a_server_killed_in_the_middle_of_confirmations_loses_no_step_and_holds_once() {
    for app in apps().await {
        let offer = json!({
            "provider_offer_id": "KILL-1",
            "title": {"nl": "Heftruck rijden"},
            "summary": {"nl": "Rijd veilig met een heftruck."},
            "kind": "course", "modality": "on_site", "level": "mbo2",
            "costs": [{"kind": "tuition", "amount_cents": 50_000, "vat_percent": 0}],
            "study_load_hours": 16,
            "runs": [{"id": "VJ", "start": "2027-03-01", "end": "2027-03-05", "municipality": "Heerlen"}],
        });
        let ids = app.provider_with_offers(json!([offer])).await;
        let offer_id = leerpad_domain::shared::OfferId::new(ids[0]);
        let provider_id = app
            .store
            .user_by_email("opleider@example.nl")
            .await
            .expect("read")
            .expect("provider")
            .id;
        let provider = principal(provider_id.get(), Role::Provider, "opleider@example.nl");
        let manager_id = app
            .user("beheer@example.nl", &[Role::ProgrammeManager])
            .await;
        let manager = principal(manager_id, Role::ProgrammeManager, "beheer@example.nl");
        let rijk = app
            .ledger
            .open_account(&manager, AccountKind::Funding, "funding:rijk", "Rijk")
            .await
            .expect("open");
        // Twenty learners, each with € 1,000 and an offer of € 500 to confirm.
        let mut people = Vec::new();
        for i in 0..20 {
            let email = format!("cursist{i}@example.nl");
            let id = app.user(&email, &[Role::Learner]).await;
            let me = principal(id, Role::Learner, &email);
            let account = app.ledger.my_account(&me).await.expect("account");
            app.ledger
                .execute(
                    &manager,
                    &format!("budget-{i}"),
                    &Command::Transfer {
                        from: rijk.id,
                        to: account.id,
                        amount: Money::from_cents(100_000),
                        memo: "Ontwikkelbudget".into(),
                    },
                )
                .await
                .expect("budget");
            let e = app
                .enrolments
                .request(&me, offer_id, "VJ")
                .await
                .expect("request");
            let accept = Step::Accept {
                price: Money::from_cents(50_000),
                starts_on: time::macros::date!(2027 - 03 - 01),
                ends_on: time::macros::date!(2027 - 03 - 05),
            };
            app.enrolments
                .provider_step(&provider, e.id, &accept)
                .await
                .expect("offered");
            people.push((email, me, account.id, e.id));
        }
        // Everyone confirms at once on a real server, which is killed (SIGKILL) meanwhile.
        let dir = tempfile::tempdir().expect("tempdir");
        let mut server =
            crate::server::Server::start(crate::server::leerpad_on(dir.path(), &app.db));
        let addr = server.addr.clone();
        let sessions: Vec<(String, String)> = people
            .iter()
            .map(|(email, ..)| sign_in(&addr, email))
            .collect();
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(people.len() + 1));
        let (answered, first_answer) = std::sync::mpsc::channel::<()>();
        let threads: Vec<_> = people
            .iter()
            .zip(&sessions)
            .map(|((.., enrolment), (cookie, token))| {
                let (addr, cookie, barrier) = (addr.clone(), cookie.clone(), barrier.clone());
                let answered = answered.clone();
                let body = format!("_csrf={token}");
                let path = format!("/inschrijvingen/{enrolment}/bevestigen");
                std::thread::spawn(move || {
                    barrier.wait();
                    let status = post_form(&addr, &path, &cookie, &body);
                    let _ = answered.send(());
                    status
                })
            })
            .collect();
        barrier.wait();
        // Killed as soon as the first confirmation is answered, while the others are on their way.
        let _ = first_answer.recv_timeout(std::time::Duration::from_secs(20));
        let _ = server.child.kill();
        let _ = server.child.wait();
        let answers: Vec<u16> = threads
            .into_iter()
            .map(|t| t.join().expect("thread"))
            .collect();
        let acknowledged = answers.iter().filter(|s| **s == 303).count();
        eprintln!(
            "{}: {acknowledged} of {} confirmations acknowledged before the kill",
            app.engine(),
            answers.len()
        );
        // Every acknowledged step is there, with its hold.
        for ((_, me, _, enrolment), status) in people.iter().zip(&answers) {
            let e = app
                .enrolments
                .mine(me)
                .await
                .expect("mine")
                .into_iter()
                .find(|x| x.id == *enrolment)
                .expect("there");
            if *status == 303 {
                assert_eq!(e.status.as_str(), "confirmed", "acknowledged, so kept");
                assert!(e.hold.is_some());
            }
        }
        // After a restart, everyone whose answer was lost tries again: one hold each, never two.
        let server = crate::server::Server::start(crate::server::leerpad_on(dir.path(), &app.db));
        for ((email, me, account, enrolment), status) in people.iter().zip(&answers) {
            if *status != 303 {
                let (cookie, token) = sign_in(&server.addr, email);
                let path = format!("/inschrijvingen/{enrolment}/bevestigen");
                let again = post_form(&server.addr, &path, &cookie, &format!("_csrf={token}"));
                let state = app.enrolments.mine(me).await.expect("mine");
                assert!(
                    again == 303
                        || state
                            .iter()
                            .any(|x| x.id == *enrolment && x.status.as_str() == "confirmed"),
                    "{email}: retry answered {again}"
                );
            }
            let holds: Vec<_> = app
                .store
                .transfers_of(*account, 100)
                .await
                .expect("transfers")
                .into_iter()
                .filter(|t| t.kind == leerpad_domain::ledger::TransferKind::Hold)
                .collect();
            assert_eq!(holds.len(), 1, "{email}: one hold, never two: {holds:?}");
            let b = app
                .store
                .account(*account)
                .await
                .expect("read")
                .expect("there")
                .balance;
            assert_eq!(
                (b.posted.cents(), b.held.cents()),
                (100_000, 50_000),
                "{email}"
            );
        }
        drop(server);
        // No half-written transfer: every balance is what its transfers add up to.
        let transfers = app
            .store
            .transfers_after(leerpad_domain::shared::TransferId::new(0), 10_000)
            .await
            .expect("all");
        let sum: i64 = app
            .store
            .all_accounts()
            .await
            .expect("accounts")
            .iter()
            .map(|a| a.balance.posted.cents())
            .sum();
        assert_eq!(sum, 0);
        assert!(transfers.len() >= 40);
        // Nobody declares the start: three working days after it the deadline job ends the
        // enrolments and releases every hold.
        app.clock.advance(60 * 86_400); // 16 March 2027
        app.jobs.plan_calendar().await.expect("plan");
        app.jobs.run_due().await.expect("jobs");
        for (email, _, account, _) in &people {
            let b = app
                .store
                .account(*account)
                .await
                .expect("read")
                .expect("there")
                .balance;
            assert_eq!(
                (b.held.cents(), b.available().cents()),
                (0, 100_000),
                "{email}"
            );
        }
    }
}
