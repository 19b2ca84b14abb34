//! The learner's web experience in real Chromium: `tests/browser/learner.mjs` (Playwright with
//! axe-core) drives the real binary, started with a demo catalogue on a free loopback port, and
//! `tests/browser/look.mjs` measures it with Lighthouse (accessibility, best practices and SEO at
//! least 95 on the home, search and offer pages; the scores are printed).
//! Then the provider's journey (register, upload, verification, an application to the open
//! call) and, after a restart with the clock 30 days ahead, the decision and the free course.
//! Needs Debian's `chromium` and `npm ci` in `tests/browser` (both done by `.ci/run`); without
//! them the test says so and passes, except under `CI=true`, where it fails.

use crate::server::{Server, leerpad, skip};
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Why the browser tests cannot run here, if they cannot.
fn missing(dir: &Path) -> Option<String> {
    if !chromium().exists() {
        return Some(format!(
            "{} not found (apt-get install chromium)",
            chromium().display()
        ));
    }
    if !dir.join("node_modules/playwright-core").exists()
        || !dir.join("node_modules/lighthouse").exists()
    {
        return Some(format!("run `npm ci` in {}", dir.display()));
    }
    match Command::new("node").arg("--version").output() {
        Ok(o) if o.status.success() => None,
        _ => Some("node not found".into()),
    }
}

#[test]
fn learner_journeys_in_chromium_with_axe() {
    let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if let Some(why) = missing(&suite) {
        skip("browser tests", &why);
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    // A small demo catalogue, example schemes and demo demand: the same data as `serve --demo`.
    let server = Server::start_with(leerpad(dir.path()), &["--demo", "--demo-offers", "3000"]);
    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-artifacts");
    // Screenshots of this run only.
    let _ = std::fs::remove_dir_all(&artifacts);
    // The example accounts' password, printed once by `serve --demo`.
    let password = server
        .preamble
        .iter()
        .find_map(|l| l.trim().strip_prefix("password "))
        .expect("serve --demo prints the example accounts' password")
        .to_owned();
    let out = Command::new("node")
        .current_dir(&suite)
        .arg("learner.mjs")
        .arg(format!("http://{}", server.addr))
        .env("ARTIFACTS_DIR", &artifacts)
        .env("CHROMIUM", chromium())
        .env("DEMO_PASSWORD", &password)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(
        out.status.success(),
        "browser journeys failed (screenshots in {}):\n{stdout}\n{stderr}",
        artifacts.display()
    );
    assert!(
        stdout.contains("browser: 9 passed, 0 failed"),
        "all nine journeys ran:\n{stdout}"
    );
    let look = Command::new("node")
        .current_dir(&suite)
        .arg("look.mjs")
        .arg(format!("http://{}", server.addr))
        .env("ARTIFACTS_DIR", &artifacts)
        .env("CHROMIUM", chromium())
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&look.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&look.stderr));
    assert!(
        look.status.success() && stdout.contains("look: passed"),
        "Lighthouse scores or the look checks failed:\n{stdout}"
    );
    server.terminate();

    // A month later the call the provider applied to has closed: the same data, a server
    // whose clock runs 30 days ahead, and the decision.
    let mut later = leerpad(dir.path());
    later.env("LEERPAD_CLOCK_OFFSET_DAYS", "30");
    let server = Server::start_with(later, &[]);
    let out = Command::new("node")
        .current_dir(&suite)
        .arg("learner.mjs")
        .arg(format!("http://{}", server.addr))
        .env("ARTIFACTS_DIR", &artifacts)
        .env("CHROMIUM", chromium())
        .env("DEMO_PASSWORD", &password)
        .env("RUNS", "decision-desktop")
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        out.status.success() && stdout.contains("browser: 1 passed, 0 failed"),
        "the decision after the call closed failed:\n{stdout}"
    );
    server.terminate();
}
