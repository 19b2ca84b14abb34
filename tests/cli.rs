//! The `leerpad` binary as an operator uses it: `serve` with no configuration on SQLite and
//! with `LEERPAD_DATABASE_URL` on PostgreSQL, `user add`, `migrate`, and clear errors.

use leerpad_storage::testing;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_leerpad");

fn leerpad(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir);
    for (k, _) in std::env::vars() {
        if k.starts_with("LEERPAD_") {
            cmd.env_remove(k);
        }
    }
    // These tests are about serving and accounts; no background embedding work.
    cmd.env("LEERPAD_SEMANTIC_MATCHING", "false");
    cmd
}

/// A running server and the address it printed.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(mut cmd: Command) -> Server {
        let mut child = cmd
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start leerpad serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let deadline = Instant::now() + Duration::from_secs(60);
        let addr = loop {
            assert!(Instant::now() < deadline, "server did not start");
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(rest) = line.strip_prefix("Leerpad listens on http://") {
                        break rest.trim().to_owned();
                    }
                }
                _ => panic!("server exited before listening"),
            }
        };
        Server { child, addr }
    }

    fn get(&self, path: &str) -> (u16, String) {
        http(&self.addr, "GET", path, None)
    }

    /// Stop with SIGTERM and expect a clean exit.
    fn terminate(mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(code) = self.child.try_wait().expect("wait") {
                assert!(code.success(), "graceful shutdown exits 0, got {code}");
                return;
            }
            assert!(Instant::now() < deadline, "server did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// A minimal HTTP/1.1 client, so the test talks to the real socket.
fn http(addr: &str, method: &str, path: &str, json: Option<&str>) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let body = json.unwrap_or("");
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).expect("send");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

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
    let mut add = leerpad(dir.path())
        .args([
            "user",
            "add",
            "--email",
            "Beheer@Example.NL",
            "--role",
            "admin",
            "--role",
            "programme-manager",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("user add");
    add.stdin
        .take()
        .expect("stdin")
        .write_all(b"een sterk wachtwoord\n")
        .expect("write");
    let out = add.wait_with_output().expect("wait");
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
    let mut cmd = leerpad(dir.path());
    cmd.env("LEERPAD_DATABASE_URL", &db.url).env(
        "LEERPAD_DATABASE_SCHEMA",
        db.schema.as_deref().unwrap_or_default(),
    );
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
