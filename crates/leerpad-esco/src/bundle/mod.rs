//! Reading the official ESCO CSV bundle layout: which files the bundle has, in what order they
//! are read, and the report of what was read. The CSV access, the concept files, the relation
//! files and the collections each have a module of their own.

mod collections;
mod concepts;
mod relations;
mod table;

use collections::{drop_empty_texts, read_collections};
use concepts::{group_rows, occupation_rows, read_concepts, skill_rows};
use leerpad_domain::taxonomy::TaxonomyData;
use relations::{
    Indexes, link_broader_occupations, read_occupation_broader, read_occupation_skills,
    read_skill_broader, read_skill_skills,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use table::Table;

/// Why a bundle could not be read. Every variant says where.
#[derive(Debug, thiserror::Error)]
pub enum EscoError {
    #[error("{0}: no skills_<language>.csv found; is this an ESCO CSV bundle?")]
    NotABundle(String),
    #[error("{file}: cannot read: {message}")]
    Io { file: String, message: String },
    #[error("{file}: missing column '{column}' in the header")]
    MissingColumn { file: String, column: String },
    #[error("{file}:{line}: column {column}: {message}")]
    Row {
        file: String,
        line: u64,
        column: String,
        message: String,
    },
}

/// What was read, for the import summary.
#[derive(Debug, Default, Clone)]
pub struct BundleReport {
    pub languages: Vec<String>,
    /// Files read with their number of data rows.
    pub files: Vec<(String, u64)>,
    /// Rows skipped because they refer to a concept the bundle does not define.
    pub dangling_references: u64,
    /// The first few of those, for the operator.
    pub warnings: Vec<String>,
}

/// Files of the bundle: `stem_<lang>.csv` per language, or `stem.csv`.
#[derive(Default)]
struct Files {
    by_stem: BTreeMap<String, Vec<(String, PathBuf)>>,
}

impl Files {
    fn scan(dir: &Path) -> Result<Files, EscoError> {
        let entries = std::fs::read_dir(dir).map_err(|e| EscoError::Io {
            file: dir.display().to_string(),
            message: e.to_string(),
        })?;
        let mut files = Files::default();
        for entry in entries.flatten() {
            let path = entry.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let Some(stem) = name.strip_suffix(".csv") else {
                continue;
            };
            let (stem, lang) = match stem.rsplit_once('_') {
                Some((s, l)) if l.len() == 2 || l.len() == 3 => (s.to_owned(), l.to_owned()),
                _ => (stem.to_owned(), String::new()),
            };
            files.by_stem.entry(stem).or_default().push((lang, path));
        }
        for list in files.by_stem.values_mut() {
            // English first, so its values win where languages disagree on language-neutral columns.
            list.sort_by_key(|(l, _)| (l != "en", l.clone()));
        }
        Ok(files)
    }

    fn per_language(&self, stem: &str) -> &[(String, PathBuf)] {
        self.by_stem.get(stem).map(Vec::as_slice).unwrap_or(&[])
    }

    /// A language-neutral file (`stem.csv`, or any language variant of it).
    fn neutral(&self, stem: &str) -> Option<&PathBuf> {
        self.per_language(stem).first().map(|(_, p)| p)
    }
}

/// Progress callback: `(file name, rows read so far in it)`.
pub type Progress<'a> = &'a dyn Fn(&str, u64);

struct Reader<'a> {
    report: BundleReport,
    progress: Progress<'a>,
}

impl Reader<'_> {
    fn dangling(&mut self, file: &str, line: u64, what: &str) {
        self.report.dangling_references += 1;
        if self.report.warnings.len() < 10 {
            self.report
                .warnings
                .push(format!("{file}:{line}: unknown {what}; row skipped"));
        }
    }

    fn read(
        &mut self,
        path: &Path,
        f: impl FnMut(&mut Table) -> Result<u64, EscoError>,
    ) -> Result<(), EscoError> {
        let mut f = f;
        let mut table = Table::open(path)?;
        (self.progress)(&table.name, 0);
        let n = f(&mut table)?;
        (self.progress)(&table.name, n);
        self.report.files.push((table.name.clone(), n));
        Ok(())
    }
}

/// Read a bundle directory.
pub fn read_bundle(
    dir: &Path,
    progress: Progress<'_>,
) -> Result<(TaxonomyData, BundleReport), EscoError> {
    let files = Files::scan(dir)?;
    let skill_files = files.per_language("skills");
    if skill_files.is_empty() {
        return Err(EscoError::NotABundle(dir.display().to_string()));
    }
    let mut r = Reader {
        report: BundleReport::default(),
        progress,
    };
    r.report.languages = skill_files
        .iter()
        .map(|(l, _)| l.clone())
        .filter(|l| !l.is_empty())
        .collect();

    // Concepts first: the relation files refer to them by URI.
    let skills = read_concepts(&mut r, skill_files, skill_rows)?;
    let occupations = read_concepts(&mut r, files.per_language("occupations"), occupation_rows)?;
    let isco_groups = read_concepts(&mut r, files.per_language("ISCOGroups"), group_rows)?;
    let skill_groups = read_concepts(&mut r, files.per_language("skillGroups"), group_rows)?;
    let mut data = TaxonomyData {
        version: "ESCO".to_owned(),
        skills,
        occupations,
        isco_groups,
        skill_groups,
        ..Default::default()
    };
    let ix = Indexes::of(&data);

    if let Some(path) = files.neutral("occupationSkillRelations") {
        data.occupation_skills = read_occupation_skills(&mut r, path, &ix)?;
    }
    if let Some(path) = files.neutral("skillSkillRelations") {
        data.skill_skill = read_skill_skills(&mut r, path, &ix)?;
    }
    if let Some(path) = files.neutral("broaderRelationsSkillPillar") {
        data.skill_broader = read_skill_broader(&mut r, path, &ix)?;
    }
    if let Some(path) = files.neutral("broaderRelationsOccPillar") {
        let links = read_occupation_broader(&mut r, path, &ix)?;
        link_broader_occupations(&mut data.occupations, links);
    }
    data.collections = read_collections(&mut r, &files, &ix, &mut data.skills)?;
    drop_empty_texts(&mut data.skills);
    Ok((data, r.report))
}
