//! The `leerpad` binary as an operator uses it: `serve` with no configuration on SQLite and
//! with `LEERPAD_DATABASE_URL` on PostgreSQL, `user add`, `migrate`, and clear errors.

use crate::server::{BIN, Server, http, leerpad, leerpad_on, run_with_input};
use leerpad_storage::testing;
use std::process::Command;

#[test]
fn serve_help_documents_every_flag_and_its_environment_variable() {
    let out = Command::new(BIN)
        .args(["serve", "--help"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "--bind",
        "LEERPAD_BIND",
        "127.0.0.1:8080",
        "--database-url",
        "LEERPAD_DATABASE_URL",
        "sqlite://leerpad.db",
        "--config",
        "LEERPAD_CONFIG",
    ] {
        assert!(
            text.contains(needle),
            "'{needle}' missing from serve --help:\n{text}"
        );
    }
}

#[test]
fn serve_without_configuration_uses_a_sqlite_file_in_the_working_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(leerpad(dir.path()));
    let (status, body) = server.get("/readyz");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"database\":\"sqlite\""), "{body}");
    assert!(dir.path().join("leerpad.db").exists());
    assert!(dir.path().join("leerpad.db-wal").exists(), "WAL mode");
    let (status, _) = server.get("/");
    assert_eq!(status, 200);
    server.terminate();
}

#[test]
fn user_add_bootstraps_an_admin_who_can_log_in() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = run_with_input(
        leerpad(dir.path()).args([
            "user",
            "add",
            "--email",
            "Beheer@Example.NL",
            "--role",
            "admin",
            "--role",
            "programme-manager",
            "--password-stdin",
        ]),
        b"een sterk wachtwoord\n",
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("beheer@example.nl")
            && text.contains("admin")
            && text.contains("programme_manager"),
        "{text}"
    );

    // The same address again is refused with a clear message.
    let again = leerpad(dir.path())
        .args([
            "user",
            "add",
            "--email",
            "beheer@example.nl",
            "--role",
            "admin",
        ])
        .output()
        .expect("user add");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    // Without --password-stdin a password is generated and shown once.
    let generated = leerpad(dir.path())
        .args([
            "user",
            "add",
            "--email",
            "adviseur@example.nl",
            "--role",
            "advisor",
        ])
        .output()
        .expect("run");
    assert!(
        String::from_utf8_lossy(&generated.stdout).contains("generated password (shown once): ")
    );

    let bad_role = leerpad(dir.path())
        .args(["user", "add", "--email", "x@example.nl", "--role", "koning"])
        .output()
        .expect("run");
    assert!(!bad_role.status.success());
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("unknown role"));

    let server = Server::start(leerpad(dir.path()));
    let (status, body) = http(
        &server.addr,
        "POST",
        "/api/v1/session",
        Some(r#"{"email":"beheer@example.nl","password":"een sterk wachtwoord"}"#),
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"admin\""));
    server.terminate();
}

#[test]
fn configuration_errors_name_the_key_and_the_database_errors_the_url() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("leerpad.toml"), "bind = 5\n").expect("write");
    let out = leerpad(dir.path()).args(["migrate"]).output().expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bind"), "{err}");

    let out = leerpad(dir.path())
        .args(["--config", "missing.toml", "migrate"])
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.toml"));

    std::fs::remove_file(dir.path().join("leerpad.toml")).expect("rm");
    let out = leerpad(dir.path())
        .args(["migrate", "--database-url", "mysql://x"])
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&out.stderr).contains("unsupported database URL"));
    let out = leerpad(dir.path()).args(["migrate"]).output().expect("run");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("up to date (sqlite)"));

    // Settings come from LEERPAD_* variables; other variables with the prefix are left alone.
    let out = leerpad(dir.path())
        .args(["config"])
        .env("LEERPAD_SESSION_IDLE_MINUTES", "5")
        .env("LEERPAD_SOMETHING_ELSE", "1")
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("session_idle_minutes = 5"));
}

#[tokio::test]
async fn serve_on_postgresql_when_the_url_says_so() {
    let Some(db) = testing::postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let cmd = leerpad_on(dir.path(), &db);
    let server = tokio::task::spawn_blocking(move || {
        let server = Server::start(cmd);
        let ready = server.get("/readyz");
        server.terminate();
        ready
    })
    .await
    .expect("join");
    assert_eq!(server.0, 200, "{}", server.1);
    assert!(
        server.1.contains("\"database\":\"postgres\""),
        "{}",
        server.1
    );
    assert!(
        !dir.path().join("leerpad.db").exists(),
        "no SQLite file when PostgreSQL is configured"
    );
    db.cleanup().await;
}

/// `leerpad eval search` on a small catalogue: every query kind is scored, the last line is
/// the JSON of its figures, and a damaged judgments file is named with its line.
#[test]
fn eval_search_scores_every_kind_of_query_and_names_a_bad_judgment() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/eval");
    let queries = data.join("search-queries.tsv");
    let out = leerpad(dir.path())
        .args([
            "eval",
            "search",
            "--offers",
            "1500",
            "--skip-postgres",
            "--queries",
        ])
        .arg(&queries)
        .arg("--judgments")
        .arg(data.join("search-judgments.tsv"))
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let last = stdout.lines().last().unwrap_or_default();
    let figures: serde_json::Value = serde_json::from_str(last).expect("last line is JSON");
    for kind in ["occupation", "synonym", "compound", "skill", "free"] {
        let ndcg = figures[format!("ndcg_at_10_{kind}")]
            .as_f64()
            .unwrap_or(-1.0);
        assert!((0.0..=1.0).contains(&ndcg), "{kind}: {last}");
    }
    // Occupation names are what the taxonomy-aware search answers best.
    assert!(
        figures["ndcg_at_10_occupation"].as_f64() > Some(0.9),
        "{last}"
    );

    let bad = dir.path().join("judgments.tsv");
    std::fs::write(
        &bad,
        "query\toccupation\tgrade\nkapper worden\thttp://data.europa.eu/esco/occupation/nope\t3\n",
    )
    .expect("write");
    let out = leerpad(dir.path())
        .args([
            "eval",
            "search",
            "--offers",
            "10",
            "--skip-postgres",
            "--queries",
        ])
        .arg(&queries)
        .arg("--judgments")
        .arg(&bad)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("judgments.tsv: line 2: occupation"),
        "{stderr}"
    );
}
