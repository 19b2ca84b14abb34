//! The PostgreSQL comparison: the same offers loaded into PostgreSQL full-text search and the
//! same queries run there, as rows for the table and figures of their own.

use super::SearchBenchArgs;
use super::fts_peer::PgFtsPeer;
use super::report::{Latencies, Line, mib};
use crate::commands::bench::Figures;
use crate::commands::platform::Platform;
use leerpad_domain::catalogue::search::OfferQuery;
use std::time::Instant;

/// Load the same offers into PostgreSQL and run the same queries there.
pub(super) async fn peer(
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
    let bar = crate::commands::progress::bar("loading PostgreSQL", count as u64);
    let mut feed = platform.services.catalogue.index_feed(0, 5_000);
    while let Some(docs) = feed.next_page().await? {
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
    let (percentiles, p99) = lat.record(&mut figures, "pg");
    lines.push(Line(
        "PostgreSQL FTS: search + facets, 1 thread (same queries)".into(),
        percentiles,
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
