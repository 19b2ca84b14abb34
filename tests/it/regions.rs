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
        // Scheme money to some of them (paid or promised), and learning-culture answers.
        app.financing.seed_examples().await.expect("schemes");
        let credit = app
            .store
            .scheme("leer-en-ontwikkelbudget")
            .await
            .expect("read")
            .expect("seeded");
        let (mut paid_zl, mut promised_zl, mut paid_all) = (0u64, 0u64, 0u64);
        let (mut answers_zl, mut score_sum_zl) = (0u64, 0u64);
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
            if n % 4 == 1 {
                let cents = 10_000 * (n as i64 + 1);
                let paid = n % 8 == 1;
                app.store
                    .record_award(
                        &leerpad_domain::financing::ports::NewAward {
                            scheme_id: credit.id,
                            user_id: Some(UserId::new(id)),
                            offer_id: Some(OfferId::new(ids[0])),
                            amount_cents: leerpad_domain::shared::Money::from_cents(cents),
                            spent: paid,
                            on: time::macros::date!(2026 - 12 - 01),
                            at: 1,
                        },
                        credit.definition.budget.total_cents,
                    )
                    .await
                    .expect("award");
                let cents = cents as u64;
                if paid {
                    paid_all += cents;
                    paid_zl += if in_zl { cents } else { 0 };
                } else if in_zl {
                    promised_zl += cents;
                }
            }
            if n % 5 == 2 {
                use leerpad_domain::regions::culture::{Audience, CultureAnswer};
                // Everyone answers for where they live; scores 1..=5 on both questions.
                let region = app
                    .financing
                    .regions()
                    .municipality(town)
                    .map(|m| leerpad_domain::regions::pages::slugify(&m.region))
                    .expect("town");
                let score = (n % 5) as u8 + 1;
                app.store
                    .save_culture_answer(
                        Some(UserId::new(id)),
                        &CultureAnswer {
                            audience: Audience::Employee,
                            version: 2,
                            region,
                            period: "2026-K4".into(),
                            scores: vec![("a".into(), score), ("b".into(), score)],
                        },
                        1,
                    )
                    .await
                    .expect("culture answer");
                if in_zl {
                    answers_zl += 1;
                    score_sum_zl += u64::from(score - 1) * 25;
                }
            }
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
        assert!(paid_zl > 0 && promised_zl > 0 && answers_zl > 0);
        assert_eq!(
            figure(&csv.text, "budget_paid_cents", "leer-en-ontwikkelbudget"),
            paid_zl
        );
        assert_eq!(
            figure(
                &csv.text,
                "budget_promised_cents",
                "leer-en-ontwikkelbudget"
            ),
            promised_zl
        );
        assert_eq!(
            figure(&csv.text, "culture_employee_responses", "2026-K4"),
            answers_zl
        );
        assert_eq!(
            figure(&csv.text, "culture_employee_index", "2026-K4"),
            (score_sum_zl as f64 / answers_zl as f64).round() as u64
        );
        let all = manager.get("/beheer/dashboard.csv").await;
        assert_eq!(figure(&all.text, "people", ""), 45);
        assert_eq!(
            figure(&all.text, "budget_paid_cents", "leer-en-ontwikkelbudget"),
            paid_all
        );
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

#[tokio::test]
async fn a_person_answers_the_learning_culture_survey_and_the_region_shows_the_trend() {
    for app in apps().await {
        let (mut anna, _) = app.logged_in("anna@example.nl", &[Role::Learner]).await;
        let form = anna.get("/leercultuur").await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.text);
        // The version of today's date: version 2 asks about time for learning.
        assert!(
            form.text.contains("name=\"time-for-learning\""),
            "{}",
            form.text
        );
        assert!(!form.text.contains("name=\"learned-last-month\""));
        // Unanswered questions and no region: every problem at its field, nothing kept.
        let bad = anna
            .submit(
                "/leercultuur",
                "/leercultuur",
                &[("version", "2"), ("als", ""), ("time-for-learning", "4")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
        assert!(
            bad.text
                .contains("Kies de arbeidsmarktregio waar je werkt.")
        );
        assert!(bad.text.contains("href=\"#want-to-learn\""), "{}", bad.text);
        let answer = |score: &'static str| {
            vec![
                ("version", "2"),
                ("als", ""),
                ("region", "zuid-limburg"),
                ("time-for-learning", score),
                ("talk-with-manager", score),
                ("know-where-to-find", score),
                ("colleagues-learn", score),
                ("want-to-learn", score),
            ]
        };
        let ok = anna
            .submit("/leercultuur", "/leercultuur", &answer("2"))
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
        // Answering again this quarter replaces the first answer.
        anna.submit("/leercultuur", "/leercultuur", &answer("5"))
            .await;
        let again = anna.get("/leercultuur").await;
        assert!(again.text.contains("al ingevuld"), "{}", again.text);
        assert!(again.text.contains("value=\"5\" checked"));
        // A form from an older version is refused rather than mixed in.
        let mut old = answer("3");
        old[0] = ("version", "1");
        let stale = anna.submit("/leercultuur", "/leercultuur", &old).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text);
        // Only employers answer the employers' questions.
        assert_eq!(
            anna.get("/leercultuur?als=werkgever").await.status,
            StatusCode::FORBIDDEN
        );
        let (mut manager, _) = app
            .logged_in("programma@example.nl", &[Role::ProgrammeManager])
            .await;
        let csv = manager
            .get("/beheer/dashboard.csv?regio=zuid-limburg")
            .await;
        let period = leerpad_domain::regions::culture::quarter(leerpad_app::catalogue::today(
            app.clock.as_ref(),
        ));
        assert!(
            csv.text.contains(&format!(
                "Zuid-Limburg,culture_employee_responses,{period},1"
            )),
            "{}",
            csv.text
        );
        assert!(
            csv.text
                .contains(&format!("Zuid-Limburg,culture_employee_index,{period},100")),
            "{}",
            csv.text
        );
        // Over the API: the survey, an answer with a score off the scale (named by its path),
        // and the dashboard's figures.
        let survey = anna.get("/api/v1/culture/survey").await;
        let survey: serde_json::Value = serde_json::from_str(&survey.text).expect("json");
        assert_eq!(survey["version"], 2);
        assert_eq!(survey["period"], period.as_str());
        let mut scores = serde_json::Map::new();
        for key in survey["employee"].as_array().expect("keys") {
            scores.insert(key.as_str().expect("key").to_owned(), json!(5));
        }
        scores.insert("want-to-learn".into(), json!(9));
        let bad = anna
            .post_json(
                "/api/v1/me/culture",
                json!({"audience": "employee", "version": 2, "region": "zuid-limburg", "scores": scores}),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
        assert!(bad.text.contains("scores.want-to-learn"), "{}", bad.text);
        let api = manager.get("/api/v1/dashboard?region=zuid-limburg").await;
        assert_eq!(api.status, StatusCode::OK, "{}", api.text);
        let api: serde_json::Value = serde_json::from_str(&api.text).expect("json");
        assert_eq!(api["figures"]["culture"][0]["responses"], 1);
        assert_eq!(api["figures"]["culture"][0]["index"], 100);
        // The public page shows the trend (the province too), without anyone's answer.
        let mut visitor = app.client();
        let page = visitor.get("/regio/limburg").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.text.contains("100 van de 100 (1 antwoord)"),
            "{}",
            page.text
        );
        assert!(page.text.contains("Mensen bereikt"));
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_region_page_shows_its_schemes_and_a_transition_shows_the_gap_and_training() {
    for app in apps().await {
        app.financing.seed_examples().await.expect("schemes");
        let mut visitor = app.client();
        let page = visitor.get("/regio/zuid-limburg").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(page.text.contains("Regelingen voor mensen die hier wonen"));
        let limited: Vec<_> = app
            .store
            .schemes()
            .await
            .expect("schemes")
            .into_iter()
            .filter(|s| {
                s.status == leerpad_domain::financing::SchemeStatus::Published
                    && app.financing.provinces_of(s).is_some()
            })
            .collect();
        assert!(
            !limited.is_empty(),
            "the examples have a scheme for one province"
        );
        for s in &limited {
            let here = app
                .financing
                .provinces_of(s)
                .is_some_and(|p| p.iter().any(|p| p == "Limburg"));
            assert_eq!(
                page.text
                    .contains(&format!("href=\"/regelingen/{}\"", s.slug)),
                here,
                "{} on the Zuid-Limburg page",
                s.slug
            );
        }
        // A transition between two real ESCO occupations renders its gap, for anyone.
        let tax = &app.matching.taxonomy().taxonomy;
        let keys: Vec<String> = tax
            .occupations()
            .iter()
            .take(2)
            .map(|o| leerpad_domain::taxonomy::key_of(&o.uri).to_owned())
            .collect();
        let path = format!("/regio/zuid-limburg/overstap/{}/{}", keys[0], keys[1]);
        let t = visitor.get(&path).await;
        assert_eq!(t.status, StatusCode::OK, "{}", t.text);
        assert!(t.text.contains("id=\"gap-title\""), "{}", t.text);
        assert_eq!(
            visitor
                .get("/regio/zuid-limburg/overstap/bestaat-niet/ook-niet")
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        app.cleanup().await;
    }
}
