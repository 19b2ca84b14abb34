//! The quality loop: a learner who completed a course answers its survey once (only their
//! own, the outcome survey only after six months); the offer's page shows the rating once five
//! answered, with each score as a bar and its number; ten answers averaging below 2.5 flag the
//! offer for programme managers and its provider; the survey invitation goes through the outbox.

use crate::common::{PASSWORD, apps};
use axum::http::StatusCode;
use leerpad_domain::enrolment::EnrolmentStatus;
use leerpad_domain::enrolment::ports::{EnrolmentChange, NewEnrolment};
use leerpad_domain::quality::SurveyKind;
use leerpad_domain::role::Role;
use leerpad_domain::shared::{Money, OfferId, UserId};
use serde_json::json;
use time::macros::date;

/// A completed enrolment of `learner` in the offer (written through the store: the steps
/// before completion are the enrolment tests' subject).
async fn completed(app: &crate::common::TestApp, learner: i64, offer: i64) -> i64 {
    let o = app.store.offer(offer).await.expect("read").expect("offer");
    let e = app
        .store
        .request_enrolment(
            NewEnrolment {
                learner: UserId::new(learner),
                offer: OfferId::new(offer),
                provider: o.provider_id,
                run: "R1",
                deadline: date!(2027 - 01 - 19),
                at: 1,
            },
            5,
        )
        .await
        .expect("request");
    let done = app
        .store
        .change_enrolment(EnrolmentChange {
            id: e.id,
            version: e.version,
            status: EnrolmentStatus::Completed,
            deadline: None,
            price: Some(Money::from_cents(30_000)),
            starts_on: Some(date!(2026 - 11 - 01)),
            ends_on: Some(date!(2026 - 12 - 20)),
            confirmed_on: Some(date!(2026 - 10 - 20)),
            hold: None,
            note: None,
            at: 2,
        })
        .await
        .expect("complete");
    assert!(done);
    e.id
}

/// Learner `i` answers the end-of-course survey of `enrolment` on its page.
async fn answer(app: &crate::common::TestApp, i: usize, enrolment: i64, rating: &str) {
    let mut c = app.client();
    c.log_in(format!("deelnemer{i}@example.nl"), PASSWORD).await;
    let link = format!("/inschrijvingen/{enrolment}/enquete/einde");
    let r = c
        .submit(&link, &link, &[("rating", rating), ("recommend", "nee")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
}

#[tokio::test]
async fn learners_rate_a_course_and_enough_low_ratings_flag_it() {
    for app in apps().await {
        let ids = app
            .provider_with_offers(json!([{
                "provider_offer_id": "Q-1",
                "title": {"nl": "Heftruck rijden"},
                "summary": {"nl": "Veilig werken met de heftruck."},
                "kind": "course", "modality": "on_site",
                "costs": [{"kind": "tuition", "amount_cents": 30_000, "vat_percent": 0}],
                "runs": [{"id": "R1", "start": "2026-11-01", "end": "2026-12-20", "municipality": "Venlo"}],
            }]))
            .await;
        let offer = ids[0];
        let mut learners = Vec::new();
        for i in 0..12 {
            let (client, id) = app
                .logged_in(&format!("deelnemer{i}@example.nl"), &[Role::Learner])
                .await;
            let enrolment = completed(&app, id, offer).await;
            learners.push((client, id, enrolment));
        }
        // The invitation goes through the outbox, once per key.
        let (_, first_id, first_enrolment) = &learners[0];
        let job = leerpad_app::quality::SurveyJob {
            enrolment: *first_enrolment,
            kind: SurveyKind::End,
        };
        for _ in 0..2 {
            app.quality
                .invite(&format!("survey-end:{first_enrolment}"), &job)
                .await
                .expect("invite");
        }
        let inbox = app
            .store
            .messages_of(UserId::new(*first_id), 10)
            .await
            .expect("messages");
        assert_eq!(inbox.len(), 1, "{inbox:?}");
        let mut first = app.client();
        first.log_in("deelnemer0@example.nl", PASSWORD).await;
        let messages = first.get("/berichten").await;
        let link = format!("/inschrijvingen/{first_enrolment}/enquete/einde");
        assert!(messages.text.contains(&link), "{}", messages.text);

        // Someone else's survey does not exist for her; the outcome survey waits six months.
        let (_, _, other_enrolment) = &learners[1];
        let theirs = first
            .get(&format!("/inschrijvingen/{other_enrolment}/enquete/einde"))
            .await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{}", theirs.text);
        let early = first
            .get(&format!(
                "/inschrijvingen/{first_enrolment}/enquete/uitkomst"
            ))
            .await;
        assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.text);
        // A missing answer is named; then she answers, once.
        let incomplete = first.submit(&link, &link, &[("rating", "4")]).await;
        assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            incomplete.text.contains("Kies ja of nee."),
            "{}",
            incomplete.text
        );
        let sent = first
            .submit(
                &link,
                &link,
                &[
                    ("rating", "4"),
                    ("recommend", "ja"),
                    ("comment", "Goede docent."),
                ],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.text);
        assert_eq!(first.get(&link).await.status, StatusCode::CONFLICT, "once");

        // Four more (4, 4, 4, 4): published at five answers, average 4.0.
        let offer_page = format!("/opleidingen/{offer}");
        assert!(
            !app.client()
                .get(&offer_page)
                .await
                .text
                .contains("Wat deelnemers vinden"),
            "not before five answers"
        );
        for (i, learner) in learners.iter().enumerate().take(5).skip(1) {
            answer(&app, i, learner.2, "4").await;
        }
        let page = app.client().get(&offer_page).await;
        assert!(
            page.text
                .contains("Gemiddeld 4,0 van 5, uit 5 antwoorden. 20% raadt de opleiding aan."),
            "{}",
            page.text
        );
        assert!(
            page.text.contains("<span class=\"bar-value\">5</span>"),
            "the numbers beside the bars"
        );
        assert!(
            page.text.contains(
                "Over alle opleidingen van deze opleider samen: gemiddeld 4,0 van 5, uit 5 antwoorden."
            ),
            "the provider's rating: {}",
            page.text
        );
        let api = app
            .client()
            .get(&format!("/api/v1/offers/{offer}/rating"))
            .await
            .json();
        assert_eq!(api["average_tenths"], 40, "{api}");
        assert_eq!(api["distribution"][3], 5, "{api}");
        // Seven more at 1: twelve answers, 27/12 = 2.25 on average: flagged, not suspended.
        for (i, learner) in learners.iter().enumerate().skip(5) {
            answer(&app, i, learner.2, "1").await;
        }
        let (mut manager, _) = app
            .logged_in("beheer@example.nl", &[Role::ProgrammeManager])
            .await;
        let list = manager.get("/beheer/kwaliteit").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.text);
        assert!(list.text.contains("Heftruck rijden"), "{}", list.text);
        assert!(list.text.contains("gemarkeerd"), "{}", list.text);
        assert!(
            list.text.contains("2,3"),
            "2.25 rounds to 2.3: {}",
            list.text
        );
        let mut provider = app.client();
        provider.log_in("opleider@example.nl", PASSWORD).await;
        let mine = provider.get("/aanbieder/beoordelingen").await;
        assert!(mine.text.contains("gemarkeerd"), "{}", mine.text);
        assert!(
            !app.client()
                .get(&offer_page)
                .await
                .text
                .contains("geschorst")
        );
    }
}

#[tokio::test]
async fn a_course_rated_very_low_by_ten_is_suspended_and_takes_no_new_requests() {
    for app in apps().await {
        let ids = app
            .provider_with_offers(json!([{
                "provider_offer_id": "Q-2",
                "title": {"nl": "Magazijnbeheer"},
                "summary": {"nl": "Voorraad bijhouden."},
                "kind": "course", "modality": "on_site",
                "costs": [{"kind": "tuition", "amount_cents": 30_000, "vat_percent": 0}],
                "runs": [{"id": "R1", "start": "2026-11-01", "end": "2026-12-20", "municipality": "Venlo"},
                         {"id": "R2", "start": "2027-03-01", "end": "2027-04-20", "municipality": "Venlo"}],
            }]))
            .await;
        let offer = ids[0];
        for i in 0..10 {
            let (_, id) = app
                .logged_in(&format!("deelnemer{i}@example.nl"), &[Role::Learner])
                .await;
            let enrolment = completed(&app, id, offer).await;
            answer(&app, i, enrolment, if i == 0 { "3" } else { "1" }).await;
        }
        // 12 / 10 = 1.2 on average from ten answers: suspended, with a notice on its page.
        let page = app.client().get(&format!("/opleidingen/{offer}")).await;
        assert!(page.text.contains("Hij is geschorst"), "{}", page.text);
        // The provider is told why, once.
        let provider = app
            .store
            .user_by_email("opleider@example.nl")
            .await
            .expect("read")
            .expect("provider account");
        let told: Vec<_> = app
            .store
            .messages_of(provider.id, 10)
            .await
            .expect("messages")
            .into_iter()
            .filter(|m| {
                matches!(
                    m.message,
                    leerpad_domain::mail::Message::OfferStanding {
                        suspended: true,
                        average_tenths: 12,
                        answers: 10,
                        ..
                    }
                )
            })
            .collect();
        assert_eq!(told.len(), 1, "{told:?}");
        let (mut newcomer, _) = app.logged_in("nieuw@example.nl", &[Role::Learner]).await;
        let refused = newcomer
            .submit(
                &format!("/opleidingen/{offer}"),
                "/inschrijvingen",
                &[("offer", &offer.to_string()), ("run", "R2")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
        assert!(
            refused.text.contains("Je kunt je nu niet aanmelden"),
            "{}",
            refused.text
        );
        let (mut manager, _) = app
            .logged_in("beheer@example.nl", &[Role::ProgrammeManager])
            .await;
        let list = manager.get("/beheer/kwaliteit").await;
        assert!(
            list.text.contains("geschorst: te laag beoordeeld"),
            "{}",
            list.text
        );
    }
}

#[tokio::test]
async fn a_learner_complains_the_provider_answers_and_managers_see_the_signal() {
    for app in apps().await {
        let ids = app
            .provider_with_offers(json!([{
                "provider_offer_id": "K-1",
                "title": {"nl": "Lassen voor beginners"},
                "summary": {"nl": "Lassen in de praktijk."},
                "kind": "course", "modality": "on_site",
                "costs": [{"kind": "tuition", "amount_cents": 30_000, "vat_percent": 0}],
                "runs": [{"id": "R1", "start": "2026-11-01", "end": "2026-12-20", "municipality": "Venlo"}],
            }]))
            .await;
        let mut enrolments = Vec::new();
        for i in 0..3 {
            let (_, id) = app
                .logged_in(&format!("deelnemer{i}@example.nl"), &[Role::Learner])
                .await;
            enrolments.push(completed(&app, id, ids[0]).await);
        }
        let mut anna = app.client();
        anna.log_in("deelnemer0@example.nl", PASSWORD).await;
        let list = anna.get("/inschrijvingen").await;
        let form = format!("/inschrijvingen/{}/klacht", enrolments[0]);
        assert!(list.text.contains(&form), "the enrolment links to the form");
        let r = anna
            .submit(&form, &form, &[("subject", ""), ("text", "kort")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("Schrijf 10 tot 4.000 tekens"), "{}", r.text);
        let r = anna
            .submit(
                &form,
                &form,
                &[
                    ("subject", "Lessen vielen uit"),
                    ("text", "Drie lessen gingen niet door en we hoorden niets."),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        // Nobody complains about someone else's enrolment.
        let other = format!("/inschrijvingen/{}/klacht", enrolments[1]);
        assert_eq!(anna.get(&other).await.status, StatusCode::NOT_FOUND);
        for (i, e) in enrolments.iter().enumerate().skip(1) {
            let mut c = app.client();
            c.log_in(format!("deelnemer{i}@example.nl"), PASSWORD).await;
            let link = format!("/inschrijvingen/{e}/klacht");
            let r = c
                .submit(
                    &link,
                    &link,
                    &[
                        ("subject", "Uitval"),
                        ("text", "De docent was er vaak niet."),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        }

        // The provider reads and answers; the learner is told and reads the answer.
        let mut provider = app.client();
        provider.log_in("opleider@example.nl", PASSWORD).await;
        let page = provider.get("/aanbieder/beoordelingen").await;
        assert!(page.text.contains("Lessen vielen uit"), "{}", page.text);
        let anna_id = app
            .store
            .user_by_email("deelnemer0@example.nl")
            .await
            .expect("read")
            .expect("user")
            .id;
        let id = app
            .store
            .complaints_of_learner(anna_id, 10)
            .await
            .expect("complaints")[0]
            .id;
        let r = provider
            .submit(
                "/aanbieder/beoordelingen",
                &format!("/aanbieder/klachten/{id}/antwoord"),
                &[("text", "Excuses: we halen de lessen in januari in.")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let mut stranger = app
            .provider("ander@example.nl", "99887766", "Ander Leerhuis")
            .await;
        let r = stranger
            .submit(
                "/aanbieder/beoordelingen",
                &format!("/aanbieder/klachten/{id}/antwoord"),
                &[("text", "Dit is niet mijn klacht om te beantwoorden.")],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        let mine = anna.get("/inschrijvingen/klachten").await;
        assert!(
            mine.text.contains("we halen de lessen in januari in"),
            "{}",
            mine.text
        );
        let inbox = app.store.messages_of(anna_id, 10).await.expect("messages");
        assert!(
            inbox.iter().any(|m| matches!(
                &m.message,
                leerpad_domain::mail::Message::ComplaintAnswered { title } if title == "Lassen voor beginners"
            )),
            "the learner is told by e-mail: {inbox:?}"
        );

        // The same over the API.
        let r = anna
            .post_json(
                &format!("/api/v1/enrolments/{}/complaints", enrolments[0]),
                json!({"subject": "Nog een keer", "text": "Weer een les uitgevallen, zonder bericht."}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let r = anna
            .post_json(
                &format!("/api/v1/enrolments/{}/complaints", enrolments[1]),
                json!({"subject": "Niet van mij", "text": "Een klacht over een ander zijn inschrijving."}),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
        let theirs = provider.get("/api/v1/provider/complaints").await.json();
        assert_eq!(theirs.as_array().map(Vec::len), Some(4), "{theirs}");
        let mine = anna.get("/api/v1/me/complaints").await.json();
        assert_eq!(mine.as_array().map(Vec::len), Some(2), "{mine}");

        // Four complaints about one course: a signal for programme managers.
        let (mut manager, _) = app
            .logged_in("programma@example.nl", &[Role::ProgrammeManager])
            .await;
        let all = manager.get("/api/v1/complaints").await.json();
        assert_eq!(all.as_array().map(Vec::len), Some(4), "{all}");
        assert_eq!(
            anna.get("/api/v1/complaints").await.status,
            StatusCode::FORBIDDEN
        );
        let page = manager.get("/beheer/kwaliteit").await;
        assert!(
            page.text
                .contains("Over Lassen voor beginners kwamen 4 klachten binnen"),
            "{}",
            page.text
        );
        app.cleanup().await;
    }
}
