//! Schemathesis (PyPI) against the live server: every operation in the OpenAPI document, with
//! generated valid and invalid input, signed in as a programme manager through an API token.
//! It must find no 5xx and no response that breaks the documented schema. Needs
//! `pip install schemathesis` (done by `.ci/run`); without it the test says so and passes,
//! except under `CI=true`, where it fails.

use crate::server::{Server, http_full, leerpad, run_with_input, skip};
use std::process::Command;

const EMAIL: &str = "schema@example.nl";
const PASSWORD: &str = "een lang wachtwoord voor schemathesis";

/// The `schemathesis` command, or the module through Python when its script is not on PATH.
fn schemathesis() -> Option<Command> {
    let works = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if works("schemathesis", &[]) {
        return Some(Command::new("schemathesis"));
    }
    works("python3", &["-m", "schemathesis.cli"]).then(|| {
        let mut cmd = Command::new("python3");
        cmd.args(["-m", "schemathesis.cli"]);
        cmd
    })
}

/// An API token of a programme manager who is also a provider, made the way an operator and an
/// integrator would: `user add`, a session, `POST /api/v1/me/tokens`.
fn token(dir: &std::path::Path, addr: &str, first: bool) -> String {
    if first {
        add_user(dir);
    }
    session_token(addr)
}

fn add_user(dir: &std::path::Path) {
    let add = run_with_input(
        leerpad(dir).args([
            "user",
            "add",
            "--email",
            EMAIL,
            "--role",
            "programme_manager",
            "--role",
            "provider",
            "--password-stdin",
        ]),
        format!("{PASSWORD}\n").as_bytes(),
    );
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
}

fn session_token(addr: &str) -> String {
    let login = format!(r#"{{"email":"{EMAIL}","password":"{PASSWORD}"}}"#);
    let (status, head, body) = http_full(addr, "POST", "/api/v1/session", &[], Some(&login));
    assert_eq!(status, 200, "{body}");
    let cookie = head
        .lines()
        .filter_map(|l| l.strip_prefix("set-cookie: "))
        .find(|c| c.starts_with("lp_session="))
        .and_then(|c| c.split(';').next())
        .expect("session cookie")
        .to_owned();
    let (status, _, body) = http_full(
        addr,
        "POST",
        "/api/v1/me/tokens",
        &[("Cookie", &cookie)],
        Some(r#"{"name":"schemathesis","valid_days":1}"#),
    );
    assert_eq!(status, 201, "{body}");
    let start = body.find("lp_").expect("token secret in the answer");
    body[start..].split('"').next().expect("token").to_owned()
}

/// Run schemathesis on the operations `filter` selects; its output and whether it passed.
fn run(
    cmd: &mut Command,
    addr: &str,
    secret: &str,
    filter: [&str; 2],
    report: &std::path::Path,
) -> (bool, String) {
    let out = cmd
        .env("NO_COLOR", "1")
        .args([
            "run",
            &format!("http://{addr}/api/v1/openapi.json"),
            "--checks",
            "not_a_server_error,response_schema_conformance,content_type_conformance",
            "--header",
            &format!("Authorization: Bearer {secret}"),
            filter[0],
            filter[1],
            "--max-examples",
            "30",
            "--seed",
            "20261201",
            // One worker: with two threads, CPython 3.11's `ast` module can fail spuriously
            // inside hypothesis ("AST constructor recursion depth mismatch", cpython#106905).
            "--workers",
            "1",
            "--phases",
            "examples,coverage,fuzzing",
            "--suppress-health-check",
            "all",
            "--request-timeout",
            "30",
            "--no-color",
            "--report-dir",
        ])
        .arg(report)
        .output()
        .expect("run schemathesis");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn schemathesis_finds_no_server_errors_and_no_schema_violations() {
    let Some(_) = schemathesis() else {
        skip("schemathesis", "not installed (pip install schemathesis)");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start_with(leerpad(dir.path()), &["--demo", "--demo-offers", "300"]);
    let report = dir.path().join("schemathesis");
    // Revoking tokens would soon revoke the one the run uses (ids are small numbers), so that
    // operation gets a run of its own, with a token of its own.
    const REVOKE: &str = "DELETE /api/v1/me/tokens/{id}";
    let passes = [["--exclude-name", REVOKE], ["--include-name", REVOKE]];
    // Both tokens first: the login attempts schemathesis makes soon throttle this address.
    let secrets = [
        token(dir.path(), &server.addr, true),
        token(dir.path(), &server.addr, false),
    ];
    for (filter, secret) in passes.into_iter().zip(secrets) {
        let mut cmd = schemathesis().expect("schemathesis");
        cmd.current_dir(dir.path());
        let (ok, text) = run(&mut cmd, &server.addr, &secret, filter, &report);
        println!("{text}");
        assert!(
            ok,
            "schemathesis found problems ({} {}):\n{text}",
            filter[0], filter[1]
        );
        assert!(
            text.contains("Test cases:"),
            "schemathesis ran test cases:\n{text}"
        );
    }
    server.terminate();
}
