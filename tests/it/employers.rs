//! Employers: an account becomes an employer, registers its company, and posts staff it offers
//! or asks for; companies in the same labour-market region that name the same skills see each
//! other as matches, others do not.

use crate::common::apps;
use axum::http::StatusCode;
use leerpad_domain::role::Role;

#[tokio::test]
async fn employers_post_staff_exchanges_and_match_in_their_region() {
    for app in apps().await {
        let skills: Vec<String> = app
            .matching
            .taxonomy()
            .taxonomy
            .skills()
            .iter()
            .take(3)
            .map(|s| s.uri.clone())
            .collect();
        let mut companies = Vec::new();
        for (email, kvk, name, town) in [
            (
                "a@bedrijf.example.nl",
                "20000001",
                "Logistiek Parkstad",
                "Heerlen",
            ),
            (
                "b@bedrijf.example.nl",
                "20000002",
                "Maas Distributie",
                "Maastricht",
            ),
            ("c@bedrijf.example.nl", "20000003", "Venlo Opslag", "Venlo"),
        ] {
            let (mut c, _) = app.logged_in(email, &[Role::Learner]).await;
            assert_eq!(c.get("/werkgever").await.status, StatusCode::FORBIDDEN);
            let r = c
                .submit("/werkgever-worden", "/werkgever-worden", &[])
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
            let r = c
                .submit(
                    "/werkgever",
                    "/werkgever/bedrijf",
                    &[
                        ("kvk", kvk),
                        ("name", name),
                        ("sector", "logistiek"),
                        ("municipality", town),
                        ("size", "small"),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
            companies.push(c);
        }
        // A problem is said in Dutch at its field; nothing is posted.
        let r = companies[0]
            .submit(
                "/werkgever",
                "/werkgever/uitwisseling",
                &[
                    ("kind", "ask"),
                    ("title", "Medewerker magazijn"),
                    ("skills", "toveren met kristallen bollen"),
                    ("place", "Heerlen"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(
            r.text.contains("kennen we niet als vaardigheid"),
            "{}",
            r.text
        );
        let ask = skills.join("\n");
        let r = companies[0]
            .submit(
                "/werkgever",
                "/werkgever/uitwisseling",
                &[
                    ("kind", "ask"),
                    ("title", "Medewerker magazijn"),
                    ("skills", &ask),
                    ("place", "Heerlen"),
                    ("starts_on", "2027-03-01"),
                    ("ends_on", "2027-06-30"),
                    ("places", "2"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let offer = skills[..2].join("\n");
        for (i, town) in [(1, "Maastricht"), (2, "Venlo")] {
            let r = companies[i]
                .submit(
                    "/werkgever",
                    "/werkgever/uitwisseling",
                    &[
                        ("kind", "offer"),
                        ("title", "Orderpicker"),
                        ("skills", &offer),
                        ("place", town),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        }
        // Heerlen and Maastricht are both in Zuid-Limburg: a match on two of three skills.
        let home = companies[0].get("/werkgever").await;
        assert!(home.text.contains("Maas Distributie"), "{}", home.text);
        assert!(home.text.contains("past 66%"), "{}", home.text);
        assert!(!home.text.contains("Venlo Opslag"), "another region");
        let theirs = companies[1].get("/werkgever").await;
        assert!(
            theirs.text.contains("Logistiek Parkstad"),
            "{}",
            theirs.text
        );
        let venlo = companies[2].get("/werkgever").await;
        assert!(!venlo.text.contains("Dit past bij jou"), "{}", venlo.text);
        // Parkstad proposes; Maas Distributie agrees and names its employee; she says yes.
        let ours = r#"name="ours" value=""#;
        let ours: String = home
            .text
            .split(ours)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("our exchange's id")
            .to_owned();
        let theirs: String = home
            .text
            .split(r#"name="theirs" value=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("their exchange's id")
            .to_owned();
        let r = companies[0]
            .submit(
                "/werkgever",
                "/werkgever/voorstellen",
                &[("ours", &ours), ("theirs", &theirs)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let maas = companies[1].get("/werkgever").await;
        assert!(
            maas.text.contains("Wacht op het andere bedrijf"),
            "{}",
            maas.text
        );
        let proposal: String = maas
            .text
            .split("/werkgever/voorstellen/")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .expect("the proposal")
            .to_owned();
        let (mut sanne, sanne_id) = app
            .logged_in("sanne@maas.example.nl", &[Role::Learner])
            .await;
        let agree = format!("/werkgever/voorstellen/{proposal}/akkoord");
        let r = companies[1]
            .submit("/werkgever", &agree, &[("employee", "geen adres")])
            .await;
        assert!(r.text.contains("Vul een goed e-mailadres"), "{}", r.text);
        let r = companies[1]
            .submit(
                "/werkgever",
                &agree,
                &[("employee", "sanne@maas.example.nl")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        assert!(
            companies[0]
                .get("/werkgever")
                .await
                .text
                .contains("Wacht op de medewerker")
        );
        let (mut stranger, _) = app.logged_in("iemand@example.nl", &[Role::Learner]).await;
        let consent = format!("/uitwisseling/{proposal}/akkoord");
        let r = stranger.submit("/uitwisseling", &consent, &[]).await;
        assert_eq!(
            r.status,
            StatusCode::CONFLICT,
            "only the employee named: {}",
            r.text
        );
        let inbox = app
            .store
            .messages_of(leerpad_domain::shared::UserId::new(sanne_id), 10)
            .await
            .expect("messages");
        assert!(
            inbox.iter().any(|m| matches!(
                &m.message,
                leerpad_domain::mail::Message::PlacementProposed { employer, .. } if employer == "Maas Distributie"
            )),
            "the employee is told: {inbox:?}"
        );
        let mine = sanne.get("/uitwisseling").await;
        assert!(
            mine.text
                .contains("Medewerker magazijn bij Logistiek Parkstad"),
            "{}",
            mine.text
        );
        let r = sanne.submit("/uitwisseling", &consent, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        assert!(
            sanne
                .get("/uitwisseling")
                .await
                .text
                .contains("Iedereen is akkoord")
        );
        assert!(
            companies[0]
                .get("/werkgever")
                .await
                .text
                .contains("Iedereen is akkoord")
        );
        // Venlo's offer does not fit an ask in another region: no proposal.
        let r = companies[2]
            .submit(
                "/werkgever",
                "/werkgever/voorstellen",
                &[("ours", &theirs), ("theirs", &ours)],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "not its own exchange: {}",
            r.text
        );

        // The employer puts money from its bank on an employee's learning account: a bad line
        // stops everything, then both lines are paid at once.
        let r = companies[0]
            .submit(
                "/werkgever",
                "/werkgever/leerrekeningen",
                &[
                    ("key", "budget-2027"),
                    ("memo", "Opleidingsbudget 2027"),
                    (
                        "staff",
                        "sanne@maas.example.nl;250\nonbekend@example.nl;100",
                    ),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        let before = sanne.get("/api/v1/ledger/account").await.json();
        assert_eq!(
            before["account"]["available_cents"], 0,
            "nothing paid: {before}"
        );
        let r = companies[0]
            .submit(
                "/werkgever",
                "/werkgever/leerrekeningen",
                &[
                    ("key", "budget-2027b"),
                    ("memo", "Opleidingsbudget 2027"),
                    ("staff", "sanne@maas.example.nl;250"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let after = sanne.get("/api/v1/ledger/account").await.json();
        assert_eq!(after["account"]["available_cents"], 25_000, "{after}");
        assert_eq!(
            sanne
                .submit(
                    "/uitwisseling",
                    "/werkgever/leerrekeningen",
                    &[("staff", "x;1")]
                )
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        // A KvK number is kept by one account.
        let (mut other, _) = app
            .logged_in("d@bedrijf.example.nl", &[Role::Employer])
            .await;
        let r = other
            .submit(
                "/werkgever",
                "/werkgever/bedrijf",
                &[
                    ("kvk", "20000001"),
                    ("name", "Nep"),
                    ("municipality", "Heerlen"),
                    ("size", "micro"),
                ],
            )
            .await;
        assert!(
            r.text.contains("hoort al bij een ander account"),
            "{}",
            r.text
        );
        app.cleanup().await;
    }
}
