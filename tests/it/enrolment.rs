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
    }
}
