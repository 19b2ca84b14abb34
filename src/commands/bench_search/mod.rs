//! `leerpad bench search`: the catalogue at scale. Generates N offers (1,000,000 by default),
//! imports and indexes them, then runs a fixed set of realistic queries (words, typos, English,
//! filters, sorting, deep pages) against the search index (one thread, then 8 concurrent
//! clients), through the use case (database fetch and highlighting included), and over HTTP
//! against a real `leerpad serve` whose memory is read from /proc; and, in the same run, the
//! same queries against PostgreSQL full-text search on the same data.

mod fts_peer;

use super::bench::Figures;
use super::platform::{IndexOptions, Platform};
use crate::config::{Config, Overrides};
use anyhow::Context;
use fts_peer::PgFtsPeer;
use leerpad_app::catalogue::ImportRow;
use leerpad_domain::catalogue::search::{OfferIndex, OfferQuery};
use leerpad_web::search_params::SearchParams;
use std::io::{BufRead, BufReader, Read, Write};
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

/// The queries: what people type into a training search, with the filters they click.
pub const QUERIES: &[&str] = &[
    "",
    "q=heftruck",
    "q=verpleegkundige",
    "q=excel",
    "q=marketing",
    "q=lassen",
    "q=projectbeheer",
    "q=digitale+marketing",
    "q=automonteur",
    "q=boekhouding",
    "q=leidinggeven",
    "q=klantenservice",
    "q=veiligheid",
    "q=zorg",
    "q=logistiek",
    "q=schoonmaak",
    "q=kok",
    "q=elektricien",
    "q=programmeren",
    "q=data+analyse",
    "q=communicatie",
    "q=verkoop",
    "q=onderwijsassistent",
    "q=vrachtwagenchauffeur",
    "q=administratief+medewerker",
    "q=ict",
    "q=financieel+adviseur",
    "q=engels",
    "q=duurzaamheid",
    "q=verpleegkundge",
    "q=marketting",
    "q=boekhoudig",
    "q=elektricen",
    "q=customer+service",
    "q=software+developer",
    "q=first+aid",
    "q=zorg&province=Utrecht",
    "kind=course&modality=online",
    "q=marketing&price=250-1000&sort=price",
    "start=4&region=Rijnmond",
    "q=ict&level=mbo4",
    "sort=start",
    "q=leidinggeven&credential=certificate&page=3",
    "kind=bbl&kind=bol&province=Noord-Brabant",
    "q=verkoop&language=en",
    "price=free&sort=-price",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Latencies(Vec<Duration>);

impl Latencies {
    fn p(&mut self, p: f64) -> f64 {
        self.0.sort();
        ms(percentile(&self.0, p))
    }
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

fn file_size(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

fn config_for(dir: &Path) -> anyhow::Result<Config> {
    let mut config = Config::load(
        None,
        &Overrides {
            database_url: Some(format!("sqlite://{}", dir.join("leerpad.db").display())),
            ..Default::default()
        },
    )?;
    config.search_index_dir = Some(dir.join("leerpad.index").display().to_string());
    config.semantic_matching = false;
    Ok(config)
}

/// A row of the printed table.
pub(super) struct Line(pub String, pub String, pub String);

pub async fn run(args: SearchBenchArgs) -> anyhow::Result<()> {
    let dir = catalogue_dir(args.dir.as_deref(), args.offers);
    let mut table: Vec<Line> = Vec::new();
    let mut figures = Figures::new("search");
    let platform = catalogue_of(&dir, args.offers, &mut table, &mut figures).await?;
    search_phase(args, dir, table, figures, platform).await
}

/// Where a benchmark catalogue of `offers` offers lives unless `--dir` says otherwise; the
/// search, matching and page benchmarks share it.
pub(super) fn catalogue_dir(dir: Option<&Path>, offers: u64) -> PathBuf {
    dir.map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(format!("bench-search-{offers}")))
}

/// A platform on `dir` holding at least `offers` generated offers: reused when there, else
/// generated, imported and indexed (the import time goes into `table` and `figures`).
pub(super) async fn catalogue_of(
    dir: &Path,
    offers: u64,
    table: &mut Vec<Line>,
    figures: &mut Figures,
) -> anyhow::Result<Platform> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let config = config_for(dir)?;
    let platform = Platform::open(
        config.clone(),
        IndexOptions {
            writer_memory: 400 * 1024 * 1024,
        },
    )
    .await?;
    let (_, existing) = platform.services.store.catalogue_state().await?;
    if existing as u64 >= offers {
        eprintln!(
            "reusing {existing} offers in {} (delete the directory for a fresh import)",
            dir.display()
        );
        figures.count("offers", existing as u64);
        table.push(Line("offers".into(), format!("{existing}"), String::new()));
    } else {
        let file = dir.join("offers.jsonl");
        eprintln!("generating {} offers into {}", offers, file.display());
        let data = super::demo::DemoData::load(&platform.services.taxonomy)?;
        let today = platform.services.catalogue.today();
        {
            let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&file)?);
            for o in data.generator(7, today, offers)?.take(offers as usize) {
                serde_json::to_writer(&mut w, &o)?;
                w.write_all(b"\n")?;
            }
            w.flush()?;
        }
        eprintln!("importing (one transaction, index built alongside)");
        let bar = super::progress::bar("importing", offers);
        let bar2 = bar.clone();
        let rows =
            leerpad_formats::offers::read(&file, leerpad_formats::offers::Format::JsonLines, None)
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .map(|r| ImportRow {
                    line: r.line,
                    key: r.key,
                    offer: r.offer,
                });
        let started = Instant::now();
        let outcome = platform
            .services
            .catalogue
            .import_rows(
                Box::new(rows),
                false,
                std::sync::Arc::new(move |n| bar2.set_position(n)),
            )
            .await?;
        let secs = started.elapsed().as_secs_f64();
        bar.finish_and_clear();
        anyhow::ensure!(
            outcome.committed,
            "the generated offers did not import cleanly"
        );
        let rate = offers as f64 / secs;
        figures.count("offers", offers);
        figures.num("import_s", secs, 0);
        figures.num("import_offers_per_s", rate, 0);
        table.push(Line(
            format!(
                "import {} offers (validate, extract skills, SQLite, index)",
                offers
            ),
            format!("{secs:.0} s ({rate:.0} offers/s)"),
            "< 180 s".into(),
        ));
    }
    Ok(platform)
}

async fn search_phase(
    args: SearchBenchArgs,
    dir: PathBuf,
    mut table: Vec<Line>,
    mut figures: Figures,
    platform: Platform,
) -> anyhow::Result<()> {
    let (_, existing) = platform.services.store.catalogue_state().await?;
    let index_bytes = dir_size(&dir.join("leerpad.index"));
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
    let query_strings: Vec<&str> = if args.queries.is_empty() {
        QUERIES.to_vec()
    } else {
        args.queries.iter().map(String::as_str).collect()
    };
    let queries: Vec<OfferQuery> = query_strings
        .iter()
        .map(|q| SearchParams::parse(q, regions).map(|p| p.query))
        .collect::<Result<_, _>>()
        .map_err(|p| anyhow::anyhow!("bad query: {:?}", p.detail))?;
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
    let (p50, p99) = (single.p(0.5), single.p(0.99));
    figures.count("queries", queries.len() as u64);
    figures.count("rounds", args.rounds as u64);
    figures.num("index_p50_ms", p50, 2);
    figures.num("index_p99_ms", p99, 2);
    table.push(Line(
        format!(
            "search + facets, index, 1 thread ({} queries × {})",
            queries.len(),
            args.rounds
        ),
        format!("p50 {p50:.2} ms, p99 {p99:.2} ms"),
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
    let (p50, p99) = (concurrent.p(0.5), concurrent.p(0.99));
    figures.num("concurrent_p50_ms", p50, 2);
    figures.num("concurrent_p99_ms", p99, 2);
    figures.num("concurrent_queries_per_s", qps, 0);
    table.push(Line(
        "search + facets, index, 8 concurrent clients".into(),
        format!("p50 {p50:.2} ms, p99 {p99:.2} ms, {qps:.0} queries/s"),
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
    let (p50, p99) = (full.p(0.5), full.p(0.99));
    figures.num("use_case_p50_ms", p50, 2);
    figures.num("use_case_p99_ms", p99, 2);
    table.push(Line(
        "search use case (index + SQLite page fetch + highlights)".into(),
        format!("p50 {p50:.2} ms, p99 {p99:.2} ms"),
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
    let (p50, p99) = (http_api.p(0.5), http_api.p(0.99));
    figures.num("http_api_p50_ms", p50, 2);
    figures.num("http_api_p99_ms", p99, 2);
    table.push(Line(
        "HTTP GET /api/v1/offers (server, loopback)".into(),
        format!("p50 {p50:.2} ms, p99 {p99:.2} ms"),
        String::new(),
    ));
    let (p50, p99) = (http_page.p(0.5), http_page.p(0.99));
    figures.num("http_page_p50_ms", p50, 2);
    figures.num("http_page_p99_ms", p99, 2);
    table.push(Line(
        "HTTP GET /zoeken page (server, loopback)".into(),
        format!("p50 {p50:.2} ms, p99 {p99:.2} ms"),
        "p99 < 50 ms".into(),
    ));
    server_memory(&mut figures, rss, hwm);
    table.push(Line(
        "server memory after the queries (RSS / peak)".into(),
        memory_mib(rss, hwm),
        "< 1,536 MiB".into(),
    ));

    if !args.skip_postgres {
        match peer(&platform, &args, &queries, today, &totals).await {
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

/// The table, then the figures' JSON line as the last line of output.
pub(super) fn print_titled_table(
    what: &str,
    table: &[Line],
    offers: u64,
    dir: &Path,
    figures: &Figures,
) {
    println!(
        "{what} benchmark ({offers} offers; 2-core machine; {})",
        dir.display()
    );
    println!("| measure | value | target |");
    println!("| --- | --- | --- |");
    for Line(a, b, c) in table {
        println!("| {a} | {b} | {c} |");
    }
    figures.print();
}

/// Load the same offers into PostgreSQL and run the same queries there.
async fn peer(
    platform: &Platform,
    args: &SearchBenchArgs,
    queries: &[OfferQuery],
    today: leerpad_domain::shared::Date,
    our_totals: &[u64],
) -> anyhow::Result<(Vec<Line>, Figures, f64)> {
    let mut lines = Vec::new();
    let mut figures = Figures::new("search");
    let peer = PgFtsPeer::create(&args.postgres_url, "lp_bench_fts").await?;
    let started = Instant::now();
    let (_, count) = platform.services.store.catalogue_state().await?;
    let bar = super::progress::bar("loading PostgreSQL", count as u64);
    let mut after = 0;
    let mut providers = std::collections::HashMap::new();
    loop {
        let page = platform
            .services
            .store
            .offers_changed_after(after, 5_000)
            .await?;
        let Some((_, last)) = page.last() else { break };
        after = *last;
        let missing: Vec<i64> = page
            .iter()
            .map(|(o, _)| o.provider_id)
            .filter(|p| !providers.contains_key(p))
            .collect();
        for p in platform.services.store.providers_by_ids(&missing).await? {
            providers.insert(p.id, p.name);
        }
        let docs: Vec<_> = page
            .iter()
            .map(|(o, _)| {
                platform.services.catalogue.indexed(
                    o.id,
                    o.provider_id,
                    &o.content,
                    providers.get(&o.provider_id).cloned().unwrap_or_default(),
                    o.updated_at,
                    today,
                )
            })
            .collect();
        peer.load(&docs).await?;
        bar.inc(docs.len() as u64);
    }
    bar.finish_and_clear();
    peer.finish_load().await?;
    let (load_s, size_mib) = (
        started.elapsed().as_secs_f64(),
        mib(peer.size_bytes().await? as u64),
    );
    figures.num("pg_load_s", load_s, 0);
    figures.num("pg_mib", size_mib, 0);
    lines.push(Line(
        "PostgreSQL FTS: load (COPY) + GIN index".into(),
        format!("{load_s:.0} s, {size_mib:.0} MiB"),
        String::new(),
    ));
    let rounds = args.rounds.clamp(1, 3);
    let mut lat = Latencies(Vec::new());
    let mut differ = 0;
    let (mut shown, mut facet_values) = (0usize, 0usize);
    for round in 0..=rounds {
        for (i, q) in queries.iter().enumerate() {
            let t = Instant::now();
            let r = peer.search(q, today).await?;
            if round > 0 {
                lat.0.push(t.elapsed());
            } else {
                shown += r.ids.len();
                facet_values += r.facet_values;
                if our_totals.get(i).is_some_and(|n| *n != r.total as u64) {
                    differ += 1;
                }
            }
        }
    }
    let (p50, p99) = (lat.p(0.5), lat.p(0.99));
    figures.num("pg_p50_ms", p50, 2);
    figures.num("pg_p99_ms", p99, 2);
    lines.push(Line(
        "PostgreSQL FTS: search + facets, 1 thread (same queries)".into(),
        format!("p50 {p50:.2} ms, p99 {p99:.2} ms"),
        String::new(),
    ));
    let per_query = |n: usize| n as f64 / queries.len().max(1) as f64;
    let (shown, facet_values) = (per_query(shown), per_query(facet_values));
    figures.num("pg_results_per_query", shown, 1);
    figures.num("pg_facet_values_per_query", facet_values, 1);
    lines.push(Line(
        "PostgreSQL FTS: results shown, facet values counted (per query)".into(),
        format!("{shown:.1}, {facet_values:.1}"),
        String::new(),
    ));
    figures.count("totals_differ", differ as u64);
    lines.push(Line(
        "queries whose totals differ (typos, stemming, synonyms, skill labels)".into(),
        format!("{differ} of {}", queries.len()),
        String::new(),
    ));
    peer.drop_all().await?;
    Ok((lines, figures, p99))
}

/// `server_rss_mib` and `server_peak_mib` from [`ServerProcess::memory_kib`], as
/// [`memory_mib`] shows them.
pub(super) fn server_memory(figures: &mut Figures, rss_kib: u64, peak_kib: u64) {
    figures.num("server_rss_mib", rss_kib as f64 / 1024.0, 0);
    figures.num("server_peak_mib", peak_kib as f64 / 1024.0, 0);
}

/// "RSS MiB / peak MiB" from [`ServerProcess::memory_kib`].
pub(super) fn memory_mib(rss_kib: u64, peak_kib: u64) -> String {
    format!(
        "{:.0} MiB / {:.0} MiB",
        rss_kib as f64 / 1024.0,
        peak_kib as f64 / 1024.0
    )
}

/// `leerpad serve` on the benchmark's data, as a child process.
pub(super) struct ServerProcess {
    child: std::process::Child,
    addr: String,
}

impl ServerProcess {
    pub(super) fn start(dir: &Path) -> anyhow::Result<ServerProcess> {
        let exe = std::env::current_exe()?;
        let mut child = std::process::Command::new(exe)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env(
                "LEERPAD_DATABASE_URL",
                format!("sqlite://{}", dir.join("leerpad.db").display()),
            )
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

    fn timed_get(&self, path: &str) -> anyhow::Result<Duration> {
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
    pub(super) fn timed_get_as(
        &self,
        path: &str,
        cookie: Option<&str>,
    ) -> anyhow::Result<(Duration, usize)> {
        let cookie = cookie
            .map(|c| format!("Cookie: {c}\r\n"))
            .unwrap_or_default();
        let (took, out) = self.request(&format!("GET {path} HTTP/1.1\r\n{cookie}"), "")?;
        Ok((took, out.len()))
    }

    /// GET a JSON document.
    pub(super) fn get_json(&self, path: &str) -> anyhow::Result<serde_json::Value> {
        let (_, out) = self.request(&format!("GET {path} HTTP/1.1\r\n"), "")?;
        let text = String::from_utf8_lossy(&out);
        let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        serde_json::from_str(body).with_context(|| format!("GET {path}: not JSON"))
    }

    /// Log in through the API; the session cookie (`name=value`).
    pub(super) fn login(&self, email: &str, password: &str) -> anyhow::Result<String> {
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

    /// Resident and peak memory, in KiB.
    pub(super) fn memory_kib(&self) -> (u64, u64) {
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
