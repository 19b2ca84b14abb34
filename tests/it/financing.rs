//! The financing overview on every engine: example schemes, the financing check with stacking
//! and reasons, the questionnaire and net prices on pages, and programme managers editing
//! schemes with validation, versions and an audit trail.

use crate::common::{PASSWORD, TestApp, apps, error_fields, strings};
use axum::http::StatusCode;
use leerpad_domain::financing::SchemeStatus;
use leerpad_domain::financing::ports::NewAward;
use leerpad_domain::role::Role;
use leerpad_domain::shared::{Money, OfferId, UserId};
use serde_json::{Value, json};
use time::macros::date;

/// A provider with an NRTO mark and two offers: an online course (€ 500) and a course on site
/// in Maastricht (€ 3,000). Returns their ids.
async fn publish_offers(app: &TestApp) -> (i64, i64) {
    let offers = json!([
        {"provider_offer_id": "ONLINE", "title": {"nl": "Excel online"}, "kind": "course",
         "modality": "online", "level": "mbo2", "study_load_hours": 12,
         "costs": [{"kind": "tuition", "amount_cents": 50_000, "vat_percent": 0}]},
        {"provider_offer_id": "LOCAL", "title": {"nl": "Lassen voor beginners"}, "kind": "course",
         "modality": "on_site", "level": "mbo2", "study_load_hours": 80,
         "runs": [{"start": "2027-03-01", "end": "2027-06-01", "municipality": "Maastricht"}],
         "costs": [{"kind": "tuition", "amount_cents": 300_000, "vat_percent": 0}]},

    ]);
    let ids = app.provider_with_offers(offers).await;
    (ids[0], ids[1])
}

fn slugs(v: &Value) -> Vec<String> {
    strings(v, "slug")
}

fn applied(v: &Value) -> Vec<(String, i64)> {
    v["offer"]["applied"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| {
                    (
                        s["scheme"].as_str().unwrap_or("").to_owned(),
                        s["amount_cents"].as_i64().unwrap_or(-1),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn reason<'a>(v: &'a Value, list: &str, scheme: &str) -> &'a Value {
    v["offer"][list]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["scheme"] == scheme))
        .unwrap_or(&Value::Null)
}

#[tokio::test]
async fn the_financing_check_stacks_schemes_and_explains_the_rest() {
    for app in apps().await {
        assert_eq!(app.financing.seed_examples().await.expect("seed"), 7);
        assert_eq!(
            app.financing.seed_examples().await.expect("again"),
            0,
            "seeding is idempotent"
        );
        let (online, local) = publish_offers(&app).await;
        let mut visitor = app.client();

        // A scheme's period in Dutch dates, as a phrase (not "2025-01-01 – 2030-12-31").
        let scheme = visitor.get("/regelingen/ontwikkeladvies").await;
        assert!(
            scheme
                .text
                .contains("van 1 januari 2025 tot en met 31 december 2030"),
            "{}",
            scheme.text
        );
        assert!(!scheme.text.contains("2025-01-01"));
        // Who it is for, as a sentence in "je" form, without a formula's brackets.
        assert!(
            scheme.text.contains(
                "je bent in loondienst of zelfstandig ondernemer (zzp), en je bent 45 jaar of \
                 ouder of je hebt hoogstens mbo 4, en je hebt deze regeling de laatste 36 \
                 maanden niet gebruikt"
            ),
            "{}",
            scheme.text
        );

        // The public overview with its filters.
        let all = visitor.get("/api/v1/schemes").await;
        assert_eq!(slugs(&all.json()).len(), 7);
        let regional = visitor.get("/api/v1/schemes?funder=regional").await.json();
        assert_eq!(slugs(&regional), vec!["limburg-leert-fonds"]);
        let utrecht = slugs(&visitor.get("/api/v1/schemes?province=Utrecht").await.json());
        assert_eq!(utrecht.len(), 6);
        assert!(!utrecht.contains(&"limburg-leert-fonds".to_owned()));
        let benefits = slugs(
            &visitor
                .get("/api/v1/schemes?employment=on_benefits")
                .await
                .json(),
        );
        assert_eq!(
            benefits,
            vec![
                "leer-en-ontwikkelbudget",
                "limburg-leert-fonds",
                "online-scholing",
                "persoonlijk-ontwikkelbudget"
            ]
        );
        visitor
            .get("/api/v1/schemes?funder=bank")
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY);

        // A 40-year-old worker: the learning credit (first in stacking order) pays it all.
        let worker = json!({"age": 40, "employment": "employed", "education": "mbo2",
            "municipality": "Maastricht", "insured_work": {"months": 36, "window_months": 36}});
        let r = visitor
            .post_json(
                "/api/v1/financing/check",
                json!({"person": worker, "offer_id": online}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let v = r.json();
        assert_eq!(v["offer"]["gross_cents"], 50_000);
        assert_eq!(v["offer"]["net_cents"], 0);
        assert_eq!(
            applied(&v),
            vec![("leer-en-ontwikkelbudget".to_owned(), 50_000)]
        );
        assert_eq!(
            reason(&v, "not_applied", "online-scholing")["reason"]["why"],
            "nothing_left_to_cover"
        );

        // At 70 the credit's age limit says why; the online scheme takes over.
        let mut older = worker.clone();
        older["age"] = json!(70);
        let v = visitor
            .post_json(
                "/api/v1/financing/check",
                json!({"person": older, "offer_id": online}),
            )
            .await
            .json();
        assert_eq!(applied(&v), vec![("online-scholing".to_owned(), 50_000)]);
        let why = reason(&v, "not_applied", "leer-en-ontwikkelbudget");
        assert_eq!(why["reason"]["unmet"][0]["reason"], "too_old");
        assert!(
            why["message"].as_str().unwrap_or("").contains("66"),
            "{why}"
        );

        // On site in Maastricht: the province pays half (own contribution 10%), the employer's
        // budget pays what is left above its own 20% contribution; the sector fund needs an answer.
        let v = visitor
            .post_json(
                "/api/v1/financing/check",
                json!({"person": older, "offer_id": local, "lang": "en"}),
            )
            .await
            .json();
        assert_eq!(
            applied(&v),
            vec![
                ("limburg-leert-fonds".to_owned(), 150_000),
                ("werkgever-opleidingsbudget".to_owned(), 90_000)
            ]
        );
        assert_eq!(v["offer"]["net_cents"], 60_000);
        let possible = reason(&v, "possible", "sectorfonds-zorg");
        assert_eq!(possible["reason"]["missing"], json!(["sector"]));
        assert!(
            possible["message"]
                .as_str()
                .unwrap_or("")
                .contains("sector"),
            "{possible}"
        );
        assert!(
            reason(&v, "not_applied", "online-scholing")["message"]
                .as_str()
                .unwrap_or("")
                .to_lowercase()
                .contains("online"),
            "{v}"
        );

        // Without an offer: which schemes the person may use at all.
        let v = visitor
            .post_json(
                "/api/v1/financing/check",
                json!({"person": {"age": 50, "employment": "employed"}}),
            )
            .await
            .json();
        let verdict = |slug: &str| {
            v["schemes"]
                .as_array()
                .and_then(|a| a.iter().find(|s| s["scheme"] == slug))
                .map(|s| s["verdict"].clone())
        };
        assert_eq!(verdict("ontwikkeladvies"), Some(json!("eligible")));
        assert_eq!(verdict("sectorfonds-zorg"), Some(json!("unknown")));
        assert_eq!(verdict("limburg-leert-fonds"), Some(json!("unknown")));

        // Bad input.
        let r = visitor
            .post_json(
                "/api/v1/financing/check",
                json!({"person": {"municipality": "Atlantis"}}),
            )
            .await;
        assert_eq!(
            r.assert_problem(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
            "municipality"
        );
        visitor
            .post_json(
                "/api/v1/financing/check",
                json!({"person": {"age": "veertig"}}),
            )
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        visitor
            .post_json("/api/v1/financing/check", json!({"offer_id": 999_999}))
            .await
            .assert_problem(StatusCode::NOT_FOUND);

        // The questionnaire keeps a visitor's answers in a cookie; offer pages and search
        // results then show the net price.
        let form = visitor.get("/financiering").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.text.contains("name=\"municipality\""));
        let r = visitor
            .submit(
                "/financiering",
                "/financiering",
                &[
                    ("age", "70"),
                    ("employment", "employed"),
                    ("education", "mbo2"),
                    ("municipality", "Maastricht"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let outcome = visitor.get("/financiering").await;
        assert!(
            outcome.text.contains("Opleidingsbudget van je werkgever"),
            "{}",
            outcome.text
        );
        let page = visitor.get(&format!("/opleidingen/{local}")).await;
        assert!(
            page.text.contains("Jij betaalt: <strong>€ 600,-</strong>"),
            "{}",
            page.text
        );
        assert!(page.text.contains("Limburg Leert Fonds"));
        let results = visitor.get("/zoeken?q=lassen").await;
        assert!(
            results.text.contains("class=\"net-price\">€ 600,-"),
            "{}",
            results.text
        );
        let bad = visitor
            .submit(
                "/financiering",
                "/financiering",
                &[("age", "oud"), ("municipality", "Atlantis")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text.contains("error-summary"));
        app.cleanup().await;
    }
}

#[tokio::test]
async fn budgets_caps_and_earlier_use_come_from_awards() {
    for app in apps().await {
        app.financing.seed_examples().await.expect("seed");
        let (online, _) = publish_offers(&app).await;
        let store = app.store().clone();
        let learner = app.user("leerling@example.nl", &[Role::Learner]).await;
        let credit = store
            .scheme("leer-en-ontwikkelbudget")
            .await
            .expect("read")
            .expect("seeded");
        let award = |amount: i64, user: Option<i64>| NewAward {
            scheme_id: credit.id,
            user_id: user.map(UserId::new),
            offer_id: Some(OfferId::new(online)),
            amount_cents: Money::from_cents(amount),
            spent: false,
            on: date!(2027 - 01 - 10),
            at: 0,
        };
        // The budget is € 10,000,000; an award beyond it is refused, one within it is kept.
        let total = credit.definition.budget.total_cents;
        assert!(matches!(
            store.record_award(&award(1_000_000_001, None), total).await,
            Err(leerpad_domain::ports::StoreError::Conflict(_))
        ));
        store
            .record_award(&award(999_990_000, None), total)
            .await
            .expect("within budget");
        store
            .record_award(&award(10_000, Some(learner)), total)
            .await
            .expect("last of it");
        assert!(
            store.record_award(&award(1, None), total).await.is_err(),
            "budget exhausted"
        );
        let used = store.scheme_use().await.expect("use");
        let (_, u) = used.iter().find(|(id, _)| *id == credit.id).expect("used");
        assert_eq!(u.budget.reserved_cents, Money::from_cents(1_000_000_000));
        assert_eq!(u.awards_per_offer, vec![(OfferId::new(online), 2)]);
        assert_eq!(
            store
                .awards_of_user(UserId::new(learner))
                .await
                .expect("awards")[0]
                .scheme,
            "leer-en-ontwikkelbudget"
        );

        let facts = leerpad_domain::financing::PersonFacts {
            age: Some(40),
            employment: Some(leerpad_domain::financing::EmploymentStatus::Employed),
            insured_work: Some(leerpad_domain::financing::InsuredWork {
                months: 12,
                window_months: 12,
            }),
            ..Default::default()
        };
        let check = app
            .financing
            .check_offer(&facts, OfferId::new(online))
            .await
            .expect("check");
        assert!(
            check
                .financing
                .not_applied
                .iter()
                .any(|r| r.scheme == "leer-en-ontwikkelbudget"
                    && r.why == leerpad_domain::financing::NotApplied::BudgetExhausted)
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn programme_managers_write_schemes_with_validation_versions_and_a_trail() {
    for app in apps().await {
        app.financing.seed_examples().await.expect("seed");
        let (mut learner, _) = app.logged_in("leerling@example.nl", &[Role::Learner]).await;
        let (mut manager, _) = app
            .logged_in("regio@example.nl", &[Role::ProgrammeManager])
            .await;
        let definition = json!({
            "name": {"nl": "Regiofonds Twente"},
            "funder": {"kind": "regional", "name": "Regio Twente"},
            "payment": "reimbursement",
            "coverage": {"percent": 75, "max_per_award_cents": 150_000},
            "budget": {"total_cents": 50_000_000},
            "eligibility": {"all": [{"region": ["Twente"]}, {"age": {"min": 18, "max": 64}}]},
        });
        let new = json!({"slug": "regiofonds-twente", "definition": definition});
        learner
            .post_json("/api/v1/schemes", new.clone())
            .await
            .assert_problem(StatusCode::FORBIDDEN);
        app.client()
            .post_json("/api/v1/schemes", new.clone())
            .await
            .assert_problem(StatusCode::UNAUTHORIZED);

        let mut broken = new.clone();
        broken["definition"]["eligibility"] =
            json!({"all": [{"age": {"min": 70, "max": 60}}, {"region": ["Atlantis"]}]});
        broken["definition"]["stacking"] = json!({"excludes": ["bestaat-niet"]});
        let r = manager.post_json("/api/v1/schemes", broken).await;
        let problem = r.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        let fields = error_fields(&problem);
        assert_eq!(
            fields,
            vec![
                "stacking.excludes[0]",
                "eligibility.all[0].age",
                "eligibility.all[1].region[0]"
            ]
        );
        let mut unknown_field = new.clone();
        unknown_field["definition"]["coverage"]["percentage"] = json!(50);
        manager
            .post_json("/api/v1/schemes", unknown_field)
            .await
            .assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        // Two facts in one condition object: a 422 naming the condition, not "invalid JSON".
        let mut two_keys = new.clone();
        two_keys["definition"]["eligibility"] = json!({"all": [
            {"region": ["Twente"]},
            {"age": {"max": 64}},
            {"age": {"min": 45}, "employment": ["employed"]},
        ]});
        let r = manager.post_json("/api/v1/schemes", two_keys).await;
        let problem = r.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            problem["errors"][0]["field"], "definition.eligibility.all[2]",
            "{problem}"
        );
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("exactly one key")),
            "{problem}"
        );
        // Control characters in free text are refused, each with its field.
        let mut control = new.clone();
        control["definition"]["name"]["nl"] = json!("Regiofonds\u{0}Twente");
        control["definition"]["funder"]["name"] = json!("Regio\u{1b}[2J");
        control["definition"]["description"] = json!({"nl": "Eén\r\ntwee\n\tdrie"});
        let r = manager.post_json("/api/v1/schemes", control).await;
        let problem = r.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        let fields = error_fields(&problem);
        assert_eq!(fields, vec!["name.nl", "funder.name"], "{problem}");

        let r = manager.post_json("/api/v1/schemes", new.clone()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(r.json()["status"], "draft");
        manager
            .post_json("/api/v1/schemes", new.clone())
            .await
            .assert_problem(StatusCode::CONFLICT);
        assert!(
            !slugs(&app.client().get("/api/v1/schemes").await.json())
                .contains(&"regiofonds-twente".to_owned())
        );
        app.client()
            .get("/api/v1/schemes/regiofonds-twente")
            .await
            .assert_problem(StatusCode::NOT_FOUND);

        let r = manager
            .post_json(
                "/api/v1/schemes/regiofonds-twente/status",
                json!({"version": 1, "status": "published"}),
            )
            .await;
        assert_eq!(r.json()["version"], 2);
        assert!(
            slugs(&app.client().get("/api/v1/schemes").await.json())
                .contains(&"regiofonds-twente".to_owned())
        );

        let mut edited = definition.clone();
        edited["coverage"]["percent"] = json!(80);
        manager
            .put_json(
                "/api/v1/schemes/regiofonds-twente",
                json!({"version": 1, "definition": edited}),
            )
            .await
            .assert_problem(StatusCode::CONFLICT);
        let r = manager
            .put_json(
                "/api/v1/schemes/regiofonds-twente",
                json!({"version": 2, "definition": edited}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let trail = manager
            .get("/api/v1/schemes/regiofonds-twente/revisions")
            .await
            .json();
        let actions: Vec<&str> = trail
            .as_array()
            .expect("trail")
            .iter()
            .filter_map(|r| r["action"].as_str())
            .collect();
        assert_eq!(actions, vec!["edited", "published", "created"]);
        assert_eq!(trail[0]["actor"], "regio@example.nl");
        learner
            .get("/api/v1/schemes/regiofonds-twente/revisions")
            .await
            .assert_problem(StatusCode::FORBIDDEN);

        // The advanced editor: TOML in, errors with line numbers out, nothing saved meanwhile.
        let page = manager
            .get("/beheer/regelingen/regiofonds-twente/toml")
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("percent = 80"), "{}", page.text);
        let r = manager
            .submit(
                "/beheer/regelingen/regiofonds-twente/toml",
                "/beheer/regelingen/regiofonds-twente/toml",
                &[
                    ("version", "3"),
                    ("definition", "name = { nl = \"x\" }\npayment = ["),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("line 2"), "{}", r.text);
        // A rule broken in a well-formed definition is said in the page's language.
        let page = manager
            .get("/beheer/regelingen/regiofonds-twente/toml")
            .await;
        let start = page.text.find("<textarea").expect("the editor's textarea");
        let body = &page.text[start..];
        let body =
            &body[body.find('>').expect("tag end") + 1..body.find("</textarea>").expect("end")];
        let broken = body
            .replace("&quot;", "\"")
            .replace("&#34;", "\"")
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
            .replace("percent = 80", "percent = 150");
        let r = manager
            .submit(
                "/beheer/regelingen/regiofonds-twente/toml",
                "/beheer/regelingen/regiofonds-twente/toml",
                &[("version", "3"), ("definition", broken.as_str())],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert!(
            r.text.contains("150 is meer dan 100 procent."),
            "{}",
            r.text
        );
        assert!(!r.text.contains("is more than 100 percent"));
        let r = manager
            .submit(
                "/regelingen/regiofonds-twente",
                "/beheer/regelingen/regiofonds-twente/status",
                &[("version", "3"), ("status", "closed")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let closed = app
            .store()
            .scheme("regiofonds-twente")
            .await
            .expect("read")
            .expect("there");
        assert_eq!(closed.status, SchemeStatus::Closed);
        let list = manager.get("/beheer/regelingen").await;
        assert!(list.text.contains("Regiofonds Twente"));
        // A scheme's name in the list opens its editor.
        assert!(
            list.text
                .contains("<a href=\"/beheer/regelingen/regiofonds-twente\">Regiofonds Twente</a>"),
            "{}",
            list.text
        );
        assert_eq!(
            learner.get("/beheer/regelingen").await.status,
            StatusCode::FORBIDDEN
        );
        let overview = app.client().get("/regelingen?province=Limburg").await;
        assert!(
            overview.text.contains("Limburg Leert Fonds") && overview.text.contains("Voorbeeld")
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_person_keeps_their_answers_through_the_api() {
    for app in apps().await {
        let (mut c, _) = app.logged_in("antwoord@example.nl", &[Role::Learner]).await;
        let (mut other, _) = app.logged_in("ander@example.nl", &[Role::Learner]).await;
        let r = c.get("/api/v1/me/situation").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json(), serde_json::json!({}), "nothing saved yet");
        let answers =
            serde_json::json!({"age": 45, "employment": "employed", "municipality": "Maastricht"});
        let r = c.put_json("/api/v1/me/situation", answers.clone()).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["age"], 45);
        assert_eq!(
            c.get("/api/v1/me/situation").await.json()["employment"],
            "employed"
        );
        // The check uses them when no answers are sent.
        let r = c
            .post_json("/api/v1/financing/check", serde_json::json!({}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        // Bad answers name the field; another person sees only their own.
        let r = c
            .put_json(
                "/api/v1/me/situation",
                serde_json::json!({"municipality": "Atlantis"}),
            )
            .await;
        let problem = r.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(problem.to_string().contains("municipality"), "{problem}");
        let r = c
            .put_json("/api/v1/me/situation", serde_json::json!({"shoe_size": 44}))
            .await;
        r.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            other.get("/api/v1/me/situation").await.json(),
            serde_json::json!({})
        );
        app.client()
            .get("/api/v1/me/situation")
            .await
            .assert_problem(StatusCode::UNAUTHORIZED);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn answers_given_before_registering_are_offered_to_the_new_account() {
    for app in apps().await {
        for keep in [true, false] {
            let mut visitor = app.client();
            let r = visitor
                .submit(
                    "/financiering",
                    "/financiering",
                    &[
                        ("age", "46"),
                        ("employment", "employed"),
                        ("education", "mbo2"),
                        ("municipality", "Heerlen"),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
            let email = format!("nieuw-{keep}@example.nl");
            let r = visitor.register_page("Noor", &email, PASSWORD).await;
            assert_eq!(r.location(), Some("/welkom"));
            let welcome = visitor.get("/welkom").await;
            assert!(
                welcome.text.contains("Je antwoorden van eerder"),
                "{}",
                welcome.text
            );
            let choice = if keep { "ja" } else { "nee" };
            let r = visitor
                .submit("/welkom", "/welkom/antwoorden", &[("bewaren", choice)])
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
            let saved = visitor.get("/api/v1/me/situation").await.json();
            if keep {
                assert_eq!(saved["age"], 46, "{saved}");
                assert_eq!(saved["employment"], "employed");
                // The municipality is asked once: the skills profile's form already holds it.
                let profile = visitor.get("/vaardigheden").await;
                assert!(
                    profile.text.contains("value=\"Heerlen\""),
                    "{}",
                    profile.text
                );
            } else {
                assert_eq!(saved, serde_json::json!({}), "nothing kept without consent");
            }
            // Asked once: the offer is gone afterwards (the cookie is removed).
            let again = visitor.get("/welkom").await;
            assert!(!again.text.contains("Je antwoorden van eerder"));
        }
        app.cleanup().await;
    }
}

/// The message shown on field `name` of a form page ("" when there is none).
fn field_error<'a>(html: &'a str, name: &str) -> &'a str {
    let marker = format!("id=\"{name}-error\">");
    let Some((_, after)) = html.split_once(&marker) else {
        return "";
    };
    let message = after.split("</p>").next().unwrap_or("");
    message.rsplit("</span>").next().unwrap_or(message).trim()
}

/// Change (or add) field `name` in a form's fields.
fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(k, _)| k != name);
    fields.push((name.to_owned(), value.to_owned()));
}

fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[tokio::test]
async fn programme_managers_create_and_edit_schemes_in_a_form_in_euros() {
    for app in apps().await {
        app.financing.seed_examples().await.expect("seed");
        let (mut manager, _) = app
            .logged_in("regio@example.nl", &[Role::ProgrammeManager])
            .await;
        let (mut learner, _) = app.logged_in("leerling@example.nl", &[Role::Learner]).await;
        assert_eq!(
            learner.get("/beheer/regelingen/nieuw").await.status,
            StatusCode::FORBIDDEN
        );

        // A new scheme, typed as a programme manager writes it.
        let blank = manager.get("/beheer/regelingen/nieuw").await;
        assert_eq!(blank.status, StatusCode::OK);
        assert!(
            blank.text.contains("Totaal budget (euro)"),
            "{}",
            blank.text
        );
        assert!(
            blank.text.contains("In euro&#39;s, bijvoorbeeld 1.250,50")
                || blank.text.contains("In euro's, bijvoorbeeld 1.250,50")
        );
        assert!(blank.text.contains("Geavanceerd: bewerken als TOML"));
        let mut fields = blank.form_fields("/beheer/regelingen/nieuw");
        for (name, value) in [
            ("slug", "regiofonds-zuid-limburg"),
            ("name_nl", "Regiofonds Zuid-Limburg"),
            ("funder_name", "Regio Zuid-Limburg (voorbeeld)"),
            ("percent", "75"),
            ("max_per_award", "1.250,50"),
            ("budget_total", "50.000"),
            ("period_from", "1-1-2026"),
            ("period_until", "2027-12-31"),
            ("age_min", "18"),
            ("age_max", "66"),
            ("regions", "Zuid-Limburg"),
        ] {
            set(&mut fields, name, value);
        }
        fields.push(("employment".into(), "employed".into()));
        fields.push(("employment".into(), "self_employed".into()));
        fields.push(("excludes".into(), "limburg-leert-fonds".into()));
        let r = manager
            .form("/beheer/regelingen/nieuw", &pairs(&fields))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        assert_eq!(r.location(), Some("/regelingen/regiofonds-zuid-limburg"));
        let saved = app
            .store()
            .scheme("regiofonds-zuid-limburg")
            .await
            .expect("read")
            .expect("saved");
        let d = &saved.definition;
        assert_eq!(
            d.coverage.max_per_award_cents,
            Some(Money::from_cents(125_050))
        );
        assert_eq!(d.budget.total_cents, Some(Money::from_cents(5_000_000)));
        assert_eq!(d.coverage.percent, 75);
        assert_eq!(d.period.from, Some(date!(2026 - 01 - 01)));
        assert_eq!(d.stacking.excludes, vec!["limburg-leert-fonds".to_owned()]);
        assert_eq!(saved.status, SchemeStatus::Draft);
        let public = manager.get("/regelingen/regiofonds-zuid-limburg").await;
        assert!(public.text.contains("€ 1.250,50"), "{}", public.text);
        assert!(public.text.contains("Zuid-Limburg"));

        // Editing shows euros as typed, and saves through the same versioned use case.
        let edit = manager
            .get("/beheer/regelingen/regiofonds-zuid-limburg")
            .await;
        assert!(edit.text.contains("value=\"1.250,50\""), "{}", edit.text);
        assert!(edit.text.contains("value=\"50.000\""));
        let form = edit.form_fields("/beheer/regelingen/regiofonds-zuid-limburg");

        // Bad input: a Dutch message on the right field, and nothing saved.
        let mut bad = form.clone();
        set(&mut bad, "max_per_award", "twaalfhonderd");
        set(&mut bad, "period_until", "31-02-2027");
        let r = manager
            .form("/beheer/regelingen/regiofonds-zuid-limburg", &pairs(&bad))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert_eq!(
            field_error(&r.text, "max_per_award"),
            "Dit is geen bedrag. Schrijf het zoals 1.250,50 of 1250."
        );
        assert_eq!(
            field_error(&r.text, "period_until"),
            "Dit is geen datum. Schrijf hem zoals 1-1-2026."
        );
        assert_eq!(field_error(&r.text, "percent"), "");
        assert!(
            r.text.contains("value=\"twaalfhonderd\""),
            "what was typed stays"
        );
        // A rule of the domain, said in Dutch on its field.
        let mut bad = form.clone();
        set(&mut bad, "percent", "150");
        set(&mut bad, "age_min", "70");
        set(&mut bad, "age_max", "60");
        set(&mut bad, "regions", "Atlantis");
        let r = manager
            .form("/beheer/regelingen/regiofonds-zuid-limburg", &pairs(&bad))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        assert_eq!(
            field_error(&r.text, "percent"),
            "150 is meer dan 100 procent."
        );
        assert_eq!(
            field_error(&r.text, "age_min"),
            "De minimale leeftijd (70) is hoger dan de maximale leeftijd (60)."
        );
        assert_eq!(
            field_error(&r.text, "regions"),
            "&#39;Atlantis&#39; kennen we niet. Controleer de naam."
        );
        assert!(!r.text.contains("more than 100 percent"));
        let unchanged = app
            .store()
            .scheme("regiofonds-zuid-limburg")
            .await
            .expect("read")
            .expect("there");
        assert_eq!(unchanged.version, saved.version);
        assert_eq!(unchanged.definition, saved.definition);

        // A good edit saves; the form it started from is then out of date.
        let mut good = form.clone();
        set(&mut good, "max_per_award", "2000");
        set(&mut good, "own_contribution", "€ 25,50");
        let r = manager
            .form("/beheer/regelingen/regiofonds-zuid-limburg", &pairs(&good))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let edited = app
            .store()
            .scheme("regiofonds-zuid-limburg")
            .await
            .expect("read")
            .expect("there");
        assert_eq!(edited.version, saved.version + 1);
        let c = &edited.definition.coverage;
        assert_eq!(c.max_per_award_cents, Some(Money::from_cents(200_000)));
        assert_eq!(c.own_contribution_cents, Money::from_cents(2_550));
        assert_eq!(edited.definition.eligibility, saved.definition.eligibility);
        let r = manager
            .form("/beheer/regelingen/regiofonds-zuid-limburg", &pairs(&good))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
        assert!(
            r.text
                .contains("Iemand anders heeft deze regeling intussen veranderd")
        );

        // An example with a rule the form has no field for keeps it, shown in words.
        let example = manager.get("/beheer/regelingen/ontwikkeladvies").await;
        assert!(
            example.text.contains("Andere voorwaarden"),
            "{}",
            example.text
        );
        let fields = example.form_fields("/beheer/regelingen/ontwikkeladvies");
        let before = app
            .store()
            .scheme("ontwikkeladvies")
            .await
            .expect("read")
            .expect("there");
        let r = manager
            .form("/beheer/regelingen/ontwikkeladvies", &pairs(&fields))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        let after = app
            .store()
            .scheme("ontwikkeladvies")
            .await
            .expect("read")
            .expect("there");
        assert_eq!(
            after.definition, before.definition,
            "saving unchanged changes nothing"
        );

        // TOML stays reachable as the advanced option, in cents.
        let toml = manager
            .get("/beheer/regelingen/regiofonds-zuid-limburg/toml")
            .await;
        assert_eq!(toml.status, StatusCode::OK);
        assert!(
            toml.text.contains("max_per_award_cents = 200000"),
            "{}",
            toml.text
        );
        app.cleanup().await;
    }
}
