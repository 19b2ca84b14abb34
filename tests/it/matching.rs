//! Profile and matching on every engine: demand import (all or nothing), the profile built from
//! a job title and picked skills, occupations ranked with regional demand, the skill gap and a
//! training plan priced after financing; bad and extreme profiles get clear answers.

use crate::common::{TestApp, apps, strings};
use axum::http::StatusCode;
use leerpad_domain::matching::{Area, DemandRecord, DemandSubject};
use leerpad_domain::role::Role;
use serde_json::{Value, json};

const WELDER: &str = "7aedaa07-3884-4c5b-88f9-80997b2aa54b";

fn keys(v: &Value) -> Vec<String> {
    strings(v, "id")
}

async fn publish(app: &TestApp, offers: Value) -> Vec<i64> {
    app.provider_with_offers(offers).await
}

fn demand(subject: &str, area: Area, vacancies: u32, seekers: u32) -> DemandRecord {
    DemandRecord {
        subject: DemandSubject::Occupation(format!(
            "http://data.europa.eu/esco/occupation/{subject}"
        )),
        area,
        period: "2026-Q3".into(),
        vacancies: Some(vacancies),
        job_seekers: Some(seekers),
        tension: None,
        trend_percent: Some(3.0),
    }
}

#[tokio::test]
async fn profile_matches_gap_and_plan() {
    for app in apps().await {
        app.financing.seed_examples().await.expect("schemes");
        let mut anonymous = app.client();
        let r = anonymous.get("/api/v1/me/matches").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);

        let (mut learner, _) = app.logged_in("leerling@example.nl", &[Role::Learner]).await;
        let r = learner.get("/api/v1/me/profile").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["skills"], json!([]));
        let r = learner.get("/api/v1/me/matches").await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json()["items"], json!([]));
        assert!(
            r.json()["notice"]
                .as_str()
                .is_some_and(|n| n.contains("vaardigheden"))
        );

        // A job title brings the occupation and its skills.
        let r = learner
            .post_json(
                "/api/v1/me/profile/occupations",
                json!({"title": "lasser", "current": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let profile = r.json();
        assert_eq!(keys(&profile["occupations"]), vec![WELDER.to_owned()]);
        let n_skills = profile["skills"].as_array().map_or(0, Vec::len);
        assert!(n_skills >= 10, "{n_skills}");
        assert!(
            profile["skills"]
                .as_array()
                .is_some_and(|a| a.iter().all(|s| s["origin"] == "occupation"))
        );

        // Circumstances: Maastricht, mbo2, online or in the region.
        let mut body = json!({
            "skills": profile["skills"].as_array().map(|a| a.iter().map(|s| json!({
                "uri": s["uri"], "origin": s["origin"], "occupation": s["occupation"], "essential": s["essential"]
            })).collect::<Vec<_>>()),
            "occupations": [{"uri": WELDER, "title": "lasser", "current": true}],
            "education": "mbo2", "municipality": "Maastricht", "travel": "region", "hours_per_week": 6
        });
        let r = learner.put_json("/api/v1/me/profile", body.clone()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["region"], "Zuid-Limburg");
        assert_eq!(r.json()["municipality"], "GM0935");

        let r = learner.get("/api/v1/me/matches?limit=10").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let matches = r.json();
        let items = matches["items"].as_array().cloned().unwrap_or_default();
        assert_eq!(items.len(), 10);
        assert!(
            items.iter().all(|m| m["occupation"]["id"] != WELDER),
            "own job left out"
        );
        let scores: Vec<f64> = items.iter().filter_map(|m| m["score"].as_f64()).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
        assert!(items[0]["essential_had"].as_u64() > Some(0));
        let target = items
            .iter()
            .find(|m| m["missing_essential_count"].as_u64() >= Some(3))
            .map(|m| m["occupation"]["id"].as_str().unwrap_or("").to_owned())
            .expect("a match with at least three missing essential skills");

        // Demand: all or nothing, then it shows for the region.
        let bad = vec![
            (
                2,
                Ok(demand(&target, Area::Region("Zuid-Limburg".into()), 40, 10)),
            ),
            (3, Ok(demand("no-such-occupation", Area::National, 1, 1))),
        ];
        let problems = app.matching.import_demand(bad).await.expect_err("refused");
        assert_eq!(problems.len(), 1);
        assert_eq!(
            (problems[0].line, problems[0].error.field.as_str()),
            (3, "occupation")
        );
        assert!(app.matching.demand().is_empty(), "nothing half-imported");
        let good = vec![
            (
                2,
                Ok(demand(&target, Area::Region("Zuid-Limburg".into()), 40, 10)),
            ),
            (3, Ok(demand(&target, Area::National, 900, 300))),
        ];
        assert_eq!(
            app.matching
                .import_demand(good.clone())
                .await
                .expect("import"),
            2
        );
        assert_eq!(app.matching.import_demand(good).await.expect("again"), 2);
        assert_eq!(
            app.matching.demand().len(),
            2,
            "re-import updates, never duplicates"
        );
        let r = learner.get("/api/v1/me/matches?limit=10").await;
        let first = r.json()["items"]
            .as_array()
            .and_then(|a| {
                a.iter()
                    .find(|m| m["occupation"]["id"] == target.as_str())
                    .cloned()
            })
            .unwrap_or(Value::Null);
        assert_eq!(first["demand"]["area"], "Zuid-Limburg", "{first}");
        assert_eq!(first["demand"]["tension"], 4.0);

        // The gap, grouped by the hierarchy.
        let r = learner.get(&format!("/api/v1/me/gap/{target}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let gap = r.json();
        let missing: Vec<String> = gap["groups"]
            .as_array()
            .map(|g| {
                g.iter()
                    .flat_map(|g| keys(&g["missing_essential"]))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            missing.len() as u64,
            gap["missing_essential_count"].as_u64().unwrap_or(0)
        );
        assert!(missing.len() >= 3, "{gap}");
        let r = learner.get("/api/v1/me/gap/not-an-occupation").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        // Offers: one teaching three missing skills, one teaching one, one in Groningen.
        let skill = |i: usize| format!("http://data.europa.eu/esco/skill/{}", missing[i]);
        let ids = publish(
            &app,
            json!([
                {"provider_offer_id": "A", "title": {"nl": "Drie in een"}, "kind": "course",
                 "modality": "online", "level": "mbo2", "study_load_hours": 40,
                 "skills": [skill(0), skill(1), skill(2)],
                 "costs": [{"kind": "tuition", "amount_cents": 100_000, "vat_percent": 0}]},
                {"provider_offer_id": "B", "title": {"nl": "Een ding"}, "kind": "course",
                 "modality": "online", "level": "mbo2", "study_load_hours": 8,
                 "skills": [skill(0)],
                 "costs": [{"kind": "tuition", "amount_cents": 10_000, "vat_percent": 0}]},
                {"provider_offer_id": "C", "title": {"nl": "Ver weg"}, "kind": "course",
                 "modality": "on_site", "level": "mbo2", "study_load_hours": 8,
                 "skills": [skill(0), skill(1), skill(2)],
                 "runs": [{"start": "2027-03-01", "municipality": "Groningen"}],
                 "costs": [{"kind": "tuition", "amount_cents": 0, "vat_percent": 0}]},
            ]),
        )
        .await;
        let r = learner.get(&format!("/api/v1/me/plan/{target}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let plan = r.json();
        let first = &plan["items"][0];
        assert_eq!(first["offer"]["id"].as_i64(), Some(ids[0]), "{plan}");
        assert_eq!(first["covers_essential"].as_array().map(Vec::len), Some(3));
        assert!(first["offer"]["net_cents"].as_i64() < first["offer"]["gross_cents"].as_i64());
        assert!(
            first["financing"]
                .as_array()
                .is_some_and(|f| f.iter().any(|s| s["scheme"] == "limburg-leert-fonds"))
        );
        let why = first["explanation"].as_str().unwrap_or("");
        assert!(
            why.contains("Leert je 3 van je") && why.contains("Limburg Leert Fonds"),
            "{why}"
        );
        let planned: Vec<i64> = plan["items"]
            .as_array()
            .map(|a| a.iter().filter_map(|i| i["offer"]["id"].as_i64()).collect())
            .unwrap_or_default();
        assert!(!planned.contains(&ids[2]), "outside the travel range");
        assert!(plan["essential_covered"].as_u64() >= Some(3));
        let r = learner
            .get(&format!("/api/v1/me/plan/{target}?lang=en"))
            .await;
        assert!(
            r.json()["items"][0]["explanation"]
                .as_str()
                .is_some_and(|e| e.starts_with("Teaches 3 of your"))
        );

        // Bad and extreme profiles.
        body["skills"] = json!([{"uri": "http://data.europa.eu/esco/skill/nope"}]);
        let r = learner.put_json("/api/v1/me/profile", body.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert_eq!(r.json()["errors"][0]["field"], "skills[0].uri");
        let all: Vec<Value> = crate::common::taxonomy()
            .taxonomy
            .skills()
            .iter()
            .take(5_001)
            .map(|s| json!({"uri": s.uri}))
            .collect();
        body["skills"] = Value::Array(all[..5_000].to_vec());
        let r = learner.put_json("/api/v1/me/profile", body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{}",
            r.text.get(..300).unwrap_or("")
        );
        let r = learner.get("/api/v1/me/matches").await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json()["items"].as_array().map(Vec::len), Some(20));
        let r = learner.get(&format!("/api/v1/me/plan/{target}")).await;
        assert_eq!(r.status, StatusCode::OK);
        body["skills"] = Value::Array(all);
        let r = learner.put_json("/api/v1/me/profile", body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["errors"][0]["field"], "skills");

        // The profile is part of the person's data export.
        let r = learner.get("/api/v1/me/export").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.header("content-disposition")
                .is_some_and(|d| d.contains("attachment"))
        );
        let export = r.json();
        assert_eq!(export["account"]["email"], "leerling@example.nl");
        assert_eq!(export["skills_profile"]["municipality"], "GM0935");
        assert_eq!(
            export["skills_profile"]["skills"].as_array().map(Vec::len),
            Some(5_000)
        );
        assert_eq!(
            anonymous.get("/api/v1/me/export").await.status,
            StatusCode::UNAUTHORIZED
        );

        // Another learner sees only their own (empty) profile.
        let (mut other, _) = app.logged_in("ander@example.nl", &[Role::Learner]).await;
        let r = other.get("/api/v1/me/profile").await;
        assert_eq!(r.json()["skills"], json!([]));
        app.cleanup().await;
    }
}

#[tokio::test]
async fn the_pages_build_a_profile_and_show_chances_without_javascript() {
    for app in apps().await {
        let mut anonymous = app.client();
        let r = anonymous.get("/kansen").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "sign in first");

        let (mut learner, _) = app.logged_in("pagina@example.nl", &[Role::Learner]).await;
        let r = learner.get("/vaardigheden").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("Mijn vaardigheden"));
        let r = learner
            .submit("/vaardigheden", "/vaardigheden/beroep", &[("title", "")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("aria-invalid=\"true\""));
        let r = learner
            .submit(
                "/vaardigheden",
                "/vaardigheden/beroep",
                &[("title", "lasser")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let r = learner.get("/vaardigheden").await;
        assert!(
            r.text.contains("/esco/beroep/7aedaa07"),
            "the job is listed"
        );

        // CV text: suggestions to review, then the ticked ones are kept.
        let r = learner
            .submit(
                "/vaardigheden",
                "/vaardigheden/cv",
                &[(
                    "cv_text",
                    "I drive a forklift truck in a warehouse and keep the stock records.",
                )],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let marker = "name=\"skill_1\" value=\"";
        let uri = r.text_between(marker, '"').expect("a suggestion to review");
        let token = r.csrf();
        let r = learner
            .form(
                "/vaardigheden/cv/opslaan",
                &[("_csrf", token.as_str()), ("skill_1", uri.as_str())],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let profile = learner.get("/api/v1/me/profile").await.json();
        assert!(profile["skills"].as_array().is_some_and(|a| {
            a.iter()
                .any(|s| s["uri"] == uri.as_str() && s["origin"] == "cv")
        }));

        let r = learner
            .submit(
                "/vaardigheden",
                "/vaardigheden/situatie",
                &[("municipality", "Atlantis"), ("hours", "6")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = learner
            .submit(
                "/vaardigheden",
                "/vaardigheden/situatie",
                &[
                    ("municipality", "Maastricht"),
                    ("hours", "6"),
                    ("travel", "region"),
                    ("education", "mbo2"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        // The financing questions do not ask again what the profile says.
        let financing = learner.get("/financiering").await;
        assert!(
            financing.text.contains("value=\"Maastricht\""),
            "{}",
            financing.text
        );

        let r = learner.get("/kansen").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("Zuid-Limburg"));
        assert!(
            r.text.contains("href=\"/regio/zuid-limburg\""),
            "work with a future near her: her region's page"
        );
        let first = r.text_between("href=\"/kansen/", '"').expect("a match");
        let r = learner.get(&format!("/kansen/{first}")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("Wat je nog mist") && r.text.contains("Jouw leerplan"));
        // No skill ESCO names only in English appears on these Dutch pages outside an element
        // marked lang="en": such skills are named through their Dutch skill group.
        let english = english_only_skill_labels(&app);
        for path in [
            "/vaardigheden".to_owned(),
            "/kansen".into(),
            format!("/kansen/{first}"),
        ] {
            let page = learner.get(&path).await;
            let visible_dutch = without_english(&page.text);
            let leaked: Vec<&String> = english
                .iter()
                .filter(|l| visible_dutch.contains(l.as_str()))
                .take(5)
                .collect();
            assert!(
                leaked.is_empty(),
                "{path} shows English outside lang=\"en\": {leaked:?}"
            );
        }
        let r = learner.get(&format!("/kansen/{first}?lang=en")).await;
        assert!(r.text.contains("Your learning plan"));
        // "Ik wil iets anders": a goal chosen by typing, in Dutch or English, leads to its gap.
        let r = learner.get("/kansen?beroep=verpleegkundige&lang=nl").await;
        assert_eq!(r.status, StatusCode::OK);
        let section = &r.text[r.text.find("id=\"goal-title\"").expect("goal section")..];
        let goal = section
            .split("href=\"/kansen/")
            .nth(1)
            .and_then(|rest| rest.split_once('"'))
            .map(|(id, _)| id.to_owned())
            .expect("a goal found");
        assert!(
            section.to_lowercase().contains("verpleegkundige"),
            "{section}"
        );
        let r = learner.get(&format!("/kansen/{goal}")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("Wat je nog mist"));
        let english = learner.get("/kansen?beroep=nurse").await;
        let section = &english.text[english.text.find("id=\"goal-title\"").expect("goal")..];
        assert!(
            section.contains("href=\"/kansen/"),
            "an English synonym finds it too"
        );
        app.cleanup().await;
    }
}

/// The English labels of skills ESCO has no Dutch label for (long enough not to be a Dutch
/// word as well).
fn english_only_skill_labels(app: &crate::common::TestApp) -> Vec<String> {
    let t = &app.matching.taxonomy().taxonomy;
    t.data()
        .skills
        .iter()
        .filter(|s| !s.texts.iter().any(|x| x.lang == "nl"))
        .filter_map(|s| s.texts.iter().find(|x| x.lang == "en"))
        .map(|x| x.preferred.clone())
        .filter(|l| l.len() >= 12 && l.contains(' '))
        .collect()
}

/// The page without the elements marked `lang="en"` (spans, lists), to check what is left.
fn without_english(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(" lang=\"en\"") {
        let Some(open) = rest[..start].rfind('<') else {
            break;
        };
        let tag: String = rest[open + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        out.push_str(&rest[..open]);
        let close = format!("</{tag}>");
        match rest[start..].find(&close) {
            Some(end) => rest = &rest[start + end + close.len()..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn mijn_kansen_suggests_growing_work_in_her_region_outside_her_shrinking_field() {
    for app in apps().await {
        let (mut learner, _) = app.logged_in("noor@example.nl", &[Role::Learner]).await;
        let r = learner
            .post_json(
                "/api/v1/me/profile/occupations",
                json!({"title": "verkoopmedewerker", "current": true}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let profile = r.json();
        let own_key = keys(&profile["occupations"])
            .first()
            .cloned()
            .expect("the job found");
        let skill_uris = strings(&profile["skills"], "uri");
        let r = learner
            .submit(
                "/vaardigheden",
                "/vaardigheden/situatie",
                &[("municipality", "Heerlen"), ("hours", "6")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);

        // From the taxonomy: occupations sharing at least three of her skills, in her own
        // field (ISCO 52, sales) and outside it.
        let t = &app.matching.taxonomy().taxonomy;
        let own = t.occupation_id(&own_key).expect("own occupation");
        let own_isco = t.occupation(own).expect("record").isco_code.clone();
        let mine: Vec<u32> = skill_uris.iter().filter_map(|u| t.skill_id(u)).collect();
        let sharing = |same_field: bool| {
            let mut found: Vec<String> = t
                .occupations()
                .iter()
                .enumerate()
                .filter(|(o, rec)| {
                    *o as u32 != own
                        && (rec.isco_code.get(..2) == own_isco.get(..2)) == same_field
                        && t.skills_of(*o as u32)
                            .iter()
                            .filter(|(s, _)| mine.contains(s))
                            .count()
                            >= 3
                })
                .map(|(_, rec)| rec.uri.rsplit('/').next().unwrap_or("").to_owned())
                .collect();
            found.sort();
            found
        };
        let elsewhere = sharing(false);
        let same_field = sharing(true);
        let target = elsewhere.first().cloned().expect("work outside sales");
        let colleague = same_field.first().cloned().expect("other sales work");
        let region = || Area::Region("Zuid-Limburg".into());
        let trend = |key: &str, area: Area, trend: f64| DemandRecord {
            trend_percent: Some(trend),
            ..demand(key, area, 120, 60)
        };
        let rows = vec![
            (1, Ok(trend(&own_key, region(), -9.0))),
            (2, Ok(trend(&target, region(), 12.0))),
            // Growing too, but in her shrinking field: not a way out.
            (3, Ok(trend(&colleague, region(), 20.0))),
        ];
        app.matching.import_demand(rows).await.expect("demand");

        let page = learner.get("/kansen").await;
        assert_eq!(page.status, StatusCode::OK);
        let start = page
            .text
            .find("id=\"growth-title\"")
            .unwrap_or_else(|| panic!("no growth suggestions: {}", page.text));
        let section = &page.text[start..];
        let section = &section[..section.find("</ul>").unwrap_or(section.len())];
        assert!(
            section.contains("Er komt minder werk in je eigen vak"),
            "{section}"
        );
        assert!(
            section.contains(&format!("href=\"/kansen/{target}\"")),
            "{section}"
        );
        assert!(
            section.contains("Groeiend in Zuid-Limburg: +12% vacatures."),
            "{section}"
        );
        assert!(section.contains("Je hebt al "), "{section}");
        assert!(section.contains(" vaardigheden."), "{section}");
        assert!(
            !section.contains(&format!("/kansen/{colleague}\"")),
            "{section}"
        );
        assert!(
            !section.contains(&format!("/kansen/{own_key}\"")),
            "{section}"
        );
        let english = learner.get("/kansen?lang=en").await;
        assert!(
            english
                .text
                .contains("Growing in Zuid-Limburg: +12% vacancies."),
            "{}",
            english.text
        );
        // The suggestion leads to its gap and plan (back in Dutch: `lang` is remembered).
        let r = learner.get(&format!("/kansen/{target}?lang=nl")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.text.contains("Wat je nog mist"), "{}", r.text);
        // The region's page shows the same way out of her shrinking work, for anyone, and
        // leads to what the growing work asks beyond hers and the training that closes it.
        let mut visitor = app.client();
        let region = visitor.get("/regio/zuid-limburg").await;
        let step = format!("/regio/zuid-limburg/overstap/{own_key}/{target}");
        assert!(
            region.text.contains("Van krimp naar groei"),
            "{}",
            region.text
        );
        assert!(region.text.contains(&step), "{}", region.text);
        assert!(
            !region
                .text
                .contains(&format!("/overstap/{own_key}/{colleague}\""))
        );
        let gap = visitor.get(&step).await;
        assert_eq!(gap.status, StatusCode::OK, "{}", gap.text);
        assert!(gap.text.contains("id=\"plan-title\""), "{}", gap.text);
        app.cleanup().await;
    }
}
