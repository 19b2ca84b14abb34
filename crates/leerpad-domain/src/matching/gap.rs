//! The skill gap between a person and an occupation: what the occupation asks that the person
//! does not have yet, grouped by the ESCO skills hierarchy so a long list stays readable.

use crate::taxonomy::{ConceptRef, OccupationId, Relevance, SkillId, Taxonomy};
use serde::Serialize;
use std::collections::HashMap;

/// Missing skills of one branch of the hierarchy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapGroup {
    /// Index of the ESCO skill group; `None` for skills outside the hierarchy.
    pub group: Option<u32>,
    pub missing_essential: Vec<SkillId>,
    pub missing_optional: Vec<SkillId>,
}

/// What a person has and lacks of an occupation's skills.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillGap {
    pub occupation: OccupationId,
    pub have_essential: Vec<SkillId>,
    pub have_optional: Vec<SkillId>,
    pub missing_essential: Vec<SkillId>,
    pub missing_optional: Vec<SkillId>,
    /// Groups with most missing essential skills first.
    pub groups: Vec<GapGroup>,
}

impl SkillGap {
    pub fn is_closed(&self) -> bool {
        self.missing_essential.is_empty() && self.missing_optional.is_empty()
    }
}

/// Depth of a skill-group code: `S1` 1, `S1.2` 2, `S1.2.3` 3; ISCED-F codes `02` 1, `021` 2,
/// `0211` 3; transversal `T1` 1, `T1.1` 2.
fn group_depth(code: &str) -> usize {
    if code.starts_with(|c: char| c.is_ascii_digit()) {
        code.len().saturating_sub(1)
    } else {
        code.matches('.').count() + 1
    }
}

/// For each skill, the skill group its gap is listed under: the ancestor at depth 2 of the
/// hierarchy (broad enough to gather, narrow enough to mean something), else the shallowest.
pub fn gap_groups(taxonomy: &Taxonomy) -> Vec<Option<u32>> {
    let data = taxonomy.data();
    let mut group_parents: HashMap<u32, Vec<u32>> = HashMap::new();
    for b in &data.skill_broader {
        if let (ConceptRef::SkillGroup(n), ConceptRef::SkillGroup(p)) = (b.narrower, b.broader) {
            group_parents.entry(n).or_default().push(p);
        }
    }
    (0..data.skills.len() as SkillId)
        .map(|skill| {
            let mut seen_skills = vec![skill];
            let mut frontier: Vec<ConceptRef> = taxonomy.broader_of(skill).to_vec();
            let mut groups: Vec<u32> = Vec::new();
            let mut steps = 0;
            while let Some(c) = frontier.pop() {
                steps += 1;
                if steps > 64 {
                    break;
                }
                match c {
                    ConceptRef::Skill(s) if !seen_skills.contains(&s) => {
                        seen_skills.push(s);
                        frontier.extend_from_slice(taxonomy.broader_of(s));
                    }
                    ConceptRef::Skill(_) => {}
                    ConceptRef::SkillGroup(g) if !groups.contains(&g) => {
                        groups.push(g);
                        if let Some(parents) = group_parents.get(&g) {
                            frontier.extend(parents.iter().map(|p| ConceptRef::SkillGroup(*p)));
                        }
                    }
                    ConceptRef::SkillGroup(_) => {}
                }
            }
            let depth = |g: &u32| {
                taxonomy
                    .skill_group(*g)
                    .map_or(usize::MAX, |r| group_depth(&r.code))
            };
            groups
                .iter()
                .copied()
                .filter(|g| depth(g) == 2)
                .min()
                .or_else(|| groups.iter().copied().min_by_key(|g| (depth(g), *g)))
        })
        .collect()
}

/// The gap for `occupation` given the profile's skills (ids, sorted, each once).
pub fn skill_gap(
    taxonomy: &Taxonomy,
    groups_of: &[Option<u32>],
    profile: &[SkillId],
    occupation: OccupationId,
) -> SkillGap {
    let mut gap = SkillGap {
        occupation,
        have_essential: Vec::new(),
        have_optional: Vec::new(),
        missing_essential: Vec::new(),
        missing_optional: Vec::new(),
        groups: Vec::new(),
    };
    let mut by_group: Vec<GapGroup> = Vec::new();
    for (skill, relevance) in taxonomy.skills_of(occupation) {
        let had = profile.binary_search(skill).is_ok();
        match (relevance, had) {
            (Relevance::Essential, true) => gap.have_essential.push(*skill),
            (Relevance::Optional, true) => gap.have_optional.push(*skill),
            (relevance, false) => {
                let group = groups_of.get(*skill as usize).copied().flatten();
                let entry = match by_group.iter().position(|g| g.group == group) {
                    Some(i) => &mut by_group[i],
                    None => {
                        by_group.push(GapGroup {
                            group,
                            missing_essential: Vec::new(),
                            missing_optional: Vec::new(),
                        });
                        let last = by_group.len() - 1;
                        &mut by_group[last]
                    }
                };
                if *relevance == Relevance::Essential {
                    gap.missing_essential.push(*skill);
                    entry.missing_essential.push(*skill);
                } else {
                    gap.missing_optional.push(*skill);
                    entry.missing_optional.push(*skill);
                }
            }
        }
    }
    by_group.sort_by(|a, b| {
        b.missing_essential
            .len()
            .cmp(&a.missing_essential.len())
            .then(b.missing_optional.len().cmp(&a.missing_optional.len()))
            .then(a.group.cmp(&b.group))
    });
    gap.groups = by_group;
    gap
}
