//! `leerpad serve` on the benchmark's data as a child process: started on a free port,
//! queried over loopback with plain HTTP/1.1, its memory read from /proc, killed on drop.

use anyhow::Context;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// `leerpad serve` on the benchmark's data, as a child process.
pub(in crate::commands) struct ServerProcess {
    child: std::process::Child,
    addr: String,
}

impl ServerProcess {
    pub(in crate::commands) fn start(dir: &Path) -> anyhow::Result<ServerProcess> {
        let url = format!("sqlite://{}", dir.join("leerpad.db").display());
        Self::start_on(dir, &url)
    }

    /// The server on the database at `url`, with its search index in `dir`.
    pub(in crate::commands) fn start_on(dir: &Path, url: &str) -> anyhow::Result<ServerProcess> {
        let exe = std::env::current_exe()?;
        let mut child = std::process::Command::new(exe)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("LEERPAD_DATABASE_URL", url)
            .env("LEERPAD_SEARCH_INDEX_DIR", dir.join("leerpad.index"))
            .env("LEERPAD_SEMANTIC_MATCHING", "false")
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .context("starting leerpad serve")?;
        let stdout = child.stdout.take().context("server stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            match lines.next() {
                Some(Ok(l)) => {
                    if let Some(a) = l.strip_prefix("Leerpad listens on http://") {
                        break a.trim().to_owned();
                    }
                }
                _ => anyhow::bail!("the server stopped before listening"),
            }
        };
        Ok(ServerProcess { child, addr })
    }

    /// The address it listens on.
    pub(in crate::commands) fn addr(&self) -> &str {
        &self.addr
    }

    pub(super) fn timed_get(&self, path: &str) -> anyhow::Result<Duration> {
        Ok(self.timed_get_as(path, None)?.0)
    }

    /// One request and its whole answer; `Ok` only for a 200. Returns the time and the size.
    fn request(&self, head: &str, body: &str) -> anyhow::Result<(Duration, Vec<u8>)> {
        let t = Instant::now();
        let mut s = std::net::TcpStream::connect(&self.addr)?;
        write!(
            s,
            "{head}Host: {}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        )?;
        let mut out = Vec::new();
        s.read_to_end(&mut out)?;
        let took = t.elapsed();
        anyhow::ensure!(
            out.starts_with(b"HTTP/1.1 200"),
            "{}: {}",
            head.lines().next().unwrap_or_default(),
            String::from_utf8_lossy(&out[..out.len().min(200)])
        );
        Ok((took, out))
    }

    /// GET with an optional session cookie: time and response size in bytes.
    pub(in crate::commands) fn timed_get_as(
        &self,
        path: &str,
        cookie: Option<&str>,
    ) -> anyhow::Result<(Duration, usize)> {
        let cookie = cookie
            .map(|c| format!("Cookie: {c}\r\n"))
            .unwrap_or_default();
        let (took, out) = self.request(&format!("GET {path} HTTP/1.1\r\n{cookie}"), "")?;
        // A page that failed is not a fast page.
        anyhow::ensure!(
            out.starts_with(b"HTTP/1.1 200"),
            "GET {path} answered {}",
            String::from_utf8_lossy(out.split(|b| *b == b'\r').next().unwrap_or_default())
        );
        Ok((took, out.len()))
    }

    /// GET a JSON document.
    pub(in crate::commands) fn get_json(&self, path: &str) -> anyhow::Result<serde_json::Value> {
        let (_, out) = self.request(&format!("GET {path} HTTP/1.1\r\n"), "")?;
        let text = String::from_utf8_lossy(&out);
        let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        serde_json::from_str(body).with_context(|| format!("GET {path}: not JSON"))
    }

    /// Log in through the API; the session cookie (`name=value`).
    pub(in crate::commands) fn login(&self, email: &str, password: &str) -> anyhow::Result<String> {
        let body = serde_json::json!({"email": email, "password": password}).to_string();
        let (_, out) = self.request(
            "POST /api/v1/session HTTP/1.1\r\nContent-Type: application/json\r\n",
            &body,
        )?;
        let text = String::from_utf8_lossy(&out);
        text.lines()
            .filter_map(|l| l.strip_prefix("set-cookie: "))
            .find(|c| c.starts_with("lp_session="))
            .and_then(|c| c.split(';').next())
            .map(str::to_owned)
            .context("no session cookie in the login answer")
    }

    /// Kill the server at once (SIGKILL), as a crash would: nothing is closed politely.
    pub(in crate::commands) fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Resident and peak memory, in KiB.
    pub(in crate::commands) fn memory_kib(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| -> u64 {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
