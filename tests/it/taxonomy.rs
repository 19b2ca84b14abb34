//! The ESCO taxonomy end to end: lookup, details, extraction and title matching over the API;
//! the CLI contracts; `import esco` on both engines (idempotent, all or nothing).

use crate::common::apps;
use crate::server::{BIN, run_with_input};
use axum::http::StatusCode;
use leerpad_storage::testing;
use std::process::Command;

const ESCO_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/esco");

#[tokio::test]
async fn skills_and_occupations_can_be_looked_up_in_dutch_and_english() {
    let app = apps().await.into_iter().next().expect("sqlite");
    let mut c = app.client();
    let first_label = |r: &crate::common::Response| {
        r.json()["items"][0]["label"]["text"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };

    let r = c
        .get("/api/v1/occupations?q=Gespecialiseerd+Verpleegkundige&lang=nl")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["items"][0]["match"], "exact", "{}", r.text);
    assert_eq!(first_label(&r), "gespecialiseerd verpleegkundige");

    let r = c.get("/api/v1/occupations?q=verpleegk&lang=nl").await;
    assert_eq!(r.json()["items"][0]["match"], "prefix");
    let r = c.get("/api/v1/occupations?q=verpleegkundge&lang=nl").await;
    assert_eq!(
        r.json()["items"][0]["match"],
        "fuzzy",
        "typo tolerated: {}",
        r.text
    );
    assert!(first_label(&r).contains("verpleegkundige"), "{}", r.text);

    let r = c.get("/api/v1/skills?q=java&lang=en").await;
    assert!(
        r.json()["items"].as_array().is_some_and(|a| a
            .iter()
            .any(|i| i["label"]["text"] == "Java (computer programming)")),
        "{}",
        r.text
    );
    // Most skills have no Dutch label: English is used and marked.
    let r = c.get("/api/v1/skills?q=manage+staff&lang=nl").await;
    let item = &r.json()["items"][0];
    assert_eq!(item["label"]["lang"], "en");
    assert_eq!(item["label"]["fallback"], true);

    c.get("/api/v1/skills?q=x&lang=fr")
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    c.get(&format!("/api/v1/skills?q={}", "a".repeat(300)))
        .await
        .assert_problem(StatusCode::UNPROCESSABLE_ENTITY);
    c.get("/api/v1/skills")
        .await
        .assert_problem(StatusCode::BAD_REQUEST);
    assert_eq!(
        c.get("/api/v1/skills?q=%20").await.json()["items"],
        serde_json::json!([])
    );
    app.cleanup().await;
}

#[tokio::test]
async fn details_show_relations() {
    let app = apps().await.into_iter().next().expect("sqlite");
    let mut c = app.client();
    let id = c
        .get("/api/v1/occupations?q=software+developer&lang=en")
        .await
        .json()["items"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let r = c.get(&format!("/api/v1/occupations/{id}?lang=en")).await;
    assert_eq!(r.status, StatusCode::OK);
    let o = r.json();
    assert!(
        o["essential_skills"]
            .as_array()
            .is_some_and(|a| a.len() > 5),
        "{o}"
    );
    assert!(o["isco_group"]["label"]["text"].is_string());
    let skill_id = o["essential_skills"][0]["id"]
        .as_str()
        .expect("skill")
        .to_owned();
    let s = c
        .get(&format!("/api/v1/skills/{skill_id}?lang=nl"))
        .await
        .json();
    assert!(
        s["essential_for"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x["id"] == id.as_str())),
        "{s}"
    );
    assert!(s["broader"].as_array().is_some_and(|a| !a.is_empty()));
    c.get("/api/v1/skills/bestaat-niet")
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    c.get("/api/v1/occupations/bestaat-niet")
        .await
        .assert_problem(StatusCode::NOT_FOUND);
    app.cleanup().await;
}

#[tokio::test]
async fn extraction_and_title_matching_over_the_api() {
    let app = apps().await.into_iter().next().expect("sqlite");
    let mut c = app.client();
    let cv = "Ervaren magazijnmedewerker. I operate a forklift and manage stock levels. Proficient in Microsoft Excel.";
    let r = c
        .post_json(
            "/api/v1/skills/extract",
            serde_json::json!({"text": cv, "lang": "en", "top": 10}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let body = r.json();
    let skills = body["skills"].as_array().expect("skills");
    assert!(
        skills.iter().any(|s| s["label"]["text"]
            .as_str()
            .is_some_and(|l| l.contains("forklift"))),
        "{body}"
    );
    assert!(
        skills
            .iter()
            .all(|s| s["evidence"].is_string() && s["score"].is_number())
    );
    let scores: Vec<f64> = skills.iter().filter_map(|s| s["score"].as_f64()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "ranked");

    let r = c
        .post_json("/api/v1/skills/extract", serde_json::json!({"text": ""}))
        .await;
    assert_eq!(r.json()["skills"], serde_json::json!([]));
    for (body, status) in [
        (
            serde_json::json!({"text": "x", "lang": "xx"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            serde_json::json!({"text": "a".repeat(2_000_000)}),
            StatusCode::PAYLOAD_TOO_LARGE,
        ),
        (
            serde_json::json!({"text": "a ".repeat(60_000)}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        c.post_json("/api/v1/skills/extract", body)
            .await
            .assert_problem(status);
    }

    let r = c
        .post_json(
            "/api/v1/occupations/match",
            serde_json::json!({"title": "Java Developer", "lang": "en"}),
        )
        .await;
    let top: Vec<String> = r.json()["occupations"]
        .as_array()
        .expect("list")
        .iter()
        .take(5)
        .filter_map(|o| o["label"]["text"].as_str().map(str::to_owned))
        .collect();
    assert!(top.iter().any(|l| l.contains("developer")), "{top:?}");
    app.cleanup().await;
}

fn run_lines(args: &[&str], input: &[u8]) -> std::process::Output {
    run_with_input(Command::new(BIN).args(args), input)
}

#[test]
fn cli_contracts_print_one_json_object_per_line() {
    let out = run_lines(
        &["skills", "extract", "--lang", "en", "--top", "3"],
        b"I can operate a forklift\n\nJava and SQL\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(
        lines.len(),
        3,
        "one line out per line in, empty lines included"
    );
    assert!(lines[0]["skills"].as_array().is_some_and(|a| {
        a.len() == 3
            && a[0]["uri"]
                .as_str()
                .is_some_and(|u| u.starts_with("http://data.europa.eu/esco/skill/"))
    }));
    assert_eq!(lines[1]["skills"], serde_json::json!([]));

    let out = run_lines(
        &["occupations", "match", "--lang", "en", "--top", "10"],
        b"Marketing Advisor\nverzorgende IG\n",
    );
    assert!(out.status.success());
    let first: serde_json::Value = serde_json::from_str(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .expect("line"),
    )
    .expect("json");
    let occ = first["occupations"].as_array().expect("list");
    assert_eq!(occ.len(), 10);
    assert!(occ[0]["score"].as_f64() >= occ[9]["score"].as_f64());

    let out = run_lines(
        &["skills", "extract", "--lang", "en"],
        b"fine\n\xff\xfe broken\n",
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("line 2: not valid UTF-8"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run_lines(&["skills", "extract", "--lang", "fr"], b"x\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown language 'fr'"));
    let big = "operate forklift ".repeat(70_000);
    let out = run_lines(
        &["skills", "extract", "--lang", "en", "--top", "1"],
        big.as_bytes(),
    );
    assert!(
        out.status.success(),
        "1 MB of text is analysed (cut at 256 KiB), not refused"
    );
}

#[tokio::test]
async fn import_esco_is_idempotent_and_all_or_nothing_on_every_engine() {
    let bundle = std::path::Path::new(ESCO_DIR);
    if !bundle.exists() {
        panic!("the ESCO data in ../shared/data/esco is needed for this test");
    }
    for db in testing::all_engines().await {
        let count = |table: &'static str| {
            let store = db.store.clone();
            async move { store_count(&store, table).await }
        };
        let import_esco = |dir: &str| {
            Command::new(BIN)
                .args(["import", "esco", dir, "--database-url", &db.url])
                .env(
                    "LEERPAD_DATABASE_SCHEMA",
                    db.schema.clone().unwrap_or_default(),
                )
                .env_remove("LEERPAD_CONFIG")
                .output()
                .expect("import")
        };
        for round in 0..2 {
            let out = import_esco(ESCO_DIR);
            assert!(
                out.status.success(),
                "round {round} on {}: {}",
                db.engine(),
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(
                count("esco_skills").await,
                13_952,
                "{} round {round}",
                db.engine()
            );
            assert_eq!(count("esco_occupations").await, 3_039);
        }
        let snapshot = leerpad_domain::taxonomy::ports::TaxonomyStore::load_taxonomy(&db.store)
            .await
            .expect("load")
            .expect("stored");
        assert_eq!(
            leerpad_esco::unpack(&snapshot)
                .expect("unpack")
                .skills
                .len(),
            13_952
        );

        // A broken bundle changes nothing.
        let broken = tempfile::tempdir().expect("tempdir");
        for f in ["skills_en.csv", "occupations_en.csv"] {
            std::fs::copy(bundle.join(f), broken.path().join(f)).expect("copy");
        }
        std::fs::write(
            broken.path().join("occupationSkillRelations.csv"),
            "occupationUri,relationType,skillType,skillUri\nx,maybe,y,z\n",
        )
        .expect("write");
        let out = import_esco(&broken.path().display().to_string());
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr)
                .contains("occupationSkillRelations.csv:2: column relationType")
        );
        assert_eq!(count("esco_skills").await, 13_952);
        db.cleanup().await;
    }
}

async fn store_count(store: &leerpad_storage::SqlStore, table: &str) -> i64 {
    store.count_rows(table).await.expect("count")
}

#[tokio::test]
async fn esco_pages_mark_english_fallbacks_and_link_concepts() {
    let app = apps().await.into_iter().next().expect("sqlite");
    let mut c = app.client();
    let page = c.get("/esco?q=manage+staff&soort=vaardigheden").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains("<span lang=\"en\">"),
        "English labels are marked as English"
    );
    assert!(page.text.contains("(Engels)"), "and visibly so");
    let href = page
        .text_between("href=\"/esco/vaardigheid/", '"')
        .expect("a skill link");
    let skill = c.get(&format!("/esco/vaardigheid/{href}")).await;
    assert_eq!(skill.status, StatusCode::OK);
    assert!(skill.text.contains("Nodig voor deze beroepen"));
    let occ = c.get("/esco?q=verpleegkundige&soort=beroepen").await;
    let href = occ
        .text_between("href=\"/esco/beroep/", '"')
        .expect("an occupation link");
    let detail = c.get(&format!("/esco/beroep/{href}?lang=en")).await;
    assert_eq!(detail.status, StatusCode::OK);
    assert!(detail.text.contains("Skills that are needed"));
    // From any occupation: what would I need to learn (the gap and the plan).
    assert!(detail.text.contains(&format!("href=\"/kansen/{href}\"")));
    assert!(
        detail
            .text
            .contains("What would I need to learn to become this?")
    );
    assert_eq!(
        c.get("/esco/beroep/bestaat-niet").await.status,
        StatusCode::NOT_FOUND
    );
    let xss = c.get("/esco?q=%3Cscript%3Ealert(1)%3C/script%3E").await;
    assert!(!xss.text.contains("<script>alert(1)</script>"));
    app.cleanup().await;
}
