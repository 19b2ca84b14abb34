//! `leerpad bench ledger`: how fast the ledger moves money through its use case
//! (`Ledger::execute`, with the authorization, idempotency key, row locks and balance checks of
//! real use): payments, holds and their posting between a few hundred accounts, by one client
//! and by eight at once, on SQLite and (with `--database-url`) on PostgreSQL.

use super::bench::{Figures, ms, percentile};
use super::bench_search::{Line, config_for};
use super::open_store;
use anyhow::Context;
use leerpad_app::ledger::Ledger;
use leerpad_domain::clock::{Clock, SystemClock};
use leerpad_domain::ledger::{AccountKind, Command};
use leerpad_domain::policy::Principal;
use leerpad_domain::role::{Role, RoleSet};
use leerpad_domain::shared::{AccountId, Money, UserId};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
pub struct LedgerBenchArgs {
    /// Commands per run (each run: one client, then eight at once).
    #[arg(long, default_value_t = 10_000)]
    pub commands: usize,
    /// Also run on this PostgreSQL database (a fresh one: its ledger is written to).
    #[arg(long, env = "LEERPAD_BENCH_DATABASE_URL")]
    pub database_url: Option<String>,
}

const LEARNERS: usize = 200;
const PROVIDERS: usize = 20;

struct Run {
    per_s: f64,
    p50: Duration,
    p99: Duration,
}

/// A small deterministic generator for the workload.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

/// `commands` commands by `clients` clients at once: per client a payment, then a hold and
/// its posting, round and round.
async fn run_on(
    ledger: Arc<Ledger>,
    manager: &Principal,
    learners: &[AccountId],
    providers: &[AccountId],
    clients: usize,
    commands: usize,
    tag: &str,
) -> anyhow::Result<Run> {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let ledger = ledger.clone();
        let manager = manager.clone();
        let learners = learners.to_vec();
        let providers = providers.to_vec();
        let tag = format!("{tag}-{c}");
        let share = commands / clients;
        tasks.push(tokio::spawn(async move {
            let mut rng = Lcg(c as u64 + 1);
            let mut times = Vec::with_capacity(share);
            let mut i = 0;
            while i < share {
                let from = learners[rng.next(learners.len())];
                let to = providers[rng.next(providers.len())];
                let amount = Money::from_cents(100 * (1 + rng.next(50) as i64));
                let pay = Command::Transfer {
                    from,
                    to,
                    amount,
                    memo: "betaling".into(),
                };
                let t = Instant::now();
                ledger
                    .execute(&manager, &format!("{tag}-{i}"), &pay)
                    .await?;
                times.push(t.elapsed());
                i += 1;
                let hold = Command::Hold {
                    from,
                    to,
                    amount,
                    expires_at: i64::MAX / 2,
                    memo: "inschrijving".into(),
                };
                let t = Instant::now();
                let h = ledger
                    .execute(&manager, &format!("{tag}-{i}"), &hold)
                    .await?;
                times.push(t.elapsed());
                i += 1;
                let post = Command::Post {
                    hold: h.id,
                    amount,
                    memo: "afgerond".into(),
                };
                let t = Instant::now();
                ledger
                    .execute(&manager, &format!("{tag}-{i}"), &post)
                    .await?;
                times.push(t.elapsed());
                i += 1;
            }
            anyhow::Ok(times)
        }));
    }
    let mut times = Vec::with_capacity(commands);
    for t in tasks {
        times.extend(t.await??);
    }
    let wall = started.elapsed();
    times.sort_unstable();
    Ok(Run {
        per_s: times.len() as f64 / wall.as_secs_f64(),
        p50: percentile(&times, 0.5),
        p99: percentile(&times, 0.99),
    })
}

async fn engine(url: &str, args: &LedgerBenchArgs) -> anyhow::Result<(Run, Run)> {
    let dir = tempfile::tempdir().context("a directory for the benchmark")?;
    let mut config = config_for(dir.path())?;
    config.database_url = url.to_owned();
    let store = Arc::new(open_store(&config).await?);
    let clock = Arc::new(SystemClock);
    let now = clock.now();
    let ledger = Arc::new(Ledger::new(store.clone(), store.clone(), clock));
    let manager = Principal {
        user_id: UserId::new(0),
        email: "bench@example.nl".into(),
        roles: RoleSet::new([Role::ProgrammeManager]),
    };
    let funding = ledger
        .open_account(&manager, AccountKind::Funding, "funding:bench", "Bench")
        .await?;
    let mut learners = Vec::new();
    let mut providers = Vec::new();
    // A run's own key prefix, so a database used before does not answer from old keys.
    let run = now;
    for i in 0..LEARNERS {
        let a = ledger
            .open_account(
                &manager,
                AccountKind::Learner,
                &format!("learner:bench-{i}"),
                "leerling",
            )
            .await?;
        ledger
            .execute(
                &manager,
                &format!("bench-{run}-deposit-{i}"),
                &Command::Transfer {
                    from: funding.id,
                    to: a.id,
                    amount: Money::from_cents(100_000_000),
                    memo: "storting".into(),
                },
            )
            .await?;
        learners.push(a.id);
    }
    for i in 0..PROVIDERS {
        let a = ledger
            .open_account(
                &manager,
                AccountKind::Provider,
                &format!("provider:bench-{i}"),
                "aanbieder",
            )
            .await?;
        providers.push(a.id);
    }
    let single = run_on(
        ledger.clone(),
        &manager,
        &learners,
        &providers,
        1,
        args.commands,
        &format!("bench-{run}-one"),
    )
    .await?;
    let eight = run_on(
        ledger,
        &manager,
        &learners,
        &providers,
        8,
        args.commands,
        &format!("bench-{run}-eight"),
    )
    .await?;
    store.close().await;
    Ok((single, eight))
}

pub async fn run(args: LedgerBenchArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir().context("a directory for the benchmark")?;
    let sqlite = format!("sqlite://{}", dir.path().join("ledger.db").display());
    let mut engines = vec![("sqlite", "SQLite", sqlite)];
    if let Some(url) = &args.database_url {
        engines.push(("postgres", "PostgreSQL", url.clone()));
    }
    let mut f = Figures::new("ledger");
    f.count("commands", args.commands as u64);
    let mut table = Vec::new();
    for (key, name, url) in engines {
        let (one, eight) = engine(&url, &args).await?;
        for (label, r) in [("1 client", &one), ("8 clients at once", &eight)] {
            table.push(Line(
                format!("{name}, {label}"),
                format!(
                    "{:.0} transfers/s, p50 {:.2} ms, p99 {:.2} ms",
                    r.per_s,
                    ms(r.p50),
                    ms(r.p99)
                ),
                "(reported)".into(),
            ));
        }
        let figures = |r: &Run| {
            serde_json::json!({
                "transfers_per_s": (r.per_s * 10.0).round() / 10.0,
                "p50_ms": (ms(r.p50) * 100.0).round() / 100.0,
                "p99_ms": (ms(r.p99) * 100.0).round() / 100.0,
            })
        };
        f.group(
            key,
            serde_json::json!({
                "transfers_per_s": (eight.per_s * 10.0).round() / 10.0,
                "p99_ms": (ms(eight.p99) * 100.0).round() / 100.0,
                "one_client": figures(&one),
                "eight_clients": figures(&eight),
            }),
        );
    }
    println!(
        "ledger: payments, holds and postings through the use case ({} commands per run, 2-core machine)",
        args.commands
    );
    println!("| run | figures | target |");
    println!("| --- | --- | --- |");
    for Line(a, b, c) in &table {
        println!("| {a} | {b} | {c} |");
    }
    f.print();
    Ok(())
}
