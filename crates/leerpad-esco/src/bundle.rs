//! Reading the official ESCO CSV bundle layout.

use leerpad_domain::taxonomy::{
    Broader, Collection, ConceptRecord, ConceptRef, OccupationRecord, OccupationSkill, Relevance,
    SkillRecord, SkillSkill, TaxonomyData, Texts,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};

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

/// An open CSV file whose columns are looked up by header name.
struct Table {
    name: String,
    columns: HashMap<String, usize>,
    reader: csv::Reader<File>,
}

impl Table {
    fn open(path: &Path) -> Result<Table, EscoError> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let io = |e: &dyn std::fmt::Display| EscoError::Io {
            file: name.clone(),
            message: e.to_string(),
        };
        let file = File::open(path).map_err(|e| io(&e))?;
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(file);
        let headers = reader.headers().map_err(|e| csv_error(&name, &e))?.clone();
        let columns = headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.trim_start_matches('\u{feff}').to_owned(), i))
            .collect();
        Ok(Table {
            name,
            columns,
            reader,
        })
    }

    fn column(&self, name: &str) -> Result<usize, EscoError> {
        self.columns
            .get(name)
            .copied()
            .ok_or_else(|| EscoError::MissingColumn {
                file: self.name.clone(),
                column: name.to_owned(),
            })
    }

    fn optional(&self, name: &str) -> Option<usize> {
        self.columns.get(name).copied()
    }

    /// Call `f` with each record and its line number.
    fn each(
        &mut self,
        mut f: impl FnMut(&csv::StringRecord, u64) -> Result<(), EscoError>,
    ) -> Result<u64, EscoError> {
        let mut record = csv::StringRecord::new();
        let mut n = 0;
        loop {
            match self.reader.read_record(&mut record) {
                Ok(true) => {
                    let line = record.position().map(|p| p.line()).unwrap_or(0);
                    f(&record, line)?;
                    n += 1;
                }
                Ok(false) => return Ok(n),
                Err(e) => return Err(csv_error(&self.name, &e)),
            }
        }
    }
}

fn csv_error(file: &str, e: &csv::Error) -> EscoError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    let (column, message) = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => (
            format!("{}", len + 1),
            format!("row has {len} fields, the header has {expected_len}"),
        ),
        csv::ErrorKind::Utf8 { err, .. } => {
            (format!("{}", err.field() + 1), "not valid UTF-8".to_owned())
        }
        other => ("-".to_owned(), format!("{other:?}")),
    };
    EscoError::Row {
        file: file.to_owned(),
        line,
        column,
        message,
    }
}

fn get(record: &csv::StringRecord, index: usize) -> &str {
    record.get(index).unwrap_or("").trim()
}

fn split_labels(text: &str) -> Vec<String> {
    text.split('\n')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
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

/// Rows of a relation file (`from`, `relationType`, `to`), resolved to indexes; rows naming
/// unknown concepts are skipped and reported as warnings.
fn read_relations(
    r: &mut Reader<'_>,
    path: &Path,
    (from_column, from_ix): (&str, &HashMap<String, u32>),
    (to_column, to_ix): (&str, &HashMap<String, u32>),
    what: &str,
) -> Result<Vec<(u32, u32, Relevance)>, EscoError> {
    let mut rows = Vec::new();
    let mut dangling = Vec::new();
    r.read(path, |t| {
        let from = t.column(from_column)?;
        let rel = t.column("relationType")?;
        let to = t.column(to_column)?;
        let file = t.name.clone();
        t.each(|rec, line| {
            let relevance = Relevance::parse(get(rec, rel)).ok_or_else(|| EscoError::Row {
                file: file.clone(),
                line,
                column: "relationType".into(),
                message: format!(
                    "expected 'essential' or 'optional', got '{}'",
                    get(rec, rel)
                ),
            })?;
            match (from_ix.get(get(rec, from)), to_ix.get(get(rec, to))) {
                (Some(&a), Some(&b)) => rows.push((a, b, relevance)),
                _ => dangling.push((file.clone(), line)),
            }
            Ok(())
        })
    })?;
    for (f, l) in dangling {
        r.dangling(&f, l, what);
    }
    Ok(rows)
}

fn texts_entry(texts: &mut Vec<Texts>, lang: &str) -> usize {
    match texts.iter().position(|t| t.lang == lang) {
        Some(i) => i,
        None => {
            texts.push(Texts {
                lang: lang.to_owned(),
                ..Default::default()
            });
            texts.len() - 1
        }
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
    let skills = read_skills(&mut r, skill_files)?;
    let occupations = read_occupations(&mut r, files.per_language("occupations"))?;
    let isco_groups = read_groups(&mut r, files.per_language("ISCOGroups"))?;
    let skill_groups = read_groups(&mut r, files.per_language("skillGroups"))?;
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

/// Skills from `skills_<lang>.csv`, one file per language, in URI order.
fn read_skills(
    r: &mut Reader<'_>,
    files: &[(String, PathBuf)],
) -> Result<Vec<SkillRecord>, EscoError> {
    let mut skills: BTreeMap<String, SkillRecord> = BTreeMap::new();
    for (lang, path) in files {
        r.read(path, |t| read_skill_rows(t, lang, &mut skills))?;
    }
    Ok(skills.into_values().collect())
}

fn read_skill_rows(
    t: &mut Table,
    lang: &str,
    skills: &mut BTreeMap<String, SkillRecord>,
) -> Result<u64, EscoError> {
    let uri = t.column("conceptUri")?;
    let pref = t.column("preferredLabel")?;
    let alt = t.optional("altLabels");
    let alt_text = t.optional("altLabelsText");
    let desc = t.optional("description");
    let stype = t.optional("skillType");
    let reuse = t.optional("reuseLevel");
    let file = t.name.clone();
    t.each(|rec, line| {
        let u = get(rec, uri);
        if u.is_empty() {
            return Err(EscoError::Row {
                file: file.clone(),
                line,
                column: "conceptUri".into(),
                message: "empty URI".into(),
            });
        }
        let skill = skills.entry(u.to_owned()).or_insert_with(|| SkillRecord {
            uri: u.to_owned(),
            ..Default::default()
        });
        // Language-neutral columns: the first file (English) wins.
        if skill.skill_type.is_empty() {
            skill.skill_type = stype.map(|c| get(rec, c).to_owned()).unwrap_or_default();
        }
        if skill.reuse_level.is_empty() {
            skill.reuse_level = reuse.map(|c| get(rec, c).to_owned()).unwrap_or_default();
        }
        let i = texts_entry(&mut skill.texts, lang);
        let t = &mut skill.texts[i];
        t.preferred = get(rec, pref).to_owned();
        t.alt = alt.map(|c| split_labels(get(rec, c))).unwrap_or_default();
        t.alt_text = alt_text.map(|c| get(rec, c).to_owned()).unwrap_or_default();
        t.description = desc.map(|c| get(rec, c).to_owned()).unwrap_or_default();
        Ok(())
    })
}

/// Occupations from `occupations_<lang>.csv`, one file per language, in URI order.
fn read_occupations(
    r: &mut Reader<'_>,
    files: &[(String, PathBuf)],
) -> Result<Vec<OccupationRecord>, EscoError> {
    let mut occupations: BTreeMap<String, OccupationRecord> = BTreeMap::new();
    for (lang, path) in files {
        r.read(path, |t| read_occupation_rows(t, lang, &mut occupations))?;
    }
    Ok(occupations.into_values().collect())
}

fn read_occupation_rows(
    t: &mut Table,
    lang: &str,
    occupations: &mut BTreeMap<String, OccupationRecord>,
) -> Result<u64, EscoError> {
    let uri = t.column("conceptUri")?;
    let pref = t.column("preferredLabel")?;
    let alt = t.optional("altLabels");
    let desc = t.optional("description");
    let isco = t.optional("iscoGroup");
    let code = t.optional("code");
    t.each(|rec, _line| {
        let u = get(rec, uri);
        let occ = occupations
            .entry(u.to_owned())
            .or_insert_with(|| OccupationRecord {
                uri: u.to_owned(),
                ..Default::default()
            });
        if occ.isco_code.is_empty() {
            occ.isco_code = isco.map(|c| get(rec, c).to_owned()).unwrap_or_default();
        }
        if occ.code.is_empty() {
            occ.code = code.map(|c| get(rec, c).to_owned()).unwrap_or_default();
        }
        let i = texts_entry(&mut occ.texts, lang);
        let t = &mut occ.texts[i];
        t.preferred = get(rec, pref).to_owned();
        t.alt = alt.map(|c| split_labels(get(rec, c))).unwrap_or_default();
        t.description = desc.map(|c| get(rec, c).to_owned()).unwrap_or_default();
        Ok(())
    })
}

/// ISCO groups or skill groups: code and labels per language, in URI order.
fn read_groups(
    r: &mut Reader<'_>,
    files: &[(String, PathBuf)],
) -> Result<Vec<ConceptRecord>, EscoError> {
    let mut out: BTreeMap<String, ConceptRecord> = BTreeMap::new();
    for (lang, path) in files {
        r.read(path, |t| read_group_rows(t, lang, &mut out))?;
    }
    Ok(out.into_values().collect())
}

fn read_group_rows(
    t: &mut Table,
    lang: &str,
    out: &mut BTreeMap<String, ConceptRecord>,
) -> Result<u64, EscoError> {
    let uri = t.column("conceptUri")?;
    let pref = t.column("preferredLabel")?;
    let code = t.optional("code");
    let alt = t.optional("altLabels");
    t.each(|rec, _| {
        let u = get(rec, uri);
        let g = out.entry(u.to_owned()).or_insert_with(|| ConceptRecord {
            uri: u.to_owned(),
            ..Default::default()
        });
        if g.code.is_empty() {
            g.code = code.map(|c| get(rec, c).to_owned()).unwrap_or_default();
        }
        let i = texts_entry(&mut g.texts, lang);
        g.texts[i].preferred = get(rec, pref).to_owned();
        g.texts[i].alt = alt.map(|c| split_labels(get(rec, c))).unwrap_or_default();
        Ok(())
    })
}

/// The position of each concept in [`TaxonomyData`], by URI, to resolve the relation files.
struct Indexes {
    skills: HashMap<String, u32>,
    occupations: HashMap<String, u32>,
    skill_groups: HashMap<String, u32>,
}

impl Indexes {
    fn of(data: &TaxonomyData) -> Indexes {
        fn index<'a>(uris: impl Iterator<Item = &'a String>) -> HashMap<String, u32> {
            uris.enumerate()
                .map(|(i, u)| (u.clone(), i as u32))
                .collect()
        }
        Indexes {
            skills: index(data.skills.iter().map(|s| &s.uri)),
            occupations: index(data.occupations.iter().map(|o| &o.uri)),
            skill_groups: index(data.skill_groups.iter().map(|g| &g.uri)),
        }
    }
}

/// Occupation → skill relations, sorted, one per pair.
fn read_occupation_skills(
    r: &mut Reader<'_>,
    path: &Path,
    ix: &Indexes,
) -> Result<Vec<OccupationSkill>, EscoError> {
    let mut rows: Vec<OccupationSkill> = read_relations(
        r,
        path,
        ("occupationUri", &ix.occupations),
        ("skillUri", &ix.skills),
        "occupation or skill",
    )?
    .into_iter()
    .map(|(occupation, skill, relevance)| OccupationSkill {
        occupation,
        skill,
        relevance,
    })
    .collect();
    rows.sort_by_key(|r| (r.occupation, r.skill));
    rows.dedup_by_key(|r| (r.occupation, r.skill));
    Ok(rows)
}

/// Skill → skill relations, in file order.
fn read_skill_skills(
    r: &mut Reader<'_>,
    path: &Path,
    ix: &Indexes,
) -> Result<Vec<SkillSkill>, EscoError> {
    Ok(read_relations(
        r,
        path,
        ("originalSkillUri", &ix.skills),
        ("relatedSkillUri", &ix.skills),
        "skill",
    )?
    .into_iter()
    .map(|(from, to, relevance)| SkillSkill {
        from,
        to,
        relevance,
    })
    .collect())
}

/// The skills pillar's hierarchy, whose nodes are skills or skill groups.
fn read_skill_broader(
    r: &mut Reader<'_>,
    path: &Path,
    ix: &Indexes,
) -> Result<Vec<Broader>, EscoError> {
    let mut rows = Vec::new();
    let mut dangling = Vec::new();
    r.read(path, |t| {
        let c = t.column("conceptUri")?;
        let b = t.column("broaderUri")?;
        let file = t.name.clone();
        t.each(|rec, line| {
            let node = |uri: &str| {
                ix.skills
                    .get(uri)
                    .map(|i| ConceptRef::Skill(*i))
                    .or_else(|| ix.skill_groups.get(uri).map(|i| ConceptRef::SkillGroup(*i)))
            };
            match (node(get(rec, c)), node(get(rec, b))) {
                (Some(narrower), Some(broader)) => rows.push(Broader { narrower, broader }),
                _ => dangling.push((file.clone(), line)),
            }
            Ok(())
        })
    })?;
    for (f, l) in dangling {
        r.dangling(&f, l, "skill or skill group");
    }
    Ok(rows)
}

/// `(occupation, broader occupation)` pairs; rows naming unknown occupations are ignored.
fn read_occupation_broader(
    r: &mut Reader<'_>,
    path: &Path,
    ix: &Indexes,
) -> Result<Vec<(u32, u32)>, EscoError> {
    let mut links = Vec::new();
    r.read(path, |t| {
        let c = t.column("conceptUri")?;
        let b = t.column("broaderUri")?;
        t.each(|rec, _| {
            if let (Some(&o), Some(&broader)) = (
                ix.occupations.get(get(rec, c)),
                ix.occupations.get(get(rec, b)),
            ) {
                links.push((o, broader));
            }
            Ok(())
        })
    })?;
    Ok(links)
}

fn link_broader_occupations(occupations: &mut [OccupationRecord], links: Vec<(u32, u32)>) {
    for (o, broader) in links {
        if let Some(occ) = occupations.get_mut(o as usize) {
            occ.broader = Some(broader);
        }
    }
}

/// Collections (`<key>SkillsCollection_<lang>.csv`). Their files also carry the alternative
/// labels (one per line) that the skills file may lack; those are added to `skills`.
fn read_collections(
    r: &mut Reader<'_>,
    files: &Files,
    ix: &Indexes,
    skills: &mut [SkillRecord],
) -> Result<Vec<Collection>, EscoError> {
    let mut collections: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    let stems = files.by_stem.keys().filter(|s| s.ends_with("Collection"));
    for stem in stems {
        let key = stem
            .trim_end_matches("Collection")
            .trim_end_matches("Skills")
            .to_ascii_lowercase();
        for (lang, path) in files.per_language(stem) {
            let file = read_collection_file(r, path, ix)?;
            collections
                .entry(key.clone())
                .or_default()
                .extend(file.members);
            add_missing_alt_labels(skills, lang, file.alt_labels);
        }
    }
    Ok(collections
        .into_iter()
        .map(|(key, skills)| Collection {
            key,
            skills: skills.into_iter().collect(),
        })
        .collect())
}

/// The known skills of one collection file, and their alternative labels if it has them.
struct CollectionFile {
    members: Vec<u32>,
    alt_labels: Vec<(u32, Vec<String>)>,
}

fn read_collection_file(
    r: &mut Reader<'_>,
    path: &Path,
    ix: &Indexes,
) -> Result<CollectionFile, EscoError> {
    let mut members = Vec::new();
    let mut alts = Vec::new();
    r.read(path, |t| {
        let uri = t.column("conceptUri")?;
        let alt = t.optional("altLabels");
        t.each(|rec, _| {
            if let Some(&s) = ix.skills.get(get(rec, uri)) {
                members.push(s);
                if let Some(c) = alt {
                    alts.push((s, split_labels(get(rec, c))));
                }
            }
            Ok(())
        })
    })?;
    Ok(CollectionFile {
        members,
        alt_labels: alts,
    })
}

/// Alternative labels for skills whose texts in `lang` have none yet.
fn add_missing_alt_labels(skills: &mut [SkillRecord], lang: &str, alts: Vec<(u32, Vec<String>)>) {
    for (s, labels) in alts {
        if let Some(skill) = skills.get_mut(s as usize) {
            let i = texts_entry(&mut skill.texts, lang);
            if skill.texts[i].alt.is_empty() {
                skill.texts[i].alt = labels;
            }
        }
    }
}

/// Texts created only by a collection file carry no preferred label; drop those husks.
fn drop_empty_texts(skills: &mut [SkillRecord]) {
    for s in skills {
        s.texts
            .retain(|t| !t.preferred.is_empty() || !t.alt.is_empty() || !t.description.is_empty());
    }
}
