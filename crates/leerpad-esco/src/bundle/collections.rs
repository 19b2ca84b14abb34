//! The skill collections of the bundle (`<key>SkillsCollection_<lang>.csv`), whose files also
//! carry alternative labels that the skills files may lack.

use super::concepts::texts_entry;
use super::relations::Indexes;
use super::table::{get, split_labels};
use super::{EscoError, Files, Reader};
use leerpad_domain::taxonomy::{Collection, SkillRecord};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Collections (`<key>SkillsCollection_<lang>.csv`). Their files also carry the alternative
/// labels (one per line) that the skills file may lack; those are added to `skills`.
pub(super) fn read_collections(
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
pub(super) fn drop_empty_texts(skills: &mut [SkillRecord]) {
    for s in skills {
        s.texts
            .retain(|t| !t.preferred.is_empty() || !t.alt.is_empty() || !t.description.is_empty());
    }
}
