//! The benchmark catalogue: a directory with generated offers imported into SQLite and the
//! search index, made once and reused by the search, matching and page benchmarks.

use super::report::Line;
use crate::commands::bench::Figures;
use crate::commands::platform::{IndexOptions, Platform};
use crate::config::{Config, Overrides};
use anyhow::Context;
use leerpad_app::catalogue::ImportRow;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub(in crate::commands) fn config_for(dir: &Path) -> anyhow::Result<Config> {
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

/// Where a benchmark catalogue of `offers` offers lives unless `--dir` says otherwise; the
/// search, matching and page benchmarks share it.
pub(in crate::commands) fn catalogue_dir(dir: Option<&Path>, offers: u64) -> PathBuf {
    dir.map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(format!("bench-search-{offers}")))
}

/// A platform on `dir` holding at least `offers` generated offers: reused when there, else
/// generated, imported and indexed (the import time goes into `table` and `figures`).
pub(in crate::commands) async fn catalogue_of(
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
        let data = crate::commands::demo::DemoData::load(&platform.services.taxonomy)?;
        let today = platform.services.catalogue.today();
        {
            let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&file)?);
            for o in data.generator(7, today, offers)?.take(offers as usize) {
                serde_json::to_writer(&mut w, &o)?;
                w.write_all(b"\n")?;
            }
            w.flush()?;
        }
        let secs = import_file(&platform, &file, offers).await?;
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

/// Import a JSON Lines file of `offers` generated offers in one transaction, the index built
/// alongside, with a progress bar; the seconds it took.
pub(in crate::commands) async fn import_file(
    platform: &Platform,
    file: &Path,
    offers: u64,
) -> anyhow::Result<f64> {
    eprintln!("importing (one transaction, index built alongside)");
    let bar = crate::commands::progress::bar("importing", offers);
    let bar2 = bar.clone();
    let rows =
        leerpad_formats::offers::read(file, leerpad_formats::offers::Format::JsonLines, None)
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
    Ok(secs)
}
