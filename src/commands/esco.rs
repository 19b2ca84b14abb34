//! `leerpad esco pack`: regenerate the compact taxonomy committed to the repository.

use super::progress;
use anyhow::Context;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum EscoCommand {
    /// Read an ESCO CSV bundle and write the compact taxonomy Leerpad ships
    /// (`data/esco/taxonomy.bin.gz`, compiled into the binary).
    Pack {
        /// Directory in the official ESCO CSV bundle layout.
        dir: PathBuf,
        /// Where to write the compact file.
        #[arg(long, default_value = "data/esco/taxonomy.bin.gz")]
        out: PathBuf,
    },
}

/// Read a bundle with a progress line per file.
pub fn read_bundle(
    dir: &std::path::Path,
) -> anyhow::Result<(leerpad_esco::TaxonomyData, leerpad_esco::BundleReport)> {
    let bar = progress::spinner("reading ESCO");
    let (data, report) = progress::clear_after_call(&bar, || {
        leerpad_esco::read_bundle(dir, &|file, rows| {
            bar.set_message(format!("{file} ({rows} rows)"))
        })
    })?;
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    if report.dangling_references > report.warnings.len() as u64 {
        eprintln!(
            "warning: {} rows in all referred to unknown concepts and were skipped",
            report.dangling_references
        );
    }
    Ok((data, report))
}

pub fn run(cmd: EscoCommand) -> anyhow::Result<()> {
    match cmd {
        EscoCommand::Pack { dir, out } => {
            let (mut data, report) = read_bundle(&dir)?;
            data.version = format!(
                "ESCO ({} languages: {})",
                report.languages.len(),
                report.languages.join(", ")
            );
            let bytes = leerpad_esco::pack(&data)?;
            std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
            println!(
                "wrote {} ({} KiB): {} skills, {} occupations, {} occupation-skill relations, {} collections",
                out.display(),
                bytes.len() / 1024,
                data.skills.len(),
                data.occupations.len(),
                data.occupation_skills.len(),
                data.collections.len()
            );
            Ok(())
        }
    }
}
