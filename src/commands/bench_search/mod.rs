//! `leerpad bench search`: the catalogue at scale. Generates N offers (1,000,000 by default),
//! imports and indexes them, then runs a fixed set of realistic queries (words, typos, English,
//! filters, sorting, deep pages) against the search index (one thread, then 8 concurrent
//! clients), through the use case (database fetch and highlighting included), and over HTTP
//! against a real `leerpad serve` whose memory is read from /proc; and, in the same run, the
//! same queries against PostgreSQL full-text search on the same data.
//!
//! This file holds the command and the measurement run; the catalogue, the queries, the
//! server, the PostgreSQL comparison and the report each have a module of their own.

mod catalogue;
mod fts_peer;
mod postgres;
mod queries;
mod report;
mod server;

pub(super) use catalogue::{catalogue_dir, catalogue_of, config_for, import_file};
pub(super) use fts_peer::PgFtsPeer;
pub(super) use report::{Line, memory_mib, print_titled_table, server_memory};
pub(super) use server::ServerProcess;

use super::bench::{Figures, ms};
use super::platform::Platform;
use leerpad_domain::catalogue::search::OfferIndex;
use report::{Latencies, mib};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
pub struct SearchBenchArgs {
    /// How many offers.
    #[arg(long, default_value_t = 1_000_000)]
    pub offers: u64,
    /// Where to keep the generated file, database and index (reused when they hold as many
    /// offers) [default: ./bench-search-N]
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// PostgreSQL for the full-text peer.
    #[arg(
        long,
        env = "LEERPAD_BENCH_POSTGRES_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/test"
    )]
    pub postgres_url: String,
    /// Leave out the PostgreSQL peer.
    #[arg(long)]
    pub skip_postgres: bool,
    /// Times each query is run (after one warm-up round).
    #[arg(long, default_value_t = 5)]
    pub rounds: usize,
    /// Run only these queries (URL query strings, e.g. `q=lassen&kind=course`) instead of the
    /// built-in set; for looking into one case.
    #[arg(long = "query")]
    pub queries: Vec<String>,
    /// Only the index measurements (no server, no PostgreSQL).
    #[arg(long)]
    pub index_only: bool,
}

fn file_size(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

pub async fn run(args: SearchBenchArgs) -> anyhow::Result<()> {
    let dir = catalogue_dir(args.dir.as_deref(), args.offers);
    let mut table: Vec<Line> = Vec::new();
    let mut figures = Figures::new("search");
    let platform = catalogue_of(&dir, args.offers, &mut table, &mut figures).await?;
    search_phase(args, dir, table, figures, platform).await
}

async fn search_phase(
    args: SearchBenchArgs,
    dir: PathBuf,
    mut table: Vec<Line>,
    mut figures: Figures,
    platform: Platform,
) -> anyhow::Result<()> {
    let (_, existing) = platform.services.store.catalogue_state().await?;
    let index_bytes = platform.index.size_on_disk();
    let db_bytes = file_size(&dir.join("leerpad.db")) + file_size(&dir.join("leerpad.db-wal"));
    let (segments, with_deletes) = platform.index.segment_stats();
    figures.num("index_mib", mib(index_bytes), 0);
    figures.count("index_segments", segments as u64);
    figures.count("index_segments_with_deletes", with_deletes as u64);
    table.push(Line(
        "index size on disk (segments, of which with deletions)".into(),
        format!("{:.0} MiB ({segments}, {with_deletes})", mib(index_bytes)),
        String::new(),
    ));
    figures.num("sqlite_mib", mib(db_bytes), 0);
    table.push(Line(
        "SQLite database".into(),
        format!("{:.0} MiB", mib(db_bytes)),
        String::new(),
    ));

    let regions = platform.services.catalogue.regions();
    let query_strings = queries::chosen(&args.queries);
    let queries = queries::parse(&query_strings, regions)?;
    let today = platform.services.catalogue.today();
    let index = platform.index.clone();

    // The index alone, one thread.
    let mut single = Latencies(Vec::new());
    let mut totals = Vec::new();
    let mut worst = vec![Duration::ZERO; queries.len()];
    for round in 0..=args.rounds {
        for (i, q) in queries.iter().enumerate() {
            let t = Instant::now();
            let page = index.search(q, today)?;
            let took = t.elapsed();
            if round > 0 {
                single.0.push(took);
                worst[i] = worst[i].max(took);
            } else {
                totals.push(page.total);
            }
        }
    }
    let mut slowest: Vec<(Duration, &str, u64)> = worst
        .iter()
        .zip(&query_strings)
        .zip(&totals)
        .map(|((d, q), n)| (*d, *q, *n))
        .collect();
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (d, q, n) in slowest.iter().take(5) {
        eprintln!("slow: {:.2} ms  {n:>8} found  ?{q}", ms(*d));
    }
    figures.count("queries", queries.len() as u64);
    figures.count("rounds", args.rounds as u64);
    let (percentiles, _) = single.record(&mut figures, "index");
    table.push(Line(
        format!(
            "search + facets, index, 1 thread ({} queries × {})",
            queries.len(),
            args.rounds
        ),
        percentiles,
        "p99 < 30 ms".into(),
    ));

    if args.index_only {
        print_table(&table, args.offers.max(existing as u64), &dir, &figures);
        return Ok(());
    }

    // Eight concurrent clients.
    let mut concurrent = Latencies(Vec::new());
    let started = Instant::now();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|c| {
                let index = index.clone();
                let queries = &queries;
                let rounds = args.rounds;
                s.spawn(move || {
                    let mut out = Vec::new();
                    for r in 0..rounds {
                        for i in 0..queries.len() {
                            let q = &queries[(i + c * 7 + r) % queries.len()];
                            let t = Instant::now();
                            let _ = index.search(q, today);
                            out.push(t.elapsed());
                        }
                    }
                    out
                })
            })
            .collect();
        for h in handles {
            concurrent.0.extend(h.join().unwrap_or_default());
        }
    });
    let qps = concurrent.0.len() as f64 / started.elapsed().as_secs_f64();
    let (percentiles, _) = concurrent.record(&mut figures, "concurrent");
    figures.num("concurrent_queries_per_s", qps, 0);
    table.push(Line(
        "search + facets, index, 8 concurrent clients".into(),
        format!("{percentiles}, {qps:.0} queries/s"),
        String::new(),
    ));

    // Through the use case: index, database fetch of the page, highlights.
    let mut full = Latencies(Vec::new());
    for round in 0..=args.rounds.min(3) {
        for q in &queries {
            let t = Instant::now();
            platform.services.catalogue.search(q, "nl").await?;
            if round > 0 {
                full.0.push(t.elapsed());
            }
        }
    }
    let (percentiles, _) = full.record(&mut figures, "use_case");
    table.push(Line(
        "search use case (index + SQLite page fetch + highlights)".into(),
        percentiles,
        String::new(),
    ));

    // A real server: HTTP latency and memory.
    let server = ServerProcess::start(&dir)?;
    let mut http_api = Latencies(Vec::new());
    let mut http_page = Latencies(Vec::new());
    for round in 0..=args.rounds.min(3) {
        for q in &query_strings {
            let (api, page) = (
                server.timed_get(&format!("/api/v1/offers?{q}"))?,
                server.timed_get(&format!("/zoeken?{q}"))?,
            );
            if round > 0 {
                http_api.0.push(api);
                http_page.0.push(page);
            }
        }
    }
    let (rss, hwm) = server.memory_kib();
    drop(server);
    let (percentiles, _) = http_api.record(&mut figures, "http_api");
    table.push(Line(
        "HTTP GET /api/v1/offers (server, loopback)".into(),
        percentiles,
        String::new(),
    ));
    let (percentiles, _) = http_page.record(&mut figures, "http_page");
    table.push(Line(
        "HTTP GET /zoeken page (server, loopback)".into(),
        percentiles,
        "p99 < 50 ms".into(),
    ));
    server_memory(&mut figures, rss, hwm);
    table.push(Line(
        "server memory after the queries (RSS / peak)".into(),
        memory_mib(rss, hwm),
        "< 1,536 MiB".into(),
    ));

    if !args.skip_postgres {
        match postgres::peer(&platform, &args, &queries, today, &totals).await {
            Ok((lines, peer_figures, peer_p99)) => {
                table.extend(lines);
                figures.extend(peer_figures);
                let ours = single.p(0.99);
                let speedup = peer_p99 / ours.max(1e-6);
                figures.num("pg_speedup_p99", speedup, 0);
                table.push(Line(
                    "p99 speed-up of the index over PostgreSQL FTS".into(),
                    format!("{speedup:.0}×"),
                    "≥ 10×".into(),
                ));
            }
            Err(e) => table.push(Line(
                "PostgreSQL peer".into(),
                format!("failed: {e:#}"),
                String::new(),
            )),
        }
    }
    platform.sql.close().await;
    print_table(&table, args.offers.max(existing as u64), &dir, &figures);
    Ok(())
}

fn print_table(table: &[Line], offers: u64, dir: &Path, figures: &Figures) {
    print_titled_table("catalogue search", table, offers, dir, figures);
}
