//! `leerpad import …`: bulk data into the database, all or nothing.

use super::{DatabaseArgs, load_config, open_store, progress};
use crate::config::Overrides;
use leerpad_domain::ports::{ConceptRow, Store, TaxonomySnapshot};
use leerpad_domain::taxonomy::{TaxonomyData, texts_in};
use std::path::PathBuf;

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
    let counts = store
        .save_taxonomy(&snap, now, &|n| bar.set_position(n))
        .await;
    bar.finish_and_clear();
    let counts = counts?;
    println!(
        "taxonomy stored: {} skills, {} occupations ({})",
        counts.skills, counts.occupations, snap.version
    );
    Ok(())
}

pub async fn run(file: Option<PathBuf>, cmd: ImportCommand) -> anyhow::Result<()> {
    match cmd {
        ImportCommand::Esco { dir, db } => {
            let config = load_config(
                file,
                &Overrides {
                    database_url: db.database_url,
                    ..Default::default()
                },
            )?;
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
    }
}
