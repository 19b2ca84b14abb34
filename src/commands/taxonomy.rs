//! `leerpad skills extract`, `leerpad occupations match` and `leerpad eval …`: the taxonomy from
//! the command line, one JSON object per input line.

use super::semantic::Use;
use anyhow::Context;
use leerpad_app::taxonomy::{TaxonomyService, parse_language};
use leerpad_domain::metrics::{hit_at, mean, r_precision_at, reciprocal_rank};
use leerpad_domain::taxonomy::{Taxonomy, label_in};
use serde::Serialize;
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

/// Load the bundled taxonomy and its matchers, with the embedding model when installed
/// (`--lexical` leaves it out); bulk work uses every core.
pub fn load(semantic: Use) -> anyhow::Result<TaxonomyService> {
    let data = leerpad_esco::bundled().context("loading the bundled ESCO taxonomy")?;
    let mut service = TaxonomyService::new(data, &leerpad_esco::bundled_job_offers());
    service.set_bulk_threads(std::thread::available_parallelism().map_or(1, |n| n.get()));
    if (semantic.skills || semantic.occupations)
        && let Some(models) = super::semantic::load(&service.taxonomy, semantic, true)
    {
        service.set_semantic(models);
    }
    Ok(service)
}

#[derive(Debug, clap::Args)]
pub struct LineArgs {
    /// Language of the input: nl or en.
    #[arg(long, default_value = "nl")]
    pub lang: String,
    /// How many results per line.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Match on words only, even when the embedding model is installed.
    #[arg(long)]
    pub lexical: bool,
}

/// A concept in an answer: from the taxonomy (`'a`), with evidence from the input (`'e`).
#[derive(Serialize)]
struct Ranked<'a, 'e> {
    uri: &'a str,
    label: &'a str,
    score: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<&'e str>,
}

/// Lines handed to the matchers at once: the model answers a batch in one pass.
const LINE_BATCH: usize = 64;

/// Read stdin line by line and answer each line with one output line, in order, giving `f`
/// up to [`LINE_BATCH`] lines at a time. A line that is not UTF-8 is an error naming its
/// number, after the lines before it have been answered.
fn for_each_line(mut f: impl FnMut(&[&str]) -> anyhow::Result<Vec<String>>) -> anyhow::Result<()> {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut reader = stdin.lock();
    let mut line_no = 0u64;
    let mut batch: Vec<String> = Vec::with_capacity(LINE_BATCH);
    let mut flush = |batch: &mut Vec<String>, out: &mut dyn Write| -> anyhow::Result<()> {
        let lines: Vec<&str> = batch.iter().map(String::as_str).collect();
        for answer in f(&lines)? {
            writeln!(out, "{answer}")?;
        }
        batch.clear();
        Ok(())
    };
    loop {
        let mut buf = Vec::new();
        let n = reader
            .read_until(b'\n', &mut buf)
            .context("reading standard input")?;
        if n == 0 {
            break;
        }
        line_no += 1;
        match String::from_utf8(buf) {
            Ok(line) => batch.push(line.trim_end_matches(['\r', '\n']).to_owned()),
            Err(e) => {
                flush(&mut batch, &mut out)?;
                out.flush()?;
                anyhow::bail!(
                    "standard input, line {line_no}: not valid UTF-8 ({})",
                    e.utf8_error()
                );
            }
        }
        if batch.len() == LINE_BATCH {
            flush(&mut batch, &mut out)?;
        }
    }
    flush(&mut batch, &mut out)?;
    out.flush()?;
    Ok(())
}

pub fn extract(args: LineArgs) -> anyhow::Result<()> {
    let lang = parse_language(&args.lang)?;
    let service = load(Use::skills_unless(args.lexical))?;
    let tax = &service.taxonomy;
    rank_lines(
        "skills",
        |texts| service.extract_skills_many(texts, lang, args.top),
        |e| {
            let s = tax.skill(e.skill)?;
            Some(Ranked {
                uri: &s.uri,
                label: label_in(&s.texts, lang).text,
                score: round(e.score),
                evidence: Some(&e.sentence),
            })
        },
    )
}

pub fn match_titles(args: LineArgs) -> anyhow::Result<()> {
    let lang = parse_language(&args.lang)?;
    let service = load(Use::occupations_unless(args.lexical))?;
    let tax = &service.taxonomy;
    rank_lines(
        "occupations",
        |titles| service.match_titles(titles, lang, args.top),
        |m| {
            let o = tax.occupation(m.occupation)?;
            Some(Ranked {
                uri: &o.uri,
                label: label_in(&o.texts, lang).text,
                score: round(m.score),
                evidence: None,
            })
        },
    )
}

/// Answer every line of stdin with a JSON object holding, under `key`, the concepts `rank`
/// finds for it (`rank` gets a batch of lines); `concept` describes one result, or leaves it
/// out.
fn rank_lines<'a, T>(
    key: &str,
    mut rank: impl FnMut(&[&str]) -> Vec<Vec<T>>,
    concept: impl for<'t> Fn(&'t T) -> Option<Ranked<'a, 't>>,
) -> anyhow::Result<()> {
    for_each_line(|lines| {
        rank(lines)
            .iter()
            .map(|found| {
                let ranked: Vec<Ranked<'a, '_>> = found.iter().filter_map(&concept).collect();
                let mut object = serde_json::Map::new();
                object.insert(key.to_owned(), serde_json::to_value(ranked)?);
                Ok(serde_json::Value::Object(object).to_string())
            })
            .collect()
    })
}

fn round(x: f32) -> f32 {
    (x * 10_000.0).round() / 10_000.0
}

#[derive(Debug, clap::Subcommand)]
pub enum EvalCommand {
    /// R-Precision@5, R-Precision@10 and MRR of skill extraction on an annotated file
    /// (columns sentence, span, sub_span, label; labels are ESCO preferred labels).
    SkillExtraction {
        annotations: PathBuf,
        /// Language of the sentences.
        #[arg(long, default_value = "en")]
        lang: String,
        /// Words only, even when the embedding model is installed.
        #[arg(long)]
        lexical: bool,
    },
    /// Recall@1, Recall@5 and MRR of job-title matching (columns vacancyTitle, conceptUri).
    OccupationTitles {
        titles: PathBuf,
        #[arg(long, default_value = "en")]
        lang: String,
        /// Evaluate a random sample of this many titles (0 = all).
        #[arg(long, default_value_t = 0)]
        sample: usize,
        /// Seed of the sample.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Words only, even when the embedding model is installed.
        #[arg(long)]
        lexical: bool,
    },
    /// Recall@1, Recall@10 and MRR of occupation matching: each occupation's essential skills
    /// with 30% hidden and a few unrelated skills added must find the occupation again.
    Matching(super::eval_matching::MatchingEvalArgs),
    /// nDCG@10 and P@1 of catalogue search per kind of query (occupation names, synonyms,
    /// compound parts, skills, free text) on a generated catalogue, against PostgreSQL
    /// full-text search on the same offers.
    Search(super::eval_search::SearchEvalArgs),
}

pub async fn eval(cmd: EvalCommand) -> anyhow::Result<()> {
    let line = match cmd {
        EvalCommand::SkillExtraction {
            annotations,
            lang,
            lexical,
        } => {
            let service = load(Use::skills_unless(lexical))?;
            eval_skills(&service, &annotations, parse_language(&lang)?)?
        }
        EvalCommand::OccupationTitles {
            titles,
            lang,
            sample,
            seed,
            lexical,
        } => {
            let service = load(Use::occupations_unless(lexical))?;
            eval_titles(&service, &titles, parse_language(&lang)?, sample, seed)?
        }
        EvalCommand::Matching(args) => super::eval_matching::run(args)?,
        EvalCommand::Search(args) => return super::eval_search::run(args).await,
    };
    println!("{line}");
    Ok(())
}

/// The `columns` of every record of the CSV file at `path`, in that order; a missing column
/// or an unreadable record is an error naming the file.
fn read_columns<const N: usize>(
    path: &Path,
    columns: [&str; N],
) -> anyhow::Result<Vec<[String; N]>> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut reader = csv::Reader::from_reader(file);
    let headers: HashMap<String, usize> = reader
        .headers()
        .with_context(|| format!("{}: reading the header", path.display()))?
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_owned(), i))
        .collect();
    let mut at = [0; N];
    for (at, name) in at.iter_mut().zip(columns) {
        *at = headers
            .get(name)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("{}: missing column '{name}'", path.display()))?;
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.with_context(|| format!("{}: record {}", path.display(), i + 1))?;
        rows.push(at.map(|c| record.get(c).unwrap_or("").to_owned()));
    }
    Ok(rows)
}

/// English preferred labels (case-insensitive) to skill ids.
fn label_map(tax: &Taxonomy) -> HashMap<String, u32> {
    let mut map = HashMap::new();
    for (i, s) in tax.skills().iter().enumerate() {
        for t in s
            .texts
            .iter()
            .filter(|t| t.lang == "en" && !t.preferred.is_empty())
        {
            map.entry(t.preferred.to_lowercase()).or_insert(i as u32);
        }
    }
    map
}

fn eval_skills(service: &TaxonomyService, path: &Path, lang: &str) -> anyhow::Result<String> {
    let annotations = read_columns(path, ["sentence", "label"])?;
    let labels = label_map(&service.taxonomy);
    let mut order: Vec<String> = Vec::new();
    let mut gold: HashMap<String, Vec<u32>> = HashMap::new();
    let mut unmapped = 0usize;
    for [sentence, label] in annotations {
        let label = label.trim();
        if !gold.contains_key(&sentence) {
            order.push(sentence.clone());
            gold.insert(sentence.clone(), Vec::new());
        }
        if label.is_empty() || label == "LABEL NOT PRESENT" || label == "UNDERSPECIFIED" {
            continue;
        }
        match labels.get(&label.to_lowercase()) {
            Some(&id) => {
                let g = gold.entry(sentence).or_default();
                if !g.contains(&id) {
                    g.push(id);
                }
            }
            None => unmapped += 1,
        }
    }
    let started = std::time::Instant::now();
    let (mut rp5, mut rp10, mut rr) = (Vec::new(), Vec::new(), Vec::new());
    let judged: Vec<(&str, &Vec<u32>)> = order
        .iter()
        .filter_map(|s| Some((s.as_str(), gold.get(s).filter(|g| !g.is_empty())?)))
        .collect();
    let texts: Vec<&str> = judged.iter().map(|(s, _)| *s).collect();
    let found = service.extract_skills_many(&texts, lang, 10);
    for (&(_, g), found) in judged.iter().zip(found) {
        let ranked: Vec<u32> = found.iter().map(|e| e.skill).collect();
        rp5.push(r_precision_at(&ranked, g, 5));
        rp10.push(r_precision_at(&ranked, g, 10));
        rr.push(reciprocal_rank(&ranked, g));
    }
    let secs = started.elapsed().as_secs_f64();
    Ok(serde_json::json!({
        "file": path.display().to_string(),
        "method": service.extraction_method(),
        "model_precision": service.model_precision(),
        "sentences": rp5.len(),
        "rp@5": round4(mean(&rp5)),
        "rp@10": round4(mean(&rp10)),
        "mrr": round4(mean(&rr)),
        "unmapped_gold_labels": unmapped,
        "sentences_per_second": round4(rp5.len() as f64 / secs.max(1e-9)),
    })
    .to_string())
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// A small deterministic generator (SplitMix64) for sampling, so results repeat across runs.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn eval_titles(
    service: &TaxonomyService,
    path: &Path,
    lang: &str,
    sample: usize,
    seed: u64,
) -> anyhow::Result<String> {
    let mut rows = read_columns(path, ["vacancyTitle", "conceptUri"])?;
    if sample > 0 && sample < rows.len() {
        // Partial Fisher–Yates: the first `sample` rows become a uniform random sample.
        let mut rng = SplitMix(seed);
        for i in 0..sample {
            let j = i + (rng.next() % (rows.len() - i) as u64) as usize;
            rows.swap(i, j);
        }
        rows.truncate(sample);
    }
    let tax = &service.taxonomy;
    let started = std::time::Instant::now();
    let (mut r1, mut r5, mut rr) = (Vec::new(), Vec::new(), Vec::new());
    let known: Vec<(&str, u32)> = rows
        .iter()
        .filter_map(|[title, uri]| Some((title.as_str(), tax.occupation_id(uri)?)))
        .collect();
    let unknown = rows.len() - known.len();
    let titles: Vec<&str> = known.iter().map(|(t, _)| *t).collect();
    let found = service.match_titles(&titles, lang, 10);
    for (&(_, gold), found) in known.iter().zip(found) {
        let ranked: Vec<u32> = found.iter().map(|m| m.occupation).collect();
        let g = [gold];
        r1.push(hit_at(&ranked, &g, 1));
        r5.push(hit_at(&ranked, &g, 5));
        rr.push(reciprocal_rank(&ranked, &g));
    }
    let secs = started.elapsed().as_secs_f64();
    Ok(serde_json::json!({
        "file": path.display().to_string(),
        "method": service.title_method(),
        "model_precision": service.model_precision(),
        "titles": r1.len(),
        "recall@1": round4(mean(&r1)),
        "recall@5": round4(mean(&r5)),
        "mrr": round4(mean(&rr)),
        "unknown_gold_uris": unknown,
        "titles_per_second": round4(r1.len() as f64 / secs.max(1e-9)),
    })
    .to_string())
}
