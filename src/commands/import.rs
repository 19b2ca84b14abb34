//! `leerpad import …`: bulk data into the database, all or nothing.

use super::platform::{IndexOptions, Platform};
use super::{DatabaseArgs, open_store, progress};
use anyhow::Context;
use leerpad_app::catalogue::{ImportRow, IndexUpdate, RowCheck, RowProblem};
use leerpad_domain::catalogue::ProviderInput;
use leerpad_domain::ports::Store;
use leerpad_domain::taxonomy::ports::{ConceptRow, TaxonomySnapshot};
use leerpad_domain::taxonomy::{TaxonomyData, texts_in};
use leerpad_formats::offers::Format;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Subcommand)]
pub enum ImportCommand {
    /// Import an ESCO CSV bundle (official layout, any language). Re-importing updates, never
    /// duplicates; nothing is written unless the whole bundle reads cleanly.
    Esco {
        /// Directory with skills_<lang>.csv, occupations_<lang>.csv, occupationSkillRelations.csv, …
        dir: PathBuf,
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Import training offers from JSON Lines (`.jsonl`), CSV (`.csv`, a row per run) or EDU-DEX
    /// program JSON (`.json`). Every offer is checked first and every problem is listed with its
    /// line and field; by default nothing is written unless all offers are valid. Offers are
    /// matched on provider + provider's offer id: re-importing updates, never duplicates.
    Offers(OffersArgs),
    /// Import labour-market demand from CSV (columns occupation, area_type, area, period,
    /// vacancies, job_seekers, tension, trend). Every row is checked first and every problem is
    /// listed with its line and field; nothing is written unless all rows are valid. Figures
    /// are keyed on occupation, area and period: re-importing updates, never duplicates.
    Demand {
        file: PathBuf,
        /// Only check the file; write nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        db: DatabaseArgs,
    },
}

#[derive(Debug, clap::Args)]
pub struct OffersArgs {
    pub file: PathBuf,
    /// jsonl, csv or edudex [default: from the file's extension]
    #[arg(long)]
    pub format: Option<String>,
    /// Import the valid offers and write a report of the others (see --report).
    #[arg(long)]
    pub skip_invalid: bool,
    /// Only check the file; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// KvK number of the provider, for files that do not name one (EDU-DEX, CSV without
    /// provider columns).
    #[arg(long, value_name = "KVK")]
    pub provider: Option<String>,
    /// Name of that provider.
    #[arg(long, value_name = "NAME")]
    pub provider_name: Option<String>,
    /// Where to write the problems as CSV (line, offer, field, message)
    /// [default with --skip-invalid: FILE.errors.csv]
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

/// The database form of a taxonomy: its compact snapshot and one row per concept.
pub fn snapshot(data: &TaxonomyData) -> anyhow::Result<TaxonomySnapshot> {
    let row = |uri: &str, kind: &str, detail: &str, texts: &[leerpad_domain::taxonomy::Texts]| {
        ConceptRow {
            uri: uri.to_owned(),
            kind: kind.to_owned(),
            detail: detail.to_owned(),
            label_en: texts_in(texts, "en")
                .map(|(t, _)| t.preferred.clone())
                .unwrap_or_default(),
            label_nl: texts
                .iter()
                .find(|t| t.lang == "nl" && !t.preferred.is_empty())
                .map(|t| t.preferred.clone()),
        }
    };
    Ok(TaxonomySnapshot {
        version: data.version.clone(),
        packed: leerpad_esco::pack(data)?,
        skills: data
            .skills
            .iter()
            .map(|s| row(&s.uri, &s.skill_type, &s.reuse_level, &s.texts))
            .collect(),
        occupations: data
            .occupations
            .iter()
            .map(|o| row(&o.uri, &o.isco_code, &o.code, &o.texts))
            .collect(),
    })
}

/// Store a taxonomy with a progress bar.
pub async fn save_taxonomy(store: &dyn Store, data: &TaxonomyData, now: i64) -> anyhow::Result<()> {
    let snap = snapshot(data)?;
    let bar = progress::bar(
        "writing taxonomy",
        (snap.skills.len() + snap.occupations.len()) as u64,
    );
    let counts = progress::clear_after(
        &bar,
        store.save_taxonomy(&snap, now, &|n| bar.set_position(n)),
    )
    .await?;
    println!(
        "taxonomy stored: {} skills, {} occupations ({})",
        counts.skills, counts.occupations, snap.version
    );
    Ok(())
}

pub async fn run(file: Option<PathBuf>, cmd: ImportCommand) -> anyhow::Result<()> {
    match cmd {
        ImportCommand::Esco { dir, db } => {
            let config = db.config(file)?;
            let (mut data, report) = super::esco::read_bundle(&dir)?;
            data.version = format!("ESCO ({})", report.languages.join(", "));
            for (file, rows) in &report.files {
                println!("read {file}: {rows} rows");
            }
            let store = open_store(&config).await?;
            let now = leerpad_domain::clock::Clock::now(&leerpad_domain::clock::SystemClock);
            save_taxonomy(&store, &data, now).await?;
            store.close().await;
            Ok(())
        }
        ImportCommand::Demand {
            file: path,
            dry_run,
            db,
        } => {
            let config = db.config(file)?;
            import_demand(config, &path, dry_run).await
        }
        ImportCommand::Offers(args) => {
            let config = args.db.config(file)?;
            import_offers(config, args).await
        }
    }
}

fn rows_of(
    path: &std::path::Path,
    format: Format,
    provider: Option<&ProviderInput>,
) -> anyhow::Result<Box<dyn Iterator<Item = ImportRow> + Send>> {
    let rows = leerpad_formats::offers::read(path, format, provider)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    Ok(Box::new(rows.map(|r| ImportRow {
        line: r.line,
        key: r.key,
        offer: r.offer,
    })))
}

/// The problems as CSV (line, offer, field, message). Offer ids and messages echo the imported
/// file, and the report is meant to be opened in a spreadsheet: cells that would be read as a
/// formula get a leading `'` (`leerpad_formats::spreadsheet::safe_cell`).
fn write_report(path: &std::path::Path, problems: &[RowProblem]) -> anyhow::Result<()> {
    use leerpad_formats::spreadsheet::safe_cell;
    let mut w = csv::Writer::from_path(path)
        .with_context(|| format!("cannot write the report {}", path.display()))?;
    w.write_record(["line", "offer", "field", "message"])?;
    for p in problems {
        let line = p.line.to_string();
        let cells = [
            safe_cell(&line),
            safe_cell(p.key.as_deref().unwrap_or("")),
            safe_cell(&p.field),
            safe_cell(&p.message),
        ];
        w.write_record(cells.iter().map(|c| c.as_bytes()))?;
    }
    w.flush()?;
    Ok(())
}

/// Print every problem (and write them to `report` as CSV) with a one-line summary.
fn report_problems(
    path: &std::path::Path,
    check: &RowCheck,
    report: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    for p in &check.problems {
        eprintln!("{}:{p}", path.display());
    }
    if let Some(report) = report {
        write_report(report, &check.problems)?;
        eprintln!("problems written to {}", report.display());
    }
    println!(
        "{}: {} offers, {} with problems ({} problems)",
        path.display(),
        check.rows,
        check.bad_lines.len(),
        check.problems.len()
    );
    Ok(())
}

/// Lines in a file, for the progress bar of a JSON Lines import.
fn count_lines(path: &std::path::Path) -> anyhow::Result<u64> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0u64;
    loop {
        let read = f.read(&mut buf)?;
        if read == 0 {
            return Ok(n);
        }
        n += buf[..read].iter().filter(|b| **b == b'\n').count() as u64;
    }
}

async fn import_offers(config: crate::config::Config, args: OffersArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let path = args.file.clone();
    let format = match &args.format {
        Some(f) => Format::parse(f)
            .ok_or_else(|| anyhow::anyhow!("--format: '{f}' is not one of jsonl, csv, edudex"))?,
        None => Format::of_path(&path).ok_or_else(|| {
            anyhow::anyhow!(
                "{}: cannot tell the format from the name; give --format jsonl, csv or edudex",
                path.display()
            )
        })?,
    };
    anyhow::ensure!(path.is_file(), "{}: no such file", path.display());
    let provider = match (&args.provider, &args.provider_name) {
        (Some(kvk), name) => Some(ProviderInput {
            kvk: kvk.clone(),
            name: name.clone().unwrap_or_else(|| format!("KvK {kvk}")),
            ..Default::default()
        }),
        (None, Some(_)) => anyhow::bail!("--provider-name needs --provider (the KvK number)"),
        (None, None) => None,
    };
    let platform = Platform::open(config, IndexOptions::BULK).await?;
    let catalogue = platform.services.catalogue.clone();

    if args.dry_run {
        let spinner = progress::spinner("checking offers");
        let rows = rows_of(&path, format, provider.as_ref())?;
        let check = progress::clear_after_call(&spinner, || {
            catalogue.check_rows(rows, true, &|n| spinner.set_message(format!("{n} offers")))
        });
        report_problems(&path, &check, args.report.as_deref())?;
        platform.sql.close().await;
        anyhow::ensure!(
            check.is_clean(),
            "dry run: the file has problems (nothing was written)"
        );
        println!("dry run: nothing written");
        return Ok(());
    }

    // One pass: check each offer, write the valid ones in one transaction, index them.
    let bar = match format {
        Format::JsonLines => progress::bar("importing offers", count_lines(&path)?),
        _ => progress::spinner("importing offers"),
    };
    let bar_for_progress = bar.clone();
    let rows = rows_of(&path, format, provider.as_ref())?;
    let outcome = progress::clear_after(
        &bar,
        catalogue.import_rows(
            rows,
            args.skip_invalid,
            std::sync::Arc::new(move |n| {
                bar_for_progress.set_position(n);
                bar_for_progress.set_message(format!("{n} offers"));
            }),
        ),
    )
    .await?;
    let report = args.report.clone().or_else(|| {
        (args.skip_invalid && !outcome.check.is_clean()).then(|| {
            let mut name = path.clone().into_os_string();
            name.push(".errors.csv");
            PathBuf::from(name)
        })
    });
    report_problems(&path, &outcome.check, report.as_deref())?;
    if !outcome.committed {
        platform.sql.close().await;
        anyhow::bail!(
            "nothing imported: fix the problems above, or import the valid offers with --skip-invalid"
        );
    }
    println!(
        "imported in {:.1} s: {} new, {} updated, {} unchanged, {} skipped; skills extracted for {} offers; search index {}",
        started.elapsed().as_secs_f64(),
        outcome.summary.created,
        outcome.summary.updated,
        outcome.summary.unchanged,
        outcome.check.bad_lines.len(),
        outcome.skills_extracted,
        match outcome.index {
            IndexUpdate::Indexed => "updated",
            IndexUpdate::Deferred => "busy (the running server catches up within seconds)",
        }
    );
    platform.sql.close().await;
    Ok(())
}

async fn import_demand(
    config: crate::config::Config,
    path: &Path,
    dry_run: bool,
) -> anyhow::Result<()> {
    let input = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let rows = leerpad_formats::demand::read(std::io::BufReader::new(input))
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let platform = Platform::open(config, IndexOptions::default()).await?;
    let rows: Vec<_> = rows.into_iter().map(|r| (r.line, r.record)).collect();
    let n = rows.len();
    let outcome = if dry_run {
        let problems = platform.services.matching.check_demand(&rows);
        if problems.is_empty() {
            Ok(0)
        } else {
            Err(problems)
        }
    } else {
        platform.services.matching.import_demand(rows).await
    };
    match outcome {
        Ok(_) if dry_run => {
            println!("{n} demand figures checked: all valid (nothing written, --dry-run)");
            Ok(())
        }
        Ok(written) => {
            println!("demand stored: {written} figures from {}", path.display());
            Ok(())
        }
        Err(problems) => {
            for p in problems.iter().take(100) {
                eprintln!(
                    "{}:{}: {}: {}",
                    path.display(),
                    p.line,
                    p.error.field,
                    p.error.message
                );
            }
            if problems.len() > 100 {
                eprintln!("… and {} more", problems.len() - 100);
            }
            anyhow::bail!(
                "{} problem(s) in {}; nothing was imported",
                problems.len(),
                path.display()
            )
        }
    }
}
