//! `leerpad bench …`: speed figures for the targets in the issues, printed as a table and then
//! as one line of JSON ([`Figures`]). Benchmarks measure; tests stay deterministic and never
//! time anything.

use super::semantic::Use;
use super::taxonomy::load;
use leerpad_app::taxonomy::TaxonomyService;
use leerpad_domain::taxonomy::Taxonomy;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Debug, clap::Subcommand)]
pub enum BenchCommand {
    /// Taxonomy: load time, lookup latency, skill extraction and title matching throughput.
    Taxonomy {
        /// Annotated sentences to extract from (CSV with a `sentence` column).
        #[arg(
            long,
            default_value = "../shared/data/skill-extraction/house_validation_annotations.csv"
        )]
        sentences: PathBuf,
        /// Job titles to match (CSV with a `vacancyTitle` column).
        #[arg(
            long,
            default_value = "../shared/data/occupation-titles/titles_dev.csv"
        )]
        titles: PathBuf,
        /// How many titles to match.
        #[arg(long, default_value_t = 2000)]
        title_count: usize,
        /// Also measure with the embedding model (when installed).
        #[arg(long)]
        semantic: bool,
    },
    /// Catalogue search at scale: import and index N offers, query latency (one thread and 8
    /// clients, index, use case and HTTP), server memory, and PostgreSQL full-text search on the
    /// same data and queries.
    Search(super::bench_search::SearchBenchArgs),
    /// Matching at scale: occupation ranking for learner profiles and gap + training plan over
    /// N generated offers (shares the catalogue directory with `bench search`).
    Matching(super::bench_matching::MatchingBenchArgs),
    /// Every learner page's server time over N generated offers, anonymous and signed in
    /// (shares the catalogue directory with `bench search`).
    Pages(super::bench_pages::PagesBenchArgs),
    /// A registration window stormed: N signed-in people register for one advice programme
    /// through a running server at a steady rate, then the draw gives the places.
    Surge(super::bench_surge::SurgeBenchArgs),
    /// Chat at scale: N clients over WebSockets on one or more servers, messages at a steady
    /// rate, delivery latency, lost and duplicated messages, memory per connection.
    Chat(super::bench_chat::ChatBenchArgs),
    /// The ledger: transfers per second and latency through the use case, one client and
    /// eight at once, on SQLite and (with `--database-url`) PostgreSQL.
    Ledger(super::bench_ledger::LedgerBenchArgs),
    /// Financing check: all example schemes for one person × one offer, and net prices for
    /// one person over N generated offers.
    Financing {
        /// How many generated offers.
        #[arg(long, default_value_t = 10_000)]
        offers: u64,
        /// Times the net prices of all offers are computed.
        #[arg(long, default_value_t = 50)]
        rounds: usize,
    },
}

/// A benchmark's figures, printed after its table as its last line of output: one JSON object
/// with `"bench": name` first, then each figure in the order the table shows it. Keys are named
/// after what they measure and end in their unit (`_ms`, `_us`, `_s`, `_mib`, `_kib`, `_per_s`,
/// `_pct`); counts have no suffix. Filled next to each table row from the same numbers.
pub(super) struct Figures(Vec<(String, serde_json::Value)>);

impl Figures {
    pub(super) fn new(bench: &str) -> Figures {
        Figures(vec![("bench".into(), bench.into())])
    }

    fn set(&mut self, key: String, value: serde_json::Value) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key, value)),
        }
    }

    /// A measured number, rounded to the `decimals` the table shows (a whole number when 0).
    pub(super) fn num(&mut self, key: impl Into<String>, value: f64, decimals: u8) {
        let value = if !value.is_finite() {
            serde_json::Value::Null
        } else if decimals == 0 {
            (value.round() as i64).into()
        } else {
            let scale = 10f64.powi(i32::from(decimals));
            serde_json::Number::from_f64((value * scale).round() / scale)
                .map_or(serde_json::Value::Null, serde_json::Value::Number)
        };
        self.set(key.into(), value);
    }

    /// A count.
    pub(super) fn count(&mut self, key: impl Into<String>, value: u64) {
        self.set(key.into(), value.into());
    }

    /// A label the numbers depend on (such as the model's precision).
    pub(super) fn text(&mut self, key: impl Into<String>, value: &str) {
        self.set(key.into(), value.into());
    }

    /// A group of figures under one key (an object).
    pub(super) fn group(&mut self, key: impl Into<String>, value: serde_json::Value) {
        self.set(key.into(), value);
    }

    /// Another part's figures, without its `bench`.
    pub(super) fn extend(&mut self, other: Figures) {
        for (k, v) in other.0.into_iter().skip(1) {
            self.set(k, v);
        }
    }

    /// The JSON line, keys in the order they were added.
    pub(super) fn line(&self) -> String {
        let fields: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| format!("{}:{v}", serde_json::Value::from(k.as_str())))
            .collect();
        format!("{{{}}}", fields.join(","))
    }

    /// Print the JSON line on stdout (after the table).
    pub(super) fn print(&self) {
        println!("{}", self.line());
    }
}

pub(super) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub(super) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The median and the 99th percentile of `times` in milliseconds, recorded in `figures` as
/// `<name>_p50_ms` and `<name>_p99_ms`; returns them as the tables show them, and the 99th
/// percentile.
pub(super) fn record_latency(
    figures: &mut Figures,
    name: &str,
    times: &mut [Duration],
) -> (String, f64) {
    times.sort();
    let (p50, p99) = (ms(percentile(times, 0.5)), ms(percentile(times, 0.99)));
    figures.num(format!("{name}_p50_ms"), p50, 2);
    figures.num(format!("{name}_p99_ms"), p99, 2);
    (format!("p50 {p50:.2} ms, p99 {p99:.2} ms"), p99)
}

/// A throughput row of the taxonomy table: how many `items` went through `what` (a count
/// figure named after them) and how many per second (the figure `key`).
fn throughput_row(
    figures: &mut Figures,
    what: &str,
    items: &str,
    n: usize,
    key: &str,
    per_s: f64,
    target: &str,
) {
    figures.count(items, n as u64);
    figures.num(key, per_s, 0);
    println!("| {what} ({n} {items}) | {per_s:.0} {items}/s | {target} |");
}

/// Queries a person would type: prefixes, whole words and misspellings of real labels, drawn
/// deterministically from the taxonomy (every 37th skill and every 7th occupation).
fn lookup_queries(t: &Taxonomy) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut push = |is_skill: bool, label: &str| {
        let words: Vec<&str> = label.split_whitespace().collect();
        let Some(first) = words.first() else { return };
        out.push((is_skill, first.chars().take(4).collect()));
        out.push((is_skill, label.to_owned()));
        if let Some(second) = words.get(1) {
            out.push((
                is_skill,
                format!("{first} {}", second.chars().take(3).collect::<String>()),
            ));
        }
        let mut typo: Vec<char> = first.chars().collect();
        if typo.len() > 4 {
            typo.swap(2, 3);
            out.push((is_skill, typo.into_iter().collect()));
        }
    };
    for s in t.skills().iter().step_by(37) {
        if let Some(l) = s.texts.iter().find(|x| !x.preferred.is_empty()) {
            push(true, &l.preferred);
        }
    }
    for o in t.occupations().iter().step_by(7) {
        for l in o.texts.iter().filter(|x| !x.preferred.is_empty()) {
            push(false, &l.preferred);
        }
    }
    out
}

fn column_values(path: &PathBuf, column: &str, limit: usize) -> anyhow::Result<Vec<String>> {
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let idx = reader
        .headers()?
        .iter()
        .position(|h| h == column)
        .ok_or_else(|| anyhow::anyhow!("{}: no column '{column}'", path.display()))?;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for r in reader.records() {
        let v = r?.get(idx).unwrap_or("").to_owned();
        if seen.insert(v.clone()) {
            out.push(v);
        }
        if out.len() >= limit {
            break;
        }
    }
    Ok(out)
}

/// Items per second when all of `items` go through `f` at once (the batch entry points).
fn batch_throughput(items: &[String], f: impl Fn(&[&str])) -> f64 {
    let refs: Vec<&str> = items.iter().map(String::as_str).collect();
    let started = Instant::now();
    f(&refs);
    items.len() as f64 / started.elapsed().as_secs_f64().max(1e-9)
}

fn throughput(items: &[String], f: impl Fn(&str)) -> f64 {
    let started = Instant::now();
    for i in items {
        f(i);
    }
    items.len() as f64 / started.elapsed().as_secs_f64().max(1e-9)
}

pub async fn run(cmd: BenchCommand) -> anyhow::Result<()> {
    match cmd {
        BenchCommand::Taxonomy {
            sentences,
            titles,
            title_count,
            semantic,
        } => taxonomy(sentences, titles, title_count, semantic),
        BenchCommand::Search(args) => super::bench_search::run(args).await,
        BenchCommand::Matching(args) => super::bench_matching::run(args).await,
        BenchCommand::Pages(args) => super::bench_pages::run(args).await,
        BenchCommand::Surge(args) => super::bench_surge::run(args).await,
        BenchCommand::Chat(args) => super::bench_chat::run(args).await,
        BenchCommand::Ledger(args) => super::bench_ledger::run(args).await,
        BenchCommand::Financing { offers, rounds } => super::bench_financing::run(offers, rounds),
    }
}

fn taxonomy(
    sentences: PathBuf,
    titles: PathBuf,
    title_count: usize,
    semantic: bool,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let data = leerpad_esco::bundled()?;
    let unpacked = started.elapsed();
    let t = Instant::now();
    let core = Taxonomy::new(data.clone());
    let core_ms = ms(t.elapsed());
    let t = Instant::now();
    std::hint::black_box(leerpad_domain::taxonomy::extract::SkillExtractor::new(
        &core,
    ));
    let extractor_ms = ms(t.elapsed());
    let t = Instant::now();
    std::hint::black_box(leerpad_domain::taxonomy::titles::TitleMatcher::new(&core));
    let matcher_ms = ms(t.elapsed());
    let started = Instant::now();
    let service = TaxonomyService::new(data, &leerpad_esco::bundled_job_offers());
    let ready = started.elapsed() + unpacked;
    let tax = &service.taxonomy;

    let queries = lookup_queries(tax);
    let mut times = Vec::with_capacity(queries.len());
    for (is_skill, q) in &queries {
        let t = Instant::now();
        let n = if *is_skill {
            tax.lookup_skills(q, "nl", 10).len()
        } else {
            tax.lookup_occupations(q, "nl", 10).len()
        };
        times.push(t.elapsed());
        std::hint::black_box(n);
    }
    times.sort();

    let sentences = column_values(&sentences, "sentence", usize::MAX)?;
    let titles = column_values(&titles, "vacancyTitle", title_count)?;
    let lexical_sentences = throughput(&sentences, |s| {
        std::hint::black_box(service.extract_skills(s, "en", 10));
    });
    let lexical_titles = throughput(&titles, |t| {
        std::hint::black_box(service.match_title(t, "en", 10));
    });

    let mut figures = Figures::new("taxonomy");
    figures.count("skills", tax.skills().len() as u64);
    figures.count("occupations", tax.occupations().len() as u64);
    println!(
        "taxonomy benchmark (one thread unless stated; threads of candle's f32 products: RAYON_NUM_THREADS={}; {} skills, {} occupations)",
        std::env::var("RAYON_NUM_THREADS").unwrap_or_else(|_| "all cores".into()),
        tax.skills().len(),
        tax.occupations().len()
    );
    println!("| measure | value | target |");
    println!("| --- | --- | --- |");
    let (unpacked_ms, ready_ms) = (ms(unpacked), ms(ready));
    figures.num("unpacked_ms", unpacked_ms, 0);
    println!("| taxonomy unpacked | {unpacked_ms:.0} ms | |");
    figures.num("ready_ms", ready_ms, 0);
    println!("| taxonomy ready in memory (indexes built) | {ready_ms:.0} ms | < 1000 ms |");
    figures.num("concepts_index_ms", core_ms, 0);
    figures.num("extraction_index_ms", extractor_ms, 0);
    figures.num("title_index_ms", matcher_ms, 0);
    println!(
        "| of which, each alone: concepts + lookup index / extraction index / title index | {core_ms:.0} / {extractor_ms:.0} / {matcher_ms:.0} ms | |"
    );
    let (p50, p99, max) = (
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(percentile(&times, 1.0)),
    );
    figures.count("lookup_queries", times.len() as u64);
    figures.num("lookup_p50_ms", p50, 3);
    figures.num("lookup_p99_ms", p99, 3);
    figures.num("lookup_max_ms", max, 3);
    println!(
        "| lookup latency p50 / p99 / max ({} queries) | {p50:.3} / {p99:.3} / {max:.3} ms | p99 < 2 ms |",
        times.len(),
    );
    throughput_row(
        &mut figures,
        "skill extraction, lexical",
        "sentences",
        sentences.len(),
        "extract_lexical_per_s",
        lexical_sentences,
        "≥ 100",
    );
    throughput_row(
        &mut figures,
        "title matching, lexical",
        "titles",
        titles.len(),
        "title_match_lexical_per_s",
        lexical_titles,
        "≥ 500",
    );

    if semantic {
        let mut service = load(Use::ALL)?;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        service.set_bulk_threads(1);
        // Three rounds over the inputs, so a figure rests on more than a second of work.
        let rounds = |items: &[String]| -> Vec<String> {
            (0..3).flat_map(|_| items.iter().cloned()).collect()
        };
        let (sentences, titles) = (rounds(&sentences), rounds(&titles));
        let s = throughput(&sentences, |x| {
            std::hint::black_box(service.extract_skills(x, "en", 10));
        });
        let t = throughput(&titles, |x| {
            std::hint::black_box(service.match_title(x, "en", 10));
        });
        let sb = batch_throughput(&sentences, |xs| {
            std::hint::black_box(service.extract_skills_many(xs, "en", 10));
        });
        let tb = batch_throughput(&titles, |xs| {
            std::hint::black_box(service.match_titles(xs, "en", 10));
        });
        service.set_bulk_threads(cores);
        let sc = batch_throughput(&sentences, |xs| {
            std::hint::black_box(service.extract_skills_many(xs, "en", 10));
        });
        let tc = batch_throughput(&titles, |xs| {
            std::hint::black_box(service.match_titles(xs, "en", 10));
        });
        let precision = service.model_precision().unwrap_or("no");
        figures.text("model_precision", precision);
        figures.count("cores", cores as u64);
        figures.num("extract_semantic_api_per_s", s, 0);
        figures.num("title_match_semantic_api_per_s", t, 0);
        figures.num("extract_semantic_batch_1_core_per_s", sb, 0);
        figures.num("title_match_semantic_batch_1_core_per_s", tb, 0);
        figures.num("extract_semantic_batch_all_cores_per_s", sc, 0);
        figures.num("title_match_semantic_batch_all_cores_per_s", tc, 0);
        println!(
            "| skill extraction, lexical+semantic ({precision} model), one sentence at a time (API) | {s:.0} sentences/s | |"
        );
        println!(
            "| title matching, lexical+semantic ({precision} model), one title at a time (API) | {t:.0} titles/s | |"
        );
        println!(
            "| skill extraction, lexical+semantic ({precision} model), batched, one core | {sb:.0} sentences/s | ≥ 100 |"
        );
        println!(
            "| title matching, lexical+semantic ({precision} model), batched, one core | {tb:.0} titles/s | ≥ 500 |"
        );
        println!(
            "| skill extraction, lexical+semantic ({precision} model), batched, {cores} cores (CLI, evaluation) | {sc:.0} sentences/s | |"
        );
        println!(
            "| title matching, lexical+semantic ({precision} model), batched, {cores} cores (CLI, evaluation) | {tc:.0} titles/s | |"
        );
    }
    figures.print();
    Ok(())
}

/// A benchmark's person: an account with `roles` straight into the store and an API token for
/// it (no password hashing: nobody signs in with a password). Returns the id and the token.
pub(super) async fn person_with_token(
    store: &dyn leerpad_domain::ports::Store,
    tag: &str,
    i: u64,
    roles: &leerpad_domain::role::RoleSet,
    now: leerpad_domain::UnixTime,
) -> anyhow::Result<(leerpad_domain::shared::UserId, String)> {
    let user = store
        .create_user(
            leerpad_domain::accounts::ports::NewUser {
                email: format!("{tag}{i}@example.nl"),
                display_name: format!("Deelnemer {i}"),
                password_hash: "$argon2id$bench".into(),
                locale: "nl".into(),
                created_at: now,
            },
            roles,
        )
        .await?;
    let secret = format!("lp_{tag}{i:09}x{}", leerpad_app::secret::random_token()?);
    store
        .create_api_token(leerpad_domain::accounts::ports::NewApiToken {
            user_id: user.id,
            name: "bench".into(),
            prefix: secret.chars().take(7).collect(),
            token_hash: leerpad_app::secret::token_hash(&secret),
            created_at: now,
            expires_at: None,
        })
        .await?;
    Ok((user.id, secret))
}

#[cfg(test)]
mod tests {
    use super::Figures;

    #[test]
    fn figures_are_one_json_object_in_table_order() {
        let mut f = Figures::new("search");
        f.num("import_offers_per_s", 6695.6, 0);
        f.num("index_p99_ms", 16.98765, 2);
        f.count("queries", 46);
        f.num("pg_speedup_p99", f64::INFINITY, 0);
        let mut more = Figures::new("search");
        more.num("index_p99_ms", 17.0, 2);
        f.extend(more);
        let line = f.line();
        assert_eq!(
            line,
            r#"{"bench":"search","import_offers_per_s":6696,"index_p99_ms":17.0,"queries":46,"pg_speedup_p99":null}"#
        );
        let parsed: serde_json::Value = serde_json::from_str(&line).expect("JSON");
        assert_eq!(parsed["queries"], 46);
    }
}
