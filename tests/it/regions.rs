//! Regions: a programme manager records an initiative on a page and more from a CSV file
//! (checked whole, with a dry run); anyone finds them on the region's page (a labour-market
//! region's, and its province's), in the initiative search and over the API.

use crate::common::apps;
use axum::http::StatusCode;
use leerpad_domain::role::Role;
use serde_json::json;

const CSV: &str = "title;region;municipalities;sector;partners;funding;developed;parel\n\
Mbo-aanbod Vlaardingen;Rijnmond;Vlaardingen;zorg en techniek;Albeda (opleider);MRDH: 120.000;bbl: 5 | deelcertificaat: 7;ja\n\
Zorg Innovatie Academie;Rijnmond;Vlaardingen;zorg;Hogeschool Rotterdam (opleider);MRDH: 148.550;module: 6;nee\n";

#[tokio::test]
async fn a_manager_adds_an_initiative_and_people_in_the_region_find_it() {
    for app in apps().await {
        let (mut manager, _) = app
            .logged_in("programma@example.nl", &[Role::ProgrammeManager])
            .await;
        let mut fields = vec![
            ("title", "Van winkel naar zorg in Parkstad"),
            (
                "summary",
                "Verkopers uit Heerlen en Kerkrade stappen over naar de zorg.",
            ),
            ("region", "zuid-limburg"),
            ("municipalities", "Heerlen | Kerkrade"),
            ("sector", "zorg"),
            (
                "partners",
                "Werkplein Parkstad (penvoerder) | Vista college (opleider)",
            ),
            ("participants_target", "60"),
            ("participants_realised", "zestig"),
            (
                "funding",
                "Provincie Limburg: 80.000 | Gemeente Heerlen: 20.000",
            ),
            ("starts_on", "2026-01-01"),
            ("ends_on", "2027-12-31"),
            ("developed", "deelcertificaat: 3"),
            ("parel", "ja"),
        ];
        let r = manager
            .submit("/beheer/initiatieven", "/beheer/initiatieven", &fields)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(r.text.contains("Vul een heel getal in"), "{}", r.text);
        fields.retain(|(k, _)| *k != "participants_realised");
        fields.push(("participants_realised", "41"));
        let r = manager
            .submit("/beheer/initiatieven", "/beheer/initiatieven", &fields)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let page = r.location().expect("the initiative's page").to_owned();
        let shown = app.client().get(&page).await;
        assert!(shown.text.contains("€ 100.000,-"), "{}", shown.text);
        assert!(shown.text.contains("41 van de 60"), "{}", shown.text);

        // A learner in Heerlen finds it on the Zuid-Limburg page, and on Limburg's.
        let (mut learner, _) = app.logged_in("lerende@example.nl", &[Role::Learner]).await;
        let region = learner.get("/regio/zuid-limburg").await;
        assert_eq!(region.status, StatusCode::OK);
        assert!(
            region.text.contains("Van winkel naar zorg in Parkstad"),
            "{}",
            region.text
        );
        assert!(region.text.contains("Heerlen, Kerkrade"));
        assert!(
            region.text.contains("nog geen cijfers over vraag"),
            "no demand yet"
        );
        // With demand figures the page shows the work that grows and shrinks there.
        // A shrinking occupation and the one sharing most of its skills, growing.
        let t = &app.matching.taxonomy().taxonomy;
        let shrinking = (0..t.occupations().len() as u32)
            .find(|o| t.skills_of(*o).len() >= 15)
            .expect("an occupation with many skills");
        let mut shared = std::collections::HashMap::new();
        for (skill, _) in t.skills_of(shrinking) {
            for (o, _) in t.occupations_with(*skill) {
                if *o != shrinking {
                    *shared.entry(*o).or_insert(0usize) += 1;
                }
            }
        }
        let growing = shared
            .iter()
            .max_by_key(|(o, n)| (**n, std::cmp::Reverse(**o)))
            .map(|(o, _)| *o)
            .expect("a related occupation");
        let uri = |o: u32| t.occupation(o).map(|r| r.uri.clone()).unwrap_or_default();
        let occupations = [uri(growing), uri(shrinking)];
        let record = |uri: &str, trend: f64| {
            use leerpad_domain::matching::demand::{Area, DemandRecord, DemandSubject};
            DemandRecord {
                subject: DemandSubject::Occupation(uri.to_owned()),
                area: Area::Region("Zuid-Limburg".into()),
                period: "2026-Q3".into(),
                vacancies: Some(120),
                job_seekers: Some(40),
                tension: None,
                trend_percent: Some(trend),
            }
        };
        app.matching
            .import_demand(vec![
                (2, Ok(record(&occupations[0], 14.0))),
                (3, Ok(record(&occupations[1], -9.0))),
            ])
            .await
            .expect("demand");
        let region = learner.get("/regio/zuid-limburg").await;
        assert!(
            region.text.contains("Beroepen met de meeste groei"),
            "{}",
            region.text
        );
        assert!(region.text.contains("+14%") && region.text.contains("-9%"));
        assert!(
            region.text.contains("Van krimp naar groei"),
            "{}",
            region.text
        );
        let growing_key = occupations[0].rsplit('/').next().unwrap_or_default();
        let transitions = region
            .text
            .split("id=\"transitions-title\"")
            .nth(1)
            .unwrap_or_default();
        assert!(
            transitions.contains(&format!("/esco/beroep/{growing_key}")),
            "the growing occupation sharing most skills: {transitions}"
        );
        let province = learner.get("/regio/limburg").await;
        assert!(province.text.contains("Van winkel naar zorg in Parkstad"));
        assert!(province.text.contains("href=\"/regio/zuid-limburg\""));
        assert!(
            !learner
                .get("/regio/rijnmond")
                .await
                .text
                .contains("Van winkel naar zorg")
        );
        assert_eq!(
            learner.get("/regio/atlantis").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            learner.get("/beheer/initiatieven").await.status,
            StatusCode::FORBIDDEN
        );

        // A CSV file: a bad line refuses the whole file; a dry run saves nothing.
        let bad = CSV.replace("Rijnmond;Vlaardingen;zorg;", "Atlantis;Vlaardingen;zorg;");
        let r = manager
            .upload(
                "/beheer/initiatieven",
                "/beheer/initiatieven/uploaden",
                &[],
                ("bestand", "initiatieven.csv", bad.as_bytes()),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(
            r.text.contains("Kies een provincie of arbeidsmarktregio"),
            "{}",
            r.text
        );
        assert!(
            r.text.contains("<td class=\"number\">3</td>"),
            "line 3 named"
        );
        let r = manager
            .upload(
                "/beheer/initiatieven",
                "/beheer/initiatieven/uploaden",
                &[("controleren", "1")],
                ("bestand", "initiatieven.csv", CSV.as_bytes()),
            )
            .await;
        assert!(r.text.contains("Alles klopt: 2 initiatieven"), "{}", r.text);
        let regions = app.client().get("/api/v1/regions").await.json();
        let count = |slug: &str| {
            regions
                .as_array()
                .and_then(|a| a.iter().find(|r| r["slug"] == slug))
                .and_then(|r| r["initiatives"].as_u64())
        };
        assert_eq!(count("rijnmond"), Some(0), "a dry run saves nothing");
        let r = manager
            .upload(
                "/beheer/initiatieven",
                "/beheer/initiatieven/uploaden",
                &[],
                ("bestand", "initiatieven.csv", CSV.as_bytes()),
            )
            .await;
        assert!(r.text.contains("2 initiatieven opgeslagen"), "{}", r.text);
        let regions = app.client().get("/api/v1/regions").await.json();
        let count = |slug: &str| {
            regions
                .as_array()
                .and_then(|a| a.iter().find(|r| r["slug"] == slug))
                .and_then(|r| r["initiatives"].as_u64())
        };
        assert_eq!(count("rijnmond"), Some(2));
        assert_eq!(
            count("zuid-holland"),
            Some(2),
            "a province counts its regions'"
        );
        assert_eq!(count("limburg"), Some(1));

        // Search by words, sector and good practice; the overview lists every region.
        let found = app.client().get("/initiatieven?q=innovatie").await;
        assert!(
            found.text.contains("Zorg Innovatie Academie"),
            "{}",
            found.text
        );
        assert!(!found.text.contains("Mbo-aanbod Vlaardingen"));
        let parels = app
            .client()
            .get("/api/v1/initiatives?parel=true&region=zuid-holland")
            .await
            .json();
        assert_eq!(parels.as_array().map(Vec::len), Some(1), "{parels}");
        assert_eq!(parels[0]["initiative"]["title"], "Mbo-aanbod Vlaardingen");
        let overview = app.client().get("/regio").await;
        assert_eq!(overview.status, StatusCode::OK);
        assert!(
            overview
                .text
                .contains("href=\"/regio/arbeidsmarktregio-groningen\"")
        );
        let r = manager
            .post_json(
                "/api/v1/initiatives",
                json!({"title": "", "region": "nergens"}),
            )
            .await;
        let problem = r.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        let fields = crate::common::error_fields(&problem);
        assert!(
            fields.contains(&"title") && fields.contains(&"region"),
            "{fields:?}"
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn the_dashboard_counts_the_same_rows_the_lists_show() {
    use leerpad_domain::enrolment::ports::NewEnrolment;
    use leerpad_domain::financing::{EducationLevel, PersonFacts};
    use leerpad_domain::policy::Principal;
    use leerpad_domain::role::RoleSet;
    use leerpad_domain::shared::{OfferId, UserId};
    for app in apps().await {
        let ids = app
            .provider_with_offers(json!([{
                "provider_offer_id": "D-1",
                "title": {"nl": "Basisvaardigheden zorg"},
                "kind": "course", "modality": "on_site",
                "costs": [{"kind": "tuition", "amount_cents": 30_000, "vat_percent": 0}],
                "runs": [{"id": "R1", "start": "2027-03-01", "end": "2027-04-01", "municipality": "Heerlen"}],
            }]))
            .await;
        let offer = app.store.offer(ids[0]).await.expect("read").expect("offer");
        // A generated population: where people live, their education, who enrolled.
        let towns = [
            "Heerlen",
            "Maastricht",
            "Amsterdam",
            "Vlaardingen",
            "Kerkrade",
        ];
        let levels = [
            EducationLevel::Mbo2,
            EducationLevel::Hbo,
            EducationLevel::Vmbo,
        ];
        let (mut people_zl, mut enrolled_zl, mut mbo2_zl, mut enrolled_all) =
            (0u64, 0u64, 0u64, 0u64);
        for n in 0..45usize {
            let email = format!("persoon{n}@example.nl");
            let (_, id) = app.logged_in(&email, &[Role::Learner]).await;
            let town = towns[(n * 7) % towns.len()];
            let level = levels[(n * 5) % levels.len()];
            let principal = Principal {
                user_id: UserId::new(id),
                email,
                roles: RoleSet::new([Role::Learner]),
            };
            let facts = PersonFacts {
                age: Some(20 + (n % 40) as u8),
                education: Some(level),
                municipality: Some(town.into()),
                ..PersonFacts::default()
            };
            app.financing
                .save_situation(&principal, &facts)
                .await
                .expect("situation");
            let in_zl = matches!(town, "Heerlen" | "Maastricht" | "Kerkrade");
            people_zl += u64::from(in_zl);
            mbo2_zl += u64::from(in_zl && level == EducationLevel::Mbo2);
            if n % 3 == 0 {
                app.store
                    .request_enrolment(
                        NewEnrolment {
                            learner: UserId::new(id),
                            offer: OfferId::new(ids[0]),
                            provider: offer.provider_id,
                            run: "R1",
                            deadline: time::macros::date!(2027 - 01 - 19),
                            at: 1,
                        },
                        5,
                    )
                    .await
                    .expect("enrolment");
                enrolled_all += 1;
                enrolled_zl += u64::from(in_zl);
            }
        }
        let (mut manager, _) = app
            .logged_in("programma@example.nl", &[Role::ProgrammeManager])
            .await;
        let csv = manager
            .get("/beheer/dashboard.csv?regio=zuid-limburg")
            .await;
        assert_eq!(csv.status, StatusCode::OK, "{}", csv.text);
        let figure = |text: &str, figure: &str, value: &str| -> u64 {
            text.lines()
                .filter_map(|l| {
                    let cells: Vec<&str> = l.split(',').collect();
                    (cells.get(1) == Some(&figure) && cells.get(2) == Some(&value))
                        .then(|| cells.get(3).and_then(|c| c.parse().ok()))
                        .flatten()
                })
                .next()
                .unwrap_or(0)
        };
        assert_eq!(figure(&csv.text, "people", ""), people_zl, "{}", csv.text);
        assert_eq!(figure(&csv.text, "education", "mbo2"), mbo2_zl);
        assert_eq!(figure(&csv.text, "enrolments", ""), enrolled_zl);
        assert_eq!(
            figure(&csv.text, "enrolment_status", "requested"),
            enrolled_zl
        );
        let all = manager.get("/beheer/dashboard.csv").await;
        assert_eq!(figure(&all.text, "people", ""), 45);
        assert_eq!(figure(&all.text, "enrolments", ""), enrolled_all);
        let page = manager.get("/beheer/dashboard?regio=zuid-limburg").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.text.contains("Dashboard: Zuid-Limburg"),
            "{}",
            page.text
        );
        assert!(
            page.text
                .contains(&format!("<span class=\"bar-value\">{mbo2_zl}</span>"))
        );
        let (mut learner, _) = app.logged_in("lerende@example.nl", &[Role::Learner]).await;
        assert_eq!(
            learner.get("/beheer/dashboard").await.status,
            StatusCode::FORBIDDEN
        );
        app.cleanup().await;
    }
}
