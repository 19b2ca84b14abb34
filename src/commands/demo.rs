//! `leerpad demo generate`: a deterministic, realistic demo catalogue as JSON Lines.

use anyhow::Context;
use leerpad_app::taxonomy::TaxonomyService;
use leerpad_demo::{Generator, MboTrack, Sources};
use leerpad_domain::catalogue::OfferInput;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum DemoCommand {
    /// Write N generated offers as JSON Lines (the format of `leerpad import offers`). The same
    /// seed and date always give the same file.
    Generate {
        /// How many offers.
        #[arg(long, default_value_t = 10_000)]
        offers: u64,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// The file to write (`-` for standard output).
        #[arg(long)]
        out: PathBuf,
        /// Reference date for run dates, YYYY-MM-DD [default: today].
        #[arg(long)]
        today: Option<String>,
    },
    /// Write generated labour-market demand (national and per arbeidsmarktregio) as CSV, the
    /// format of `leerpad import demand`. Built on real relative job-offer frequencies; not
    /// real Dutch figures.
    Demand {
        #[arg(long, default_value_t = DEMO_DEMAND_SEED)]
        seed: u64,
        #[arg(long, default_value = DEMO_DEMAND_PERIOD)]
        period: String,
        /// The file to write (`-` for standard output).
        #[arg(long)]
        out: PathBuf,
    },
}

/// Seed and period of the demo demand `serve --demo` loads.
pub const DEMO_DEMAND_SEED: u64 = 2026;
pub const DEMO_DEMAND_PERIOD: &str = "2026-Q3";

/// The demo demand figures.
pub fn demo_demand(
    taxonomy: &leerpad_domain::taxonomy::TaxonomyData,
    seed: u64,
    period: &str,
) -> Vec<leerpad_domain::matching::DemandRecord> {
    leerpad_demo::demand::generate(
        taxonomy,
        &leerpad_formats::regions::bundled(),
        &leerpad_esco::bundled_job_offers(),
        period,
        seed,
    )
}

/// Demand records as the CSV `leerpad import demand` reads.
pub fn write_demand_csv(
    w: impl Write,
    records: &[leerpad_domain::matching::DemandRecord],
) -> anyhow::Result<()> {
    use leerpad_domain::matching::DemandSubject;
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record(leerpad_formats::demand::COLUMNS)?;
    let opt = |v: Option<String>| v.unwrap_or_default();
    for r in records {
        let subject = match &r.subject {
            DemandSubject::Occupation(uri) => uri.clone(),
            DemandSubject::Isco(code) => code.clone(),
        };
        csv.write_record([
            subject,
            r.area.kind().to_owned(),
            r.area.name().to_owned(),
            r.period.clone(),
            opt(r.vacancies.map(|v| v.to_string())),
            opt(r.job_seekers.map(|v| v.to_string())),
            opt(r.tension.map(|v| v.to_string())),
            opt(r.trend_percent.map(|v| v.to_string())),
        ])?;
    }
    csv.flush()?;
    Ok(())
}

/// What the generator draws from: the bundled taxonomy, regions, MBO profiles and job offers.
pub struct DemoData {
    taxonomy: leerpad_domain::taxonomy::TaxonomyData,
    pub regions: leerpad_domain::regions::Regions,
    tracks: Vec<MboTrack>,
    job_offers: Vec<(&'static str, u32)>,
}

impl DemoData {
    /// The bundled data; MBO profiles are matched to ESCO occupations by their Dutch title with
    /// `matcher` (the taxonomy's title matching).
    pub fn load(matcher: &TaxonomyService) -> anyhow::Result<DemoData> {
        let tracks = leerpad_formats::sbb::bundled_profiles()
            .into_iter()
            .map(|p| MboTrack {
                occupation: matcher
                    .match_title(&p.profile, "nl", 1)
                    .first()
                    .filter(|m| m.score > 0.3)
                    .map(|m| m.occupation),
                profile: p.profile,
                description: p.description,
                core_tasks: p.core_tasks,
            })
            .collect();
        Ok(DemoData {
            taxonomy: matcher.taxonomy.data().clone(),
            regions: leerpad_formats::regions::bundled(),
            tracks,
            job_offers: leerpad_esco::bundled_job_offers(),
        })
    }

    /// With the bundled taxonomy and its title matcher.
    pub fn load_bundled() -> anyhow::Result<DemoData> {
        let data = leerpad_esco::bundled().context("loading the bundled taxonomy")?;
        let service = TaxonomyService::new(data, &leerpad_esco::bundled_job_offers());
        DemoData::load(&service)
    }

    pub fn generator(
        &self,
        seed: u64,
        today: time::Date,
        offers: u64,
    ) -> anyhow::Result<Generator<'_>> {
        Ok(Generator::new(
            Sources {
                taxonomy: &self.taxonomy,
                regions: &self.regions,
                mbo: &self.tracks,
                job_offers: &self.job_offers,
            },
            seed,
            today,
            offers,
        )?)
    }
}

pub fn parse_day(raw: Option<&str>) -> anyhow::Result<time::Date> {
    match raw {
        Some(s) => leerpad_domain::shared::iso_date_option::parse(s)
            .ok_or_else(|| anyhow::anyhow!("--today: '{s}' is not a date (YYYY-MM-DD)")),
        None => Ok(time::OffsetDateTime::now_utc().date()),
    }
}

pub fn run(cmd: DemoCommand) -> anyhow::Result<()> {
    let (offers, seed, out, today) = match cmd {
        DemoCommand::Generate {
            offers,
            seed,
            out,
            today,
        } => (offers, seed, out, today),
        DemoCommand::Demand { seed, period, out } => {
            let data = leerpad_esco::bundled().context("loading the bundled ESCO taxonomy")?;
            let records = demo_demand(&data, seed, &period);
            if out.as_os_str() == "-" {
                write_demand_csv(std::io::stdout().lock(), &records)?;
            } else {
                let file = std::fs::File::create(&out)
                    .with_context(|| format!("cannot create {}", out.display()))?;
                write_demand_csv(std::io::BufWriter::new(file), &records)?;
                eprintln!(
                    "wrote {} demand figures to {}",
                    records.len(),
                    out.display()
                );
            }
            return Ok(());
        }
    };
    let today = parse_day(today.as_deref())?;
    let data = DemoData::load_bundled()?;
    let generator = data.generator(seed, today, offers)?;
    let to_stdout = out.as_os_str() == "-";
    let sink: Box<dyn Write> = if to_stdout {
        Box::new(std::io::stdout().lock())
    } else {
        Box::new(
            std::fs::File::create(&out)
                .with_context(|| format!("cannot create {}", out.display()))?,
        )
    };
    let mut w = std::io::BufWriter::with_capacity(1 << 20, sink);
    let bar = if to_stdout {
        indicatif::ProgressBar::hidden()
    } else {
        super::progress::bar("generating offers", offers)
    };
    for (i, offer) in generator.take(offers as usize).enumerate() {
        write_line(&mut w, &offer)?;
        if i % 1_000 == 0 {
            bar.set_position(i as u64);
        }
    }
    w.flush()?;
    bar.finish_and_clear();
    if !to_stdout {
        eprintln!("wrote {offers} offers to {}", out.display());
    }
    Ok(())
}

fn write_line(w: &mut impl Write, offer: &OfferInput) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *w, offer)?;
    w.write_all(b"\n")?;
    Ok(())
}
