//! `leerpad import offers`, `reindex`, `demo generate` and `serve --demo` as an operator runs
//! them: the sample files of every format, every broken row reported, all-or-nothing writes that
//! survive `kill -9`, and a search index that repairs itself.

use crate::server::{Server, leerpad, leerpad_on};
use leerpad_domain::catalogue::ports::CatalogueStore;
use leerpad_storage::{ConnectOptions, SqlStore, testing};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/samples")
}

fn run(cmd: &mut Command) -> (bool, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("run leerpad");
    (
        status.success(),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

fn import(dir: &Path, args: &[&str]) -> (bool, String, String) {
    run(leerpad(dir).arg("import").arg("offers").args(args))
}

/// Offers and the highest change number in the SQLite file of `dir`.
async fn state(dir: &Path) -> (i64, i64) {
    let url = format!("sqlite://{}", dir.join("leerpad.db").display());
    let store = SqlStore::connect(&url, &ConnectOptions::default())
        .await
        .expect("open");
    let (seq, n) = store.catalogue_state().await.expect("state");
    store.close().await;
    (n, seq)
}

fn s(p: PathBuf) -> String {
    p.display().to_string()
}

#[tokio::test]
async fn every_format_imports_and_a_second_import_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let (ok, out, err) = import(d, &[&s(samples().join("offers.jsonl"))]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("3 new, 0 updated, 0 unchanged"), "{out}");
    let (ok, out, err) = import(d, &[&s(samples().join("offers.csv"))]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("2 new"), "two offers in five rows: {out}");
    // EDU-DEX names no KvK number: it must be given.
    let edudex = s(samples().join("edudex-programs.json"));
    let (ok, _, err) = import(d, &[&edudex]);
    assert!(!ok);
    assert!(err.contains("provider: required"), "{err}");
    let (ok, out, err) = import(
        d,
        &[
            &edudex,
            "--provider",
            "34567890",
            "--provider-name",
            "Zorgacademie Utrecht",
        ],
    );
    assert!(ok, "{out}{err}");
    assert!(out.contains("2 new"), "{out}");
    assert!(out.contains("skills extracted for"), "{out}");
    assert_eq!(state(d).await.0, 7);

    let (ok, out, _) = import(d, &[&s(samples().join("offers.jsonl"))]);
    assert!(ok);
    assert!(out.contains("0 new, 0 updated, 3 unchanged"), "{out}");
    assert_eq!(state(d).await.0, 7, "re-importing never duplicates");
}

#[tokio::test]
async fn broken_rows_are_all_listed_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let good = std::fs::read_to_string(samples().join("offers.jsonl")).expect("sample");
    let first = good.lines().next().unwrap_or_default().to_owned();
    let broken = format!(
        "{good}{}\n{}\nnot json\n{first}\n{}\n",
        r#"{"provider":{"kvk":"123","name":"X"},"provider_offer_id":"B1","title":{"nl":"Kapot"},"kind":"kurs","modality":"on_site","runs":[{"start":"2027-02-30","municipality":"Atlantis"}]}"#,
        r#"{"provider":{"kvk":"12345678","name":"X"},"provider_offer_id":"B2","title":{"nl":"Prijs"},"kind":"course","modality":"online","costs":[{"kind":"tuition","amount_cents":"veel"}]}"#,
        // An offer id that a spreadsheet would run as a formula when it opens the report.
        r#"{"provider":{"kvk":"12345678","name":"X"},"provider_offer_id":"=HYPERLINK(\"https://example.invalid\",\"klik\")","title":{"nl":"Formule"},"kind":"kurs","modality":"online"}"#,
    );
    let file = d.join("broken.jsonl");
    std::fs::write(&file, broken).expect("write");
    let (ok, out, err) = import(d, &[&s(file.clone())]);
    assert!(!ok, "{out}");
    for needle in [
        "line 4 (offer B1): provider.kvk:",
        "line 4 (offer B1): kind: 'kurs' is not one of",
        "line 4 (offer B1): runs[0].start: '2027-02-30' is not a date",
        "line 4 (offer B1): runs[0].municipality: 'Atlantis' is not a Dutch municipality",
        "line 5 (offer B2): costs[0].amount_cents:",
        "line 6: not valid JSON",
        "line 7 (offer VCA-B): provider_offer_id: 'VCA-B' occurs twice: first on line 1",
        "nothing imported",
    ] {
        assert!(err.contains(needle), "missing '{needle}' in:\n{err}");
    }
    assert_eq!(state(d).await.0, 0, "nothing half-imported");

    let (ok, out, err) = import(d, &[&s(file.clone()), "--dry-run"]);
    assert!(!ok && err.contains("dry run"), "{out}{err}");
    assert_eq!(state(d).await.0, 0);

    let (ok, out, err) = import(d, &[&s(file.clone()), "--skip-invalid"]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("3 new") && out.contains("5 skipped"), "{out}");
    let report = std::fs::read_to_string(d.join("broken.jsonl.errors.csv")).expect("report");
    assert!(report.starts_with("line,offer,field,message"));
    assert!(report.contains("4,B1,kind,"), "{report}");
    // Cells that start like a formula are written as text (a leading ').
    assert!(
        report.contains("8,\"'=HYPERLINK(\"\"https://example.invalid\"\",\"\"klik\"\")\",kind,"),
        "{report}"
    );
    let mut cells = csv::Reader::from_reader(report.as_bytes());
    for record in cells.records() {
        let record = record.expect("a CSV record");
        for cell in record.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula in the report: {cell:?}\n{report}"
            );
        }
    }
    assert_eq!(state(d).await.0, 3);

    // Whole-file problems: named with the file and line.
    let csv = d.join("bad.csv");
    std::fs::write(
        &csv,
        "provider_offer_id,titel,kind,modality\nA,B,course,online\n",
    )
    .expect("write");
    let (ok, _, err) = import(d, &[&s(csv)]);
    assert!(
        !ok && err.contains("line 1: unknown column 'titel'"),
        "{err}"
    );
    let (ok, _, err) = import(d, &[&s(d.join("missing.jsonl"))]);
    assert!(!ok && err.contains("no such file"), "{err}");
    let odd = d.join("offers.xml");
    std::fs::write(&odd, "<x/>").expect("write");
    let (ok, _, err) = import(d, &[&s(odd)]);
    assert!(!ok && err.contains("--format"), "{err}");
    let utf = d.join("latin1.jsonl");
    std::fs::write(&utf, [0xffu8, 0xfe, b'\n']).expect("write");
    let (ok, _, err) = import(d, &[&s(utf)]);
    assert!(!ok && err.contains("line 1: not valid UTF-8"), "{err}");
}

/// The number of offers a server finds, asked over HTTP.
fn total(addr: &str, query: &str) -> Option<u64> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    write!(
        s,
        "GET /api/v1/offers?{query} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    let body = out.split_once("\r\n\r\n")?.1;
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    v["total"].as_u64()
}

/// Wait until a search on the server at `addr` finds `expected` offers (the index catches up
/// in the background).
fn wait_for_total(addr: &str, query: &str, expected: u64) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let found = total(addr, query);
        if found == Some(expected) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "search finds {found:?}, expected {expected}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[tokio::test]
async fn a_killed_import_leaves_the_previous_catalogue_and_a_lost_index_is_rebuilt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let (ok, out, err) = import(d, &[&s(samples().join("offers.jsonl"))]);
    assert!(ok, "{out}{err}");
    let (ok, _, err) = run(leerpad(d).args([
        "demo",
        "generate",
        "--offers",
        "40000",
        "--seed",
        "3",
        "--today",
        "2026-11-23",
        "--out",
        "big.jsonl",
    ]));
    assert!(ok, "{err}");

    // Kill the import with SIGKILL while it writes (the write-ahead log grows).
    let mut child = leerpad(d)
        .args(["import", "offers", "big.jsonl"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("import");
    let wal = d.join("leerpad.db-wal");
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        assert!(
            child.try_wait().expect("wait").is_none(),
            "the import ended before it could be killed"
        );
        if std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) > 8 << 20 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the import did not start writing"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill -9");
    child.wait().expect("reap");
    assert_eq!(state(d).await.0, 3, "the previous catalogue is intact");

    // The index survived too; then it is lost entirely, and the server rebuilds it on start.
    {
        let server = Server::start_with(leerpad(d), &[]);
        wait_for_total(&server.addr, "", 3);
        wait_for_total(&server.addr, "q=heftruck", 1);
    }
    std::fs::remove_dir_all(d.join("leerpad.index")).expect("rm index");
    {
        let server = Server::start_with(leerpad(d), &[]);
        wait_for_total(&server.addr, "q=excel", 1);
    }
    // Damaged files: rebuilt as well.
    for e in std::fs::read_dir(d.join("leerpad.index"))
        .expect("index")
        .flatten()
    {
        if e.path()
            .extension()
            .is_some_and(|x| x == "idx" || x == "fast")
        {
            std::fs::write(e.path(), b"damaged").expect("damage");
        }
    }
    {
        let server = Server::start_with(leerpad(d), &[]);
        wait_for_total(&server.addr, "q=vca", 1);
    }
    let (ok, out, err) = run(leerpad(d).arg("reindex"));
    assert!(
        ok && out.contains("search index rebuilt: 3 offers"),
        "{out}{err}"
    );
}

#[tokio::test]
async fn the_demo_catalogue_is_deterministic_and_loads_on_first_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let generate = |name: &str| {
        let (ok, _, err) = run(leerpad(d).args([
            "demo",
            "generate",
            "--offers",
            "500",
            "--seed",
            "11",
            "--today",
            "2026-11-23",
            "--out",
            name,
        ]));
        assert!(ok, "{err}");
        std::fs::read(d.join(name)).expect("read")
    };
    assert_eq!(generate("a.jsonl"), generate("b.jsonl"));
    let (ok, _, err) = run(leerpad(d).args([
        "demo",
        "generate",
        "--offers",
        "5",
        "--out",
        "x.jsonl",
        "--today",
        "2026-02-30",
    ]));
    assert!(!ok && err.contains("--today"), "{err}");

    let server = Server::start_with(leerpad(d), &["--demo"]);
    let total_now = total(&server.addr, "").expect("search");
    assert!(
        total_now > 9_000,
        "about 10,000 published demo offers: {total_now}"
    );
    drop(server);
    // A second start leaves the catalogue alone.
    let before = state(d).await;
    let server = Server::start_with(leerpad(d), &["--demo"]);
    wait_for_total(&server.addr, "", total_now);
    drop(server);
    assert_eq!(state(d).await, before);
}

#[tokio::test]
async fn importing_into_postgresql_works_the_same() {
    let Some(db) = testing::postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let on_pg = || {
        let mut cmd = leerpad_on(d, &db);
        cmd.env("LEERPAD_SEARCH_INDEX_DIR", d.join("pg.index"));
        cmd
    };
    let csv = s(samples().join("offers.csv"));
    let (ok, out, err) = run(on_pg().args(["import", "offers", &csv]));
    assert!(ok, "{out}{err}");
    assert!(out.contains("2 new"), "{out}");
    let (ok, out, _) = run(on_pg().args(["import", "offers", &csv]));
    assert!(ok && out.contains("2 unchanged"), "{out}");
    let (ok, out, err) = run(on_pg().arg("reindex"));
    assert!(ok && out.contains("2 offers"), "{out}{err}");
    assert!(!d.join("leerpad.db").exists());
    db.cleanup().await;
}
