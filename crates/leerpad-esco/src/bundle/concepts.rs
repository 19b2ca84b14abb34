//! The concept files of the bundle (skills, occupations, ISCO groups and skill groups): one
//! file per language, merged by URI into one record per concept with texts per language.

use super::table::{Table, get, get_optional, split_labels};
use super::{EscoError, Reader};
use leerpad_domain::taxonomy::{ConceptRecord, OccupationRecord, SkillRecord, Texts};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The concepts of one kind from their per-language files, in URI order: `rows` reads one
/// file's rows in its language into the records found so far.
pub(super) fn read_concepts<T>(
    r: &mut Reader<'_>,
    files: &[(String, PathBuf)],
    mut rows: impl FnMut(&mut Table, &str, &mut BTreeMap<String, T>) -> Result<u64, EscoError>,
) -> Result<Vec<T>, EscoError> {
    let mut concepts: BTreeMap<String, T> = BTreeMap::new();
    for (lang, path) in files {
        r.read(path, |t| rows(t, lang, &mut concepts))?;
    }
    Ok(concepts.into_values().collect())
}

/// The texts in `lang` of a concept, added empty when it has none yet.
pub(super) fn texts_entry(texts: &mut Vec<Texts>, lang: &str) -> usize {
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

/// Rows of `skills_<lang>.csv`.
pub(super) fn skill_rows(
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
            skill.skill_type = get_optional(rec, stype).to_owned();
        }
        if skill.reuse_level.is_empty() {
            skill.reuse_level = get_optional(rec, reuse).to_owned();
        }
        let i = texts_entry(&mut skill.texts, lang);
        let t = &mut skill.texts[i];
        t.preferred = get(rec, pref).to_owned();
        t.alt = split_labels(get_optional(rec, alt));
        t.alt_text = get_optional(rec, alt_text).to_owned();
        t.description = get_optional(rec, desc).to_owned();
        Ok(())
    })
}

/// Rows of `occupations_<lang>.csv`.
pub(super) fn occupation_rows(
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
            occ.isco_code = get_optional(rec, isco).to_owned();
        }
        if occ.code.is_empty() {
            occ.code = get_optional(rec, code).to_owned();
        }
        let i = texts_entry(&mut occ.texts, lang);
        let t = &mut occ.texts[i];
        t.preferred = get(rec, pref).to_owned();
        t.alt = split_labels(get_optional(rec, alt));
        t.description = get_optional(rec, desc).to_owned();
        Ok(())
    })
}

/// Rows of `ISCOGroups_<lang>.csv` or `skillGroups_<lang>.csv`: code and labels.
pub(super) fn group_rows(
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
            g.code = get_optional(rec, code).to_owned();
        }
        let i = texts_entry(&mut g.texts, lang);
        g.texts[i].preferred = get(rec, pref).to_owned();
        g.texts[i].alt = split_labels(get_optional(rec, alt));
        Ok(())
    })
}
