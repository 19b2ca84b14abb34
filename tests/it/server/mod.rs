//! The real `leerpad` binary as a test starts it: a server on a free loopback port, stopped
//! with SIGTERM, and a minimal HTTP client that talks to its socket.

#![allow(dead_code)]

use leerpad_storage::testing::TestDb;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_leerpad");

pub fn leerpad(dir: &Path) -> Command {
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

/// [`leerpad`] on the database of `db` (`LEERPAD_DATABASE_URL` and its schema).
pub fn leerpad_on(dir: &Path, db: &TestDb) -> Command {
    let mut cmd = leerpad(dir);
    cmd.env("LEERPAD_DATABASE_URL", &db.url).env(
        "LEERPAD_DATABASE_SCHEMA",
        db.schema.as_deref().unwrap_or_default(),
    );
    cmd
}

/// Run `cmd` with `input` on its standard input; its output.
pub fn run_with_input(cmd: &mut Command, input: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn leerpad");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write to stdin");
    child.wait_with_output().expect("wait")
}

/// A suite that needs tools this machine lacks: skipped, with `why` on stderr; under
/// `CI=true` that is a failure instead.
pub fn skip(suite: &str, why: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{suite} must run under CI=true: {why}"
    );
    eprintln!("{suite} skipped: {why}");
}

/// A running server and the address it printed.
pub struct Server {
    pub child: Child,
    pub addr: String,
    /// What it printed before it listened (e.g. the demo accounts' password).
    pub preamble: Vec<String>,
}

impl Server {
    pub fn start(cmd: Command) -> Server {
        Server::start_with(cmd, &[])
    }

    /// `leerpad serve` with more flags (e.g. `--demo`).
    pub fn start_with(mut cmd: Command, flags: &[&str]) -> Server {
        let mut child = cmd
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(flags)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start leerpad serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let deadline = Instant::now() + Duration::from_secs(600);
        let mut preamble = Vec::new();
        let addr = loop {
            assert!(Instant::now() < deadline, "server did not start");
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(rest) = line.strip_prefix("Leerpad listens on http://") {
                        break rest.trim().to_owned();
                    }
                    preamble.push(line);
                }
                _ => panic!("server exited before listening"),
            }
        };
        Server {
            child,
            addr,
            preamble,
        }
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        http(&self.addr, "GET", path, None)
    }

    /// Stop with SIGTERM and expect a clean exit.
    pub fn terminate(mut self) {
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
        // Wait too, so a test that starts the next server on the same files finds them free.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP/1.1 client, so the test talks to the real socket.
pub fn http(addr: &str, method: &str, path: &str, json: Option<&str>) -> (u16, String) {
    http_with(addr, method, path, &[], json)
}

/// The same with extra request headers (`Authorization`, `Cookie`).
pub fn http_with(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    json: Option<&str>,
) -> (u16, String) {
    let (status, _, body) = http_full(addr, method, path, headers, json);
    (status, body)
}

/// Status, response head (status line and headers) and body.
pub fn http_full(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    json: Option<&str>,
) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let body = json.unwrap_or("");
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{extra}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
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
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((out.as_str(), ""));
    (status, head.to_owned(), body.to_owned())
}
