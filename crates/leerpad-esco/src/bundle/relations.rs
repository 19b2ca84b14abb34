//! The relation files of the bundle (occupation–skill, skill–skill and the two broader
//! hierarchies), resolved from URIs to positions in [`TaxonomyData`]; rows naming concepts
//! the bundle does not define are skipped (and, outside the occupation hierarchy, reported).

use super::table::get;
use super::{EscoError, Reader};
use leerpad_domain::taxonomy::{
    Broader, ConceptRef, OccupationRecord, OccupationSkill, Relevance, SkillSkill, TaxonomyData,
};
use std::collections::HashMap;
use std::path::Path;

/// The position of each concept in [`TaxonomyData`], by URI, to resolve the relation files.
pub(super) struct Indexes {
    pub(super) skills: HashMap<String, u32>,
    occupations: HashMap<String, u32>,
    skill_groups: HashMap<String, u32>,
}

impl Indexes {
    pub(super) fn of(data: &TaxonomyData) -> Indexes {
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

/// Occupation → skill relations, sorted, one per pair.
pub(super) fn read_occupation_skills(
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
pub(super) fn read_skill_skills(
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
pub(super) fn read_skill_broader(
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
pub(super) fn read_occupation_broader(
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

pub(super) fn link_broader_occupations(
    occupations: &mut [OccupationRecord],
    links: Vec<(u32, u32)>,
) {
    for (o, broader) in links {
        if let Some(occ) = occupations.get_mut(o as usize) {
            occ.broader = Some(broader);
        }
    }
}
