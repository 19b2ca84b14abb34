//! `leerpad eval search`: how relevant search results are, per kind of query, against
//! PostgreSQL full-text search on the same catalogue.
//!
//! The catalogue is generated (`leerpad-demo`, the demo catalogue's generator) into a fresh
//! directory, and the generator says what every offer was made to be about: its occupation and
//! the skills it teaches. The judged queries (`data/eval/search-queries.tsv`, how they were made
//! in `data/eval/search-queries.md`) name what is relevant to them: occupations, a part of Dutch
//! compounds, or a skill. Each offer gets a grade from that and the generator's truth (never
//! from its text, which search reads), and each result list is scored with nDCG@10 and P@1.
//!
//! This file holds the command; the judgments have a module of their own.

mod judge;

use super::bench::Figures;
use super::bench_search::{Line, PgFtsPeer, config_for, import_file};
use super::platform::{IndexOptions, Platform};
use anyhow::Context;
use judge::{Assessed, Judged, Kind, Truth, ndcg_at_10};
use leerpad_domain::catalogue::search::OfferQuery;
use leerpad_domain::shared::OfferId;
use leerpad_domain::taxonomy::{OccupationId, label_in};
use std::collections::BTreeSet;
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct SearchEvalArgs {
    /// How many offers to generate.
    #[arg(long, default_value_t = 10_000)]
    pub offers: u64,
    /// Seed of the generated catalogue (the demo uses 7).
    #[arg(long, default_value_t = 11)]
    pub seed: u64,
    /// The judged queries.
    #[arg(long, default_value = "data/eval/search-queries.tsv")]
    pub queries: PathBuf,
    /// An assessor's grades of occupations for queries, made from pooled results (`--pool`).
    #[arg(long, default_value = "data/eval/search-judgments.tsv")]
    pub judgments: PathBuf,
    /// Write the occupations in the first ten results of either engine for free-text queries
    /// that the assessor has not graded yet, for the assessor (which engine found them is not
    /// said).
    #[arg(long)]
    pub pool: Option<PathBuf>,
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
    /// Print every tuning query (split `tune`) with the grades of its first five results;
    /// held-out queries are never shown, so they stay unseen while search is tuned.
    #[arg(long)]
    pub verbose: bool,
}

/// Scores of one engine on one query.
#[derive(Debug, Clone, Copy, Default)]
struct Score {
    ndcg: f64,
    p1: f64,
}

pub async fn run(args: SearchEvalArgs) -> anyhow::Result<()> {
    let queries = judge::read_queries(&args.queries)?;
    let dir = tempfile::tempdir().context("making a directory for the catalogue")?;
    let platform = Platform::open(
        config_for(dir.path())?,
        IndexOptions {
            writer_memory: 200 * 1024 * 1024,
        },
    )
    .await?;
    let tax = platform.services.taxonomy.taxonomy.clone();
    let data = crate::commands::demo::DemoData::load(&platform.services.taxonomy)?;
    let today = platform.services.catalogue.today();
    eprintln!("generating {} offers (seed {})", args.offers, args.seed);
    let file = dir.path().join("offers.jsonl");
    let mut truth: HashMap<String, Truth> = HashMap::new();
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&file)?);
        let mut generator = data.generator(args.seed, today, args.offers)?;
        for _ in 0..args.offers {
            let made = generator.made_offer();
            serde_json::to_writer(&mut w, &made.input)?;
            w.write_all(b"\n")?;
            truth.insert(
                made.input.provider_offer_id.clone(),
                Truth {
                    occupation: made.occupation,
                    taught: made.taught,
                    published: made.input.status.as_deref() == Some("published"),
                },
            );
        }
        w.flush()?;
    }
    import_file(&platform, &file, args.offers).await?;
    let assessed = Assessed::read(&args.judgments, &tax)?;
    let judged: Vec<Judged> = queries
        .into_iter()
        .map(|q| Judged::new(q, &tax, &truth, &assessed))
        .collect::<anyhow::Result<_>>()?;
    let (judged, skipped): (Vec<Judged>, Vec<Judged>) =
        judged.into_iter().partition(|j| j.relevant > 0);

    let peer = if args.skip_postgres {
        None
    } else {
        let peer = PgFtsPeer::create(&args.postgres_url, "lp_eval_fts")
            .await
            .context("the PostgreSQL peer (or pass --skip-postgres)")?;
        let mut feed = platform.services.catalogue.index_feed(0, 5_000);
        while let Some(docs) = feed.next_page().await? {
            peer.load(&docs).await?;
        }
        peer.finish_load().await?;
        Some(peer)
    };

    let grade_of = |ids: &[OfferId], offers: &HashMap<OfferId, String>, j: &Judged| -> Vec<u8> {
        ids.iter()
            .map(|id| {
                offers
                    .get(id)
                    .and_then(|key| truth.get(key))
                    .map_or(0, |t| j.grade(t, &tax))
            })
            .collect()
    };
    let occupation_of = |ids: &[OfferId], offers: &HashMap<OfferId, String>| -> Vec<OccupationId> {
        ids.iter()
            .filter_map(|id| offers.get(id).and_then(|key| truth.get(key)))
            .filter_map(|t| t.occupation)
            .collect()
    };
    let mut pool: BTreeSet<(String, OccupationId)> = BTreeSet::new();
    let mut to_pool = |j: &Judged, found: Vec<OccupationId>| {
        if j.query.kind == Kind::Free {
            for o in found {
                if !assessed.has(&j.query.text, o) {
                    pool.insert((j.query.text.clone(), o));
                }
            }
        }
    };
    let bar = crate::commands::progress::bar("searching", judged.len() as u64);
    let mut ours: Vec<Score> = Vec::new();
    let mut theirs: Vec<Option<Score>> = Vec::new();
    for j in &judged {
        bar.inc(1);
        let query = OfferQuery {
            text: j.query.text.clone(),
            limit: 10,
            ..Default::default()
        };
        let found = platform.services.catalogue.search(&query, "nl").await?;
        let ids: Vec<OfferId> = found.cards.iter().map(|c| c.offer.id).collect();
        let keys: HashMap<OfferId, String> = found
            .cards
            .iter()
            .map(|c| (c.offer.id, c.offer.provider_offer_id.clone()))
            .collect();
        let grades = grade_of(&ids, &keys, j);
        ours.push(score(&grades, &j.ideal));
        to_pool(j, occupation_of(&ids, &keys));
        if args.verbose && j.query.split == "tune" {
            let titles: Vec<String> = found
                .cards
                .iter()
                .zip(&grades)
                .take(5)
                .map(|(c, g)| format!("{g} {}", c.offer.content.title.get("nl")))
                .collect();
            let ndcg = ours.last().map_or(0.0, |s| s.ndcg);
            let name_of = |id| {
                tax.occupation(id)
                    .map(|o| label_in(&o.texts, "nl").text.to_owned())
            };
            let read: Vec<String> = platform
                .services
                .catalogue
                .read_query(&query, "nl")
                .occupations
                .iter()
                .filter_map(|o| {
                    let name = name_of(tax.occupation_id(&o.key)?)?;
                    Some(match o.described {
                        Some(fit) => format!("{name} ({fit}%)"),
                        None => name,
                    })
                })
                .collect();
            let described: Vec<String> = platform
                .services
                .taxonomy
                .occupations_described(&query.text, 5, 0.0)
                .into_iter()
                .filter_map(|d| {
                    Some(format!(
                        "{} ({:.0}%)",
                        name_of(d.occupation)?,
                        d.fit * 100.0
                    ))
                })
                .collect();
            bar.suspend(|| {
                eprintln!(
                    "{:<10} {:<40} ndcg {ndcg:.2}  {}\n{:<51} read as: {}\n{:<51} describes: {}",
                    j.query.kind.name(),
                    j.query.text,
                    titles.join(" | "),
                    "",
                    read.join("; "),
                    "",
                    described.join("; ")
                )
            });
        }
        theirs.push(match &peer {
            Some(peer) => {
                let mut r = peer.search(&query, today).await?;
                let words: Vec<&str> = query.text.split_whitespace().collect();
                if r.ids.is_empty() && words.len() > 1 {
                    // As Leerpad does: no offer has every word, so any word will do.
                    let any = OfferQuery {
                        text: words.join(" or "),
                        ..query.clone()
                    };
                    r = peer.search(&any, today).await?;
                }
                let ids: Vec<OfferId> = r.ids.iter().map(|i| OfferId::new(*i)).collect();
                let keys: HashMap<OfferId, String> = platform
                    .services
                    .store
                    .offers_by_ids(&ids)
                    .await?
                    .into_iter()
                    .map(|o| (o.id, o.provider_offer_id))
                    .collect();
                to_pool(j, occupation_of(&ids, &keys));
                Some(score(&grade_of(&ids, &keys, j), &j.ideal))
            }
            None => None,
        });
    }
    bar.finish_and_clear();
    if let Some(peer) = peer {
        peer.drop_all().await?;
    }
    if let Some(path) = &args.pool {
        write_pool(path, &pool, &tax)?;
    }

    let mut figures = Figures::new("eval_search");
    figures.count("offers", args.offers);
    figures.count("queries", judged.len() as u64);
    figures.count("queries_without_relevant_offers", skipped.len() as u64);
    let mut table: Vec<Line> = Vec::new();
    for kind in Kind::ALL {
        for split in judge::SPLITS.map(Some).into_iter().chain([None]) {
            let picked: Vec<usize> = (0..judged.len())
                .filter(|i| {
                    judged[*i].query.kind == kind
                        && split.is_none_or(|s| judged[*i].query.split == s)
                })
                .collect();
            if picked.is_empty() {
                continue;
            }
            let mean = |f: &dyn Fn(usize) -> Option<f64>| {
                let values: Vec<f64> = picked.iter().filter_map(|i| f(*i)).collect();
                (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
            };
            let ndcg = mean(&|i| Some(ours[i].ndcg)).unwrap_or(0.0);
            let p1 = mean(&|i| Some(ours[i].p1)).unwrap_or(0.0);
            let pg_ndcg = mean(&|i| theirs[i].map(|s| s.ndcg));
            let pg_p1 = mean(&|i| theirs[i].map(|s| s.p1));
            let suffix = match split {
                Some(s) => format!("{}_{s}", kind.name()),
                None => kind.name().to_owned(),
            };
            figures.num(format!("ndcg_at_10_{suffix}"), ndcg, 3);
            figures.num(format!("p_at_1_{suffix}"), p1, 3);
            if let (Some(n), Some(p)) = (pg_ndcg, pg_p1) {
                figures.num(format!("pg_ndcg_at_10_{suffix}"), n, 3);
                figures.num(format!("pg_p_at_1_{suffix}"), p, 3);
            }
            table.push(Line(
                format!(
                    "{:<10} {:<8} ({} queries)",
                    kind.name(),
                    split.unwrap_or("all"),
                    picked.len()
                ),
                format!("nDCG@10 {ndcg:.3}  P@1 {p1:.3}"),
                match (pg_ndcg, pg_p1) {
                    (Some(n), Some(p)) => format!("nDCG@10 {n:.3}  P@1 {p:.3}"),
                    _ => "-".into(),
                },
            ));
        }
    }
    println!(
        "Search relevance on {} generated offers (seed {}), judged queries from {}",
        args.offers,
        args.seed,
        args.queries.display()
    );
    println!("| query type, split | Leerpad | PostgreSQL 'dutch' ts_rank |");
    println!("| --- | --- | --- |");
    for Line(a, b, c) in &table {
        println!("| {a} | {b} | {c} |");
    }
    if !skipped.is_empty() {
        let names: Vec<&str> = skipped.iter().map(|j| j.query.text.as_str()).collect();
        println!(
            "left out (no relevant offer in this catalogue): {}",
            names.join(", ")
        );
    }
    figures.print();
    Ok(())
}

/// The pooled query–occupation pairs for the assessor, with what the assessor needs to know
/// about each occupation.
fn write_pool(
    path: &std::path::Path,
    pool: &BTreeSet<(String, OccupationId)>,
    tax: &leerpad_domain::taxonomy::Taxonomy,
) -> anyhow::Result<()> {
    let mut w = std::io::BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("writing {}", path.display()))?,
    );
    writeln!(
        w,
        "query\toccupation\tgrade\tlabel\tisco group\tdescription"
    )?;
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for (query, o) in pool {
        let Some(record) = tax.occupation(*o) else {
            continue;
        };
        let nl = record.texts.iter().find(|t| t.lang == "nl");
        let group = tax
            .isco_group(&record.isco_code)
            .and_then(|g| g.texts.iter().find(|t| t.lang == "nl"))
            .map_or(String::new(), |t| t.preferred.clone());
        let description: String = nl
            .map(|t| one_line(&t.description))
            .unwrap_or_default()
            .chars()
            .take(300)
            .collect();
        writeln!(
            w,
            "{query}\t{}\t\t{}\t{} {group}\t{description}",
            record.uri,
            nl.map_or("", |t| t.preferred.as_str()),
            record.isco_code,
        )?;
    }
    w.flush()?;
    eprintln!("{} pairs to grade in {}", pool.len(), path.display());
    Ok(())
}

fn score(grades: &[u8], ideal: &[u8]) -> Score {
    Score {
        ndcg: ndcg_at_10(grades, ideal),
        p1: f64::from(u8::from(grades.first().is_some_and(|g| *g >= 2))),
    }
}
