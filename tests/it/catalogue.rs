//! The training catalogue over HTTP, on every engine: a provider registers its organisation and
//! uploads offers; anyone searches them with facets and reads them; only the provider sees its
//! drafts; the change feed reports what changed.

use crate::common::{apps, error_fields, strings};
use axum::http::StatusCode;
use leerpad_domain::role::Role;
use serde_json::{Value, json};

fn offer(id: &str, title: &str, kind: &str, modality: &str, euros: i64) -> Value {
    let mut o = json!({
        "provider_offer_id": id,
        "title": {"nl": title},
        "summary": {"nl": format!("Leer {title} in de praktijk.")},
        "kind": kind,
        "modality": modality,
        "level": "mbo2",
        "costs": [{"kind": "tuition", "amount_cents": euros * 100, "vat_percent": 0}],
        "study_load_hours": 16,
    });
    if modality != "online" {
        o["runs"] =
            json!([{"start": "2027-03-01", "end": "2027-03-02", "municipality": "Utrecht"}]);
    }
    o
}

fn titles(v: &Value) -> Vec<String> {
    strings(&v["items"], "title")
}

fn facet(v: &Value, name: &str, value: &str) -> u64 {
    v["facets"][name]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["value"] == value))
        .and_then(|x| x["count"].as_u64())
        .unwrap_or(0)
}

#[tokio::test]
async fn a_provider_publishes_offers_that_everyone_can_find() {
    for app in apps().await {
        let (mut provider, _) = app
            .logged_in("opleider@example.nl", &[Role::Provider])
            .await;

        // Without an organisation there is nothing to publish for.
        let r = provider
            .post_json(
                "/api/v1/offers:batch",
                json!({"offers": [offer("A", "Lassen", "course", "on_site", 450)]}),
            )
            .await;
        assert_eq!(
            r.assert_problem(StatusCode::CONFLICT)["type"],
            "/problems/no-provider"
        );

        let r = provider
            .put_json(
                "/api/v1/me/provider",
                json!({"kvk": "1234 5678", "name": "Leerhuis Utrecht", "accreditations": ["NRTO"]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["kvk"], "12345678");

        let mut draft = offer("D", "Heftruck gevorderd", "course", "on_site", 500);
        draft["status"] = json!("draft");
        let batch = json!({"offers": [
            offer("A", "Lassen MIG/MAG", "course", "on_site", 450),
            offer("B", "Excel voor beginners", "micro_learning", "online", 0),
            offer("C", "Heftruck rijden", "course", "blended", 395),
            draft,
        ]});
        let r = provider
            .post_json("/api/v1/offers:batch", batch.clone())
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let body = r.json();
        assert_eq!(body["created"], 4);
        let draft_id = body["items"][3]["offer_id"].as_i64().expect("id");

        // The same batch again changes nothing.
        let r = provider.post_json("/api/v1/offers:batch", batch).await;
        assert_eq!(r.json()["unchanged"], 4, "{}", r.text);

        // Nobody finds the offers of an organisation no programme manager has verified yet.
        let mut visitor = app.client();
        let r = visitor.get("/api/v1/offers?q=lassen").await;
        assert_eq!(r.json()["total"], 0, "{}", r.text);
        let r = visitor.get(&format!("/api/v1/offers/{draft_id}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let (mut manager, _) = app
            .logged_in("programma@example.nl", &[Role::ProgrammeManager])
            .await;
        let pending = manager.get("/api/v1/providers/unverified").await;
        assert_eq!(pending.status, StatusCode::OK, "{}", pending.text);
        let provider_id = pending.json()[0]["id"].as_i64().expect("pending provider");
        assert_eq!(pending.json()[0]["kvk"], "12345678");
        let r = provider
            .post_json(
                &format!("/api/v1/providers/{provider_id}/verification"),
                json!({}),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "a provider cannot verify itself"
        );
        let r = manager
            .post_json(
                &format!("/api/v1/providers/{provider_id}/verification"),
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["verified"], true);
        assert!(
            app.audit_events()
                .await
                .contains(&"provider_verified".to_owned())
        );

        // Anyone searches: words, typos, facets, filters, sorting, paging.
        let r = visitor.get("/api/v1/offers?q=lassen").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(titles(&r.json()), vec!["Lassen MIG/MAG"]);
        let r = visitor.get("/api/v1/offers?q=heftrcuk").await;
        assert_eq!(
            titles(&r.json()),
            vec!["Heftruck rijden"],
            "typo tolerated, draft hidden"
        );
        let all = visitor.get("/api/v1/offers").await.json();
        assert_eq!(all["total"], 3);
        assert_eq!(facet(&all, "kind", "course"), 2);
        assert_eq!(facet(&all, "price", "free"), 1);
        assert_eq!(facet(&all, "province", "Utrecht"), 2);
        assert_eq!(facet(&all, "region", "Midden-Utrecht"), 2);
        let online = visitor.get("/api/v1/offers?modality=online").await.json();
        assert_eq!(titles(&online), vec!["Excel voor beginners"]);
        assert_eq!(
            facet(&online, "modality", "on_site"),
            1,
            "a facet ignores its own filter"
        );
        let cheap_first = visitor
            .get("/api/v1/offers?sort=price&limit=2")
            .await
            .json();
        assert_eq!(
            titles(&cheap_first),
            vec!["Excel voor beginners", "Heftruck rijden"]
        );
        assert_eq!(cheap_first["next_page"], 2);
        let page2 = visitor
            .get("/api/v1/offers?sort=price&limit=2&page=2")
            .await
            .json();
        assert_eq!(titles(&page2), vec!["Lassen MIG/MAG"]);
        assert!(page2["next_page"].is_null());
        let marked = visitor.get("/api/v1/offers?q=praktijk").await.json();
        let snippet = &marked["items"][0]["snippet"];
        assert!(
            snippet.as_array().is_some_and(|p| p
                .iter()
                .any(|x| x["mark"] == true && x["text"] == "praktijk")),
            "{snippet}"
        );

        // Bad parameters are problems naming the parameter.
        let r = visitor.get("/api/v1/offers?kind=kurs").await;
        assert_eq!(
            r.assert_problem(StatusCode::UNPROCESSABLE_ENTITY)["errors"][0]["field"],
            "kind"
        );
        let r = visitor.get("/api/v1/offers?limit=0").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

        // One offer; drafts only for their provider.
        let id = all["items"][0]["id"].as_i64().expect("id");
        let r = visitor.get(&format!("/api/v1/offers/{id}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["provider"]["name"], "Leerhuis Utrecht");
        assert_eq!(
            visitor
                .get(&format!("/api/v1/offers/{draft_id}"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            provider
                .get(&format!("/api/v1/offers/{draft_id}"))
                .await
                .status,
            StatusCode::OK
        );
        let (mut other, _) = app.logged_in("ander@example.nl", &[Role::Provider]).await;
        assert_eq!(
            other
                .get(&format!("/api/v1/offers/{draft_id}"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            visitor.get("/api/v1/offers/999999").await.status,
            StatusCode::NOT_FOUND
        );

        // The change feed.
        let feed = visitor
            .get("/api/v1/offers/changes?since=0&limit=2")
            .await
            .json();
        assert_eq!(feed["changes"].as_array().map(Vec::len), Some(2));
        let next = feed["next_since"].as_i64().expect("next");
        let rest = visitor
            .get(&format!("/api/v1/offers/changes?since={next}"))
            .await
            .json();
        // Three published offers; the draft is not in the public feed, as it is not behind
        // GET /api/v1/offers/{id}.
        assert_eq!(rest["changes"].as_array().map(Vec::len), Some(1));
        assert!(
            rest["changes"]
                .as_array()
                .is_some_and(|c| c.iter().all(|x| x["kind"] == "created"))
        );
        let everything = visitor.get("/api/v1/offers/changes?since=0").await.json();
        assert!(
            everything["changes"]
                .as_array()
                .is_some_and(|c| c.iter().all(|x| x["offer_id"] != draft_id)),
            "{everything}"
        );

        // An update shows up in search and in the feed.
        let mut archived = offer("A", "Lassen MIG/MAG", "course", "on_site", 450);
        archived["status"] = json!("archived");
        let r = provider
            .post_json("/api/v1/offers:batch", json!({"offers": [archived]}))
            .await;
        assert_eq!(r.json()["updated"], 1, "{}", r.text);
        assert!(titles(&visitor.get("/api/v1/offers?q=lassen").await.json()).is_empty());
        let last = visitor
            .get(&format!(
                "/api/v1/offers/changes?since={}",
                rest["next_since"]
            ))
            .await
            .json();
        assert_eq!(last["changes"][0]["kind"], "archived");
        app.cleanup().await;
    }
}

#[tokio::test]
async fn batches_are_checked_whole_and_only_providers_may_send_them() {
    for app in apps().await {
        let (mut provider, _) = app
            .logged_in("opleider@example.nl", &[Role::Provider])
            .await;
        let r = provider
            .put_json(
                "/api/v1/me/provider",
                json!({"kvk": "87654321", "name": "Vakschool"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let mut bad = offer("X", "Kapot", "kurs", "on_site", -5);
        bad["runs"] = json!([{"start": "2027-02-30", "municipality": "Atlantis"}]);
        let batch = json!({"offers": [offer("OK", "Goed", "course", "online", 100), bad]});
        let r = provider
            .post_json("/api/v1/offers:batch", batch.clone())
            .await;
        let problem = r.assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
        let fields = error_fields(&problem);
        for f in [
            "offers[1].kind",
            "offers[1].runs[0].start",
            "offers[1].runs[0].municipality",
            "offers[1].costs[0].amount_cents",
        ] {
            assert!(fields.contains(&f), "{f} in {fields:?}");
        }
        assert_eq!(
            app.store().catalogue_state().await.expect("state").1,
            0,
            "nothing written"
        );

        let mut skip = batch;
        skip["skip_invalid"] = json!(true);
        let r = provider.post_json("/api/v1/offers:batch", skip).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(
            (r.json()["created"].as_u64(), r.json()["refused"].as_u64()),
            (Some(1), Some(1))
        );

        // Someone else's KvK number in an offer is refused.
        let mut foreign = offer("F", "Vreemd", "course", "online", 100);
        foreign["provider"] = json!({"kvk": "11111111", "name": "Ander"});
        let r = provider
            .post_json("/api/v1/offers:batch", json!({"offers": [foreign]}))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);

        // A KvK number registered to another account cannot be claimed.
        let (mut thief, _) = app.logged_in("dief@example.nl", &[Role::Provider]).await;
        let r = thief
            .put_json(
                "/api/v1/me/provider",
                json!({"kvk": "87654321", "name": "Nep"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);

        let (mut learner, _) = app.logged_in("leerling@example.nl", &[Role::Learner]).await;
        let r = learner
            .post_json(
                "/api/v1/offers:batch",
                json!({"offers": [offer("L", "L", "course", "online", 1)]}),
            )
            .await;
        r.assert_problem(StatusCode::FORBIDDEN);
        let r = app
            .client()
            .post_json("/api/v1/offers:batch", json!({"offers": []}))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let r = provider
            .post_json("/api/v1/offers:batch", json!({"offers": []}))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn search_and_offer_pages_work_without_javascript_in_both_languages() {
    for app in apps().await {
        let mut provider = app
            .provider("opleider@example.nl", "12345678", "Leerhuis <Noord>")
            .await;
        let r = provider
            .post_json(
                "/api/v1/offers:batch",
                json!({"offers": [
                    offer("A", "Lassen <b>MIG</b>", "course", "on_site", 450),
                    offer("B", "Excel", "micro_learning", "online", 0),
                ]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let id = r.json()["items"][0]["offer_id"].as_i64().expect("id");
        let mut visitor = app.client();
        let page = visitor.get("/zoeken?q=lassen&kind=course").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("1 opleiding gevonden"), "{}", page.text);
        let around = page
            .text
            .find("MIG")
            .map(|i| &page.text[i.saturating_sub(60)..i + 40]);
        assert!(
            page.text.contains("&#60;b&#62;MIG&#60;/b&#62;"),
            "titles are escaped and whole: {around:?}"
        );
        assert!(!page.text.contains("<b>MIG</b>"));
        assert!(
            page.text.contains(r#"name="kind" value="course" checked"#),
            "choices survive in the URL"
        );
        assert!(page.text.contains("€ 450,-"));
        let en = visitor.get("/zoeken?q=excel&lang=en").await;
        assert!(en.text.contains("1 training found"), "{}", en.text);
        assert!(en.text.contains("Free"));
        let bad = visitor.get("/zoeken?kind=kurs").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.text.contains("kurs"),
            "the problem is shown on the page"
        );

        let detail = visitor.get(&format!("/opleidingen/{id}")).await;
        assert_eq!(detail.status, StatusCode::OK);
        assert!(detail.text.contains("application/ld+json"));
        assert!(detail.text.contains(r#""@type":"Course""#));
        assert!(
            !detail.text.contains("Lassen <b>"),
            "JSON-LD cannot smuggle markup"
        );
        assert!(detail.text.contains("Leerhuis &#60;Noord&#62;"));
        assert!(detail.text.contains("Utrecht"));
        assert_eq!(
            visitor.get("/opleidingen/999999").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            visitor.get("/opleidingen/abc").await.status,
            StatusCode::NOT_FOUND
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn an_offer_page_lists_its_runs_in_date_order() {
    for app in apps().await {
        let mut o = offer("RUNS-1", "Heftruck rijden", "course", "on_site", 300);
        // Sent out of order.
        o["runs"] = json!([
            {"start": "2027-09-01", "municipality": "Utrecht"},
            {"start": "2027-01-15", "municipality": "Utrecht"},
            {"start": "2027-04-01", "municipality": "Utrecht"},
        ]);
        let ids = app.provider_with_offers(json!([o])).await;
        let page = app.client().get(&format!("/opleidingen/{}", ids[0])).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        let at = |needle: &str| page.text.find(needle).unwrap_or(usize::MAX);
        let (jan, apr, sep) = (
            at("15 januari 2027"),
            at("1 april 2027"),
            at("1 september 2027"),
        );
        assert!(jan < apr && apr < sep && sep < usize::MAX, "{}", page.text);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_search_naming_an_occupation_finds_its_offers_first_and_says_why() {
    for app in apps().await {
        let mut care = offer(
            "JOB-1",
            "Verzorgende IG voor zij-instromers",
            "bbl",
            "on_site",
            0,
        );
        care["summary"] = json!({"nl": "Word zorghulp: je helpt mensen bij wassen en aankleden."});
        let mut plants = offer("JOB-2", "Examen planten verzorgen", "exam", "on_site", 90);
        plants["summary"] = json!({"nl": "Je leert planten verzorgen en snoeien."});
        let mut trees = offer(
            "JOB-3",
            "Bomen verzorgen voor beginners",
            "course",
            "online",
            40,
        );
        trees["summary"] = json!({"nl": "Verzorgen van bomen in de tuin."});
        // Another word for the same job: found through the taxonomy's synonyms.
        let mut assistant = offer(
            "JOB-4",
            "Basiscursus zorgassistent",
            "course",
            "online",
            250,
        );
        assistant["summary"] = json!({"nl": "Voor wie in de zorg wil beginnen."});
        let mut driver = offer(
            "JOB-5",
            "Heftruckchauffeur in de logistiek",
            "course",
            "on_site",
            300,
        );
        driver["summary"] = json!({"nl": "Voor de chauffeur van morgen."});
        app.provider_with_offers(json!([care, plants, trees, assistant, driver]))
            .await;
        let mut client = app.client();

        let found = client.get("/api/v1/offers?q=verzorgende").await.json();
        let t = titles(&found);
        assert_eq!(
            t.first().map(String::as_str),
            Some("Verzorgende IG voor zij-instromers"),
            "{t:?}"
        );
        let care_at = t.iter().position(|x| x.contains("zorgassistent"));
        let plants_at = t.iter().position(|x| x.contains("planten"));
        assert!(care_at.is_some(), "a synonym's offer is found: {t:?}");
        if let (Some(c), Some(p)) = (care_at, plants_at) {
            assert!(c < p, "people before plants: {t:?}");
        }

        // The API says why too.
        let reason = &found["items"][0]["reason"];
        assert_eq!(reason["kind"], "occupation", "{found}");
        assert!(
            reason["occupation"].as_str().is_some_and(|o| !o.is_empty()),
            "{found}"
        );

        let page = client.get("/zoeken?q=verzorgende").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("Voor het beroep"), "{}", page.text);
        let en = client.get("/zoeken?q=forklift+operator&lang=en").await;
        assert_eq!(en.status, StatusCode::OK);

        // A part of a Dutch compound finds the compound; the offers for an occupation with
        // the part in its name come first ("heftruckchauffeur" for "heftruck").
        let found = client.get("/api/v1/offers?q=heftruck").await.json();
        assert!(
            titles(&found)
                .first()
                .is_some_and(|x| x.contains("Heftruckchauffeur")),
            "{found}"
        );
        // And says why: the offer is for an occupation with the word in its name.
        let reason = &found["items"][0]["reason"];
        assert_eq!(reason["kind"], "occupation", "{found}");
        assert!(
            reason["occupation"]
                .as_str()
                .is_some_and(|o| o.to_lowercase().contains("heftruck")),
            "{found}"
        );
        app.cleanup().await;
    }
}

#[tokio::test]
async fn a_search_describing_work_it_does_not_name_finds_that_occupation_first() {
    for app in apps().await {
        let mut waiter = offer(
            "WORK-1",
            "Gastvrij in het restaurant",
            "course",
            "on_site",
            200,
        );
        waiter["summary"] =
            json!({"nl": "Word ober: je ontvangt gasten en serveert eten en drinken."});
        // Holds the word searched for, but is about machines.
        let mut machine = offer(
            "WORK-2",
            "De bediening van een machine instellen",
            "course",
            "online",
            90,
        );
        machine["summary"] = json!({"nl": "Je leert de bediening van machines instellen."});
        let mut roofer = offer("WORK-3", "Vakcursus dakdekker", "course", "on_site", 400);
        roofer["summary"] = json!({"nl": "Voor wie als dakdekker aan de slag wil."});
        let mut floors = offer("WORK-4", "Laminaat leggen", "course", "on_site", 80);
        floors["summary"] = json!({"nl": "Je leert vloeren leggen en repareren."});
        let mut dental = offer(
            "WORK-5",
            "Basistraining tandartsassistent",
            "course",
            "on_site",
            300,
        );
        dental["summary"] = json!({"nl": "Je assisteert de tandarts in de praktijk."});
        let mut dentist = offer("WORK-6", "Nascholing tandarts", "course", "online", 600);
        dentist["summary"] = json!({"nl": "Nieuwe technieken voor de tandarts."});
        let mut teacher = offer(
            "WORK-7",
            "Zij-instroom leraar basisonderwijs",
            "course",
            "on_site",
            2500,
        );
        teacher["summary"] = json!({"nl": "Je leert lesgeven aan kinderen van groep 1 tot 8."});
        // Holds a word of the query, but is about cider.
        let mut cider = offer("WORK-8", "Cidermeester worden", "course", "on_site", 150);
        cider["summary"] = json!({"nl": "Je leert cider maken, van appel tot fles."});
        app.provider_with_offers(json!([
            waiter, machine, roofer, floors, dental, dentist, teacher, cider
        ]))
        .await;
        let mut client = app.client();
        let first = |found: &Value| titles(found).first().cloned().unwrap_or_default();

        // "bediening" is serving in a restaurant here, not a machine's controls.
        let found = client
            .get("/api/v1/offers?q=ik+wil+in+de+bediening+werken")
            .await
            .json();
        assert_eq!(first(&found), "Gastvrij in het restaurant", "{found}");
        let reason = &found["items"][0]["reason"];
        assert_eq!(reason["kind"], "occupation", "{found}");
        assert!(
            reason["occupation"]
                .as_str()
                .is_some_and(|o| o.contains("ober")),
            "{found}"
        );
        // The other offer holding the word is still found, below it.
        assert!(
            titles(&found).iter().any(|t| t.contains("machine")),
            "{found}"
        );

        // The work described: roofing, not floors that share two words with the query.
        let found = client
            .get("/api/v1/offers?q=daken+leggen+en+repareren")
            .await
            .json();
        assert_eq!(first(&found), "Vakcursus dakdekker", "{found}");

        // A kind of the occupation named: the dental assistant, not the dentist.
        let found = client
            .get("/api/v1/offers?q=assistente+bij+de+tandarts")
            .await
            .json();
        assert_eq!(first(&found), "Basistraining tandartsassistent", "{found}");

        // Everyday words no ESCO label uses ("juf") are read by their sense: teaching at a
        // primary school, not the cider master whose name holds "meester".
        let found = client
            .get("/api/v1/offers?q=juf+of+meester+worden+op+de+basisschool")
            .await
            .json();
        assert_eq!(
            first(&found),
            "Zij-instroom leraar basisonderwijs",
            "{found}"
        );

        // The page says why in Dutch.
        let page = client.get("/zoeken?q=daken+leggen+en+repareren").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("Voor het beroep"), "{}", page.text);
        app.cleanup().await;
    }
}
