//! The provider portal on pages, on every engine: a provider registers its organisation, adds
//! an offer in the form (errors in Dutch at their fields), uploads a file with a dry run; nobody
//! finds its offers until a programme manager verifies the organisation; every change is in the
//! offer's history; another provider cannot open the offer.

use crate::common::apps;
use axum::http::StatusCode;
use leerpad_domain::role::Role;

fn offer_line(id: &str, title: &str, extra: &str) -> String {
    format!(
        r#"{{"provider_offer_id": "{id}", "title": {{"nl": "{title}"}}, "kind": "course", "modality": "online", "costs": [{{"kind": "tuition", "amount_cents": 25000, "vat_percent": 0}}]{extra}}}"#
    )
}

#[tokio::test]
async fn a_provider_registers_is_verified_and_keeps_its_offers_in_forms_and_files() {
    for app in apps().await {
        // A learner who teaches becomes a provider on a page of her own.
        let (mut provider, _) = app.logged_in("opleider@example.nl", &[Role::Learner]).await;
        assert_eq!(
            provider.get("/aanbieder").await.status,
            StatusCode::FORBIDDEN
        );
        let r = provider
            .submit("/aanbieder-worden", "/aanbieder-worden", &[])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        assert!(
            app.audit_events()
                .await
                .contains(&"role_granted".to_owned())
        );
        let home = provider.get("/aanbieder").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(
            home.text.contains("Je organisatie aanmelden"),
            "{}",
            home.text
        );

        // A KvK number of the wrong form is said in Dutch at its field.
        let r = provider
            .submit(
                "/aanbieder",
                "/aanbieder/organisatie",
                &[("kvk", "1234"), ("name", "Zorgacademie Parkstad")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text.contains("Een KvK-nummer heeft 8 cijfers"),
            "{}",
            r.text
        );
        let r = provider
            .submit(
                "/aanbieder",
                "/aanbieder/organisatie",
                &[
                    ("kvk", "5566 7788"),
                    ("name", "Zorgacademie Parkstad"),
                    ("trading_names", "ZAP Opleidingen\nParkstad Zorgleren"),
                    ("accreditations", "NRTO"),
                    ("accreditations", "CRKBO"),
                    ("website", "https://zorgacademie.example.nl"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let home = provider.get("/aanbieder").await;
        assert!(home.text.contains("KvK 55667788"), "{}", home.text);
        assert!(home.text.contains("controleert je organisatie nog"));
        assert!(home.text.contains("Parkstad Zorgleren"));

        // A form with problems: each at its field, in Dutch, nothing saved.
        let mut fields = vec![
            ("provider_offer_id", "VZ-IG-1"),
            ("title_nl", "Verzorgende IG voor zij-instromers"),
            ("summary_nl", "Word verzorgende in de ouderenzorg."),
            ("kind", "course"),
            ("level", "mbo3"),
            ("modality", "on_site"),
            ("study_load_hours", "120"),
            ("languages", "nl"),
            ("credential", "certificate"),
            ("status", "published"),
            ("run_start_0", "2027-03-01"),
            ("run_end_0", "2027-02-01"),
            ("run_place_0", "Heerlen"),
            ("cost_kind_0", "tuition"),
            ("cost_amount_0", "1.250,50"),
            ("cost_vat_0", "0"),
        ];
        let r = provider
            .submit(
                "/aanbieder/aanbod/nieuw",
                "/aanbieder/aanbod/nieuw",
                &fields,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(
            r.text.contains("Het einde ligt voor het begin"),
            "{}",
            r.text
        );
        assert!(r.text.contains("id=\"run_end_0-error\""));
        assert!(
            r.text.contains("value=\"1.250,50\""),
            "the typed amount stays"
        );
        fields.retain(|(k, _)| *k != "run_end_0");
        fields.push(("run_end_0", "2027-06-30"));
        let r = provider
            .submit(
                "/aanbieder/aanbod/nieuw",
                "/aanbieder/aanbod/nieuw",
                &fields,
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let location = r.location().expect("redirect").to_owned();
        let id: i64 = location
            .trim_start_matches("/aanbieder/aanbod/")
            .split('?')
            .next()
            .and_then(|s| s.parse().ok())
            .expect("offer id in the redirect");
        let edit = provider.get(&location).await;
        assert!(edit.text.contains("De opleiding is opgeslagen"));
        assert!(edit.text.contains("value=\"1.250,50\""), "{}", edit.text);
        assert!(edit.text.contains("value=\"Heerlen\""), "the place by name");

        // The same code again is refused.
        let r = provider
            .submit(
                "/aanbieder/aanbod/nieuw",
                "/aanbieder/aanbod/nieuw",
                &fields,
            )
            .await;
        assert!(r.text.contains("heeft al deze code"), "{}", r.text);

        // A file: checked whole, every problem with its line, nothing saved.
        let bad = format!(
            "{}\n{}\n",
            offer_line("ONL-1", "Hygiëne in de zorg", ""),
            offer_line("ONL-2", "Tillen zonder klachten", r#", "level": "mbo9""#)
        );
        let r = provider
            .upload(
                "/aanbieder/aanbod/uploaden",
                "/aanbieder/aanbod/uploaden",
                &[],
                ("bestand", "aanbod.jsonl", bad.as_bytes()),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(r.text.contains("Er is 1 probleem"), "{}", r.text);
        assert!(
            r.text.contains("<td class=\"number\">2</td>"),
            "line 2 named"
        );
        assert!(
            r.text.contains("Kies een van de mogelijkheden"),
            "the problem in Dutch: {}",
            r.text
        );
        let good = format!(
            "{}\n{}\n",
            offer_line("ONL-1", "Hygiëne in de zorg", ""),
            offer_line("ONL-2", "Tillen zonder klachten", r#", "level": "mbo2""#)
        );
        let r = provider
            .upload(
                "/aanbieder/aanbod/uploaden",
                "/aanbieder/aanbod/uploaden",
                &[("controleren", "1")],
                ("bestand", "aanbod.jsonl", good.as_bytes()),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert!(r.text.contains("Alles klopt"), "{}", r.text);
        assert_eq!(
            app.store().catalogue_state().await.expect("state").1,
            1,
            "a dry run saves nothing"
        );
        let r = provider
            .upload(
                "/aanbieder/aanbod/uploaden",
                "/aanbieder/aanbod/uploaden",
                &[],
                ("bestand", "aanbod.jsonl", good.as_bytes()),
            )
            .await;
        assert!(r.text.contains("2 nieuw, 0 gewijzigd"), "{}", r.text);
        let list = provider.get("/aanbieder/aanbod").await;
        for title in ["Verzorgende IG voor zij-instromers", "Hygiëne in de zorg"] {
            assert!(list.text.contains(title), "{title}");
        }

        // Nobody finds the offers before a programme manager verifies the organisation.
        let mut visitor = app.client();
        let found = |v: &serde_json::Value| v["total"].as_u64().unwrap_or(0);
        assert_eq!(
            found(&visitor.get("/api/v1/offers?q=verzorgende").await.json()),
            0
        );
        let r = visitor.get(&format!("/opleidingen/{id}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let (mut manager, _) = app
            .logged_in("programma@example.nl", &[Role::ProgrammeManager])
            .await;
        let pending = manager.get("/beheer/aanbieders").await;
        assert!(
            pending.text.contains("Zorgacademie Parkstad"),
            "{}",
            pending.text
        );
        let provider_id = app
            .store()
            .provider_by_kvk("55667788")
            .await
            .expect("read")
            .expect("registered")
            .id
            .get();
        let r = manager
            .submit(
                "/beheer/aanbieders",
                &format!("/beheer/aanbieders/{provider_id}/verifieren"),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        assert!(
            manager
                .get("/beheer/aanbieders")
                .await
                .text
                .contains("Er wachten geen organisaties")
        );
        assert_eq!(
            found(&visitor.get("/api/v1/offers?q=verzorgende").await.json()),
            1
        );
        assert_eq!(
            found(&visitor.get("/api/v1/offers?q=tillen").await.json()),
            1
        );
        let page = visitor.get(&format!("/opleidingen/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("Zorgacademie Parkstad"));

        // A change and an archive, both in the history with what changed.
        let mut changed = fields.clone();
        changed.retain(|(k, _)| !matches!(*k, "title_nl" | "cost_amount_0"));
        changed.push(("title_nl", "Verzorgende IG (zij-instroom)"));
        changed.push(("cost_amount_0", "1400"));
        let r = provider
            .submit(
                &format!("/aanbieder/aanbod/{id}"),
                &format!("/aanbieder/aanbod/{id}"),
                &changed,
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let r = provider
            .submit(
                &format!("/aanbieder/aanbod/{id}"),
                &format!("/aanbieder/aanbod/{id}/archiveren"),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        assert_eq!(
            found(&visitor.get("/api/v1/offers?q=verzorgende").await.json()),
            0,
            "archived"
        );
        let history = provider
            .get(&format!("/aanbieder/aanbod/{id}/geschiedenis"))
            .await;
        assert_eq!(history.status, StatusCode::OK);
        for text in ["Aangemaakt", "Gewijzigd", "Gearchiveerd", "kosten, titel"] {
            assert!(history.text.contains(text), "{text}: {}", history.text);
        }

        // Another provider cannot open it, and a learner has no portal.
        let mut other = app
            .provider("ander@example.nl", "11223344", "Ander Leerhuis")
            .await;
        let r = other.get(&format!("/aanbieder/aanbod/{id}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = other
            .get(&format!("/aanbieder/aanbod/{id}/geschiedenis"))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let (mut learner, _) = app.logged_in("leerling@example.nl", &[Role::Learner]).await;
        assert_eq!(
            learner.get("/aanbieder").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            learner.get("/beheer/aanbieders").await.status,
            StatusCode::FORBIDDEN
        );
        app.cleanup().await;
    }
}
