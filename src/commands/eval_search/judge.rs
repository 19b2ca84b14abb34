//! The judged queries and how an offer is graded for one, from what the generator made it to
//! be about (never from its text):
//!
//! - a query for **occupations** (by name, synonym or in free text): 3 when the offer is for one
//!   of them, 2 when it is for another occupation of the same ISCO unit group, else 0;
//! - a **compound part** ("zorg"): 3 when a word of the Dutch name of the offer's occupation
//!   starts or ends with the part (or is it: "thuiszorgmedewerker", "zorghulp"), 2 when a word
//!   of the Dutch name of a skill it teaches does ("computertechniek" for "techniek"), else 0;
//! - a **skill**: 3 when the offer teaches it, 1 when its occupation asks for it, else 0.
//!
//! Grades ≥ 2 count as relevant for P@1.

use anyhow::Context;
use leerpad_domain::taxonomy::{OccupationId, SkillId, Taxonomy};
use std::collections::HashMap;
use std::path::Path;

/// What the generator made an offer to be about.
#[derive(Debug, Clone)]
pub(super) struct Truth {
    pub(super) occupation: Option<OccupationId>,
    pub(super) taught: Vec<SkillId>,
    pub(super) published: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Occupation,
    Synonym,
    Compound,
    Skill,
    Free,
}

impl Kind {
    pub(super) const ALL: [Kind; 5] = [
        Kind::Occupation,
        Kind::Synonym,
        Kind::Compound,
        Kind::Skill,
        Kind::Free,
    ];

    pub(super) fn name(self) -> &'static str {
        match self {
            Kind::Occupation => "occupation",
            Kind::Synonym => "synonym",
            Kind::Compound => "compound",
            Kind::Skill => "skill",
            Kind::Free => "free",
        }
    }
}

#[derive(Debug, Clone)]
pub(super) enum Target {
    Occupations(Vec<OccupationId>),
    /// A part of Dutch compounds, folded.
    Part(String),
    Skill(SkillId),
}

#[derive(Debug, Clone)]
pub(super) struct JudgedQuery {
    pub(super) kind: Kind,
    pub(super) text: String,
    relevant: String,
    pub(super) split: String,
    line: usize,
}

/// The queries of a TSV file with the columns type, query, relevant, split.
pub(super) fn read_queries(path: &Path) -> anyhow::Result<Vec<JudgedQuery>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .quoting(false)
        .from_path(path)
        .with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let r = record.with_context(|| format!("{}: line {line}", path.display()))?;
        let field = |n: usize, name: &str| {
            r.get(n)
                .map(str::to_owned)
                .filter(|v| !v.is_empty())
                .with_context(|| format!("{}: line {line}: {name}: missing", path.display()))
        };
        let kind = match field(0, "type")?.as_str() {
            "occupation" => Kind::Occupation,
            "synonym" => Kind::Synonym,
            "compound" => Kind::Compound,
            "skill" => Kind::Skill,
            "free" => Kind::Free,
            other => anyhow::bail!(
                "{}: line {line}: type: '{other}' is none of occupation, synonym, compound, skill, free",
                path.display()
            ),
        };
        let split = field(3, "split")?;
        anyhow::ensure!(
            split == "tune" || split == "holdout",
            "{}: line {line}: split: '{split}' is neither tune nor holdout",
            path.display()
        );
        out.push(JudgedQuery {
            kind,
            text: field(1, "query")?,
            relevant: field(2, "relevant")?,
            split,
            line,
        });
    }
    Ok(out)
}

/// A query with its target and the ideal grades of the catalogue, best first.
#[derive(Debug, Clone)]
pub(super) struct Judged {
    pub(super) query: JudgedQuery,
    target: Target,
    /// Grades of every published offer that has one, best first.
    pub(super) ideal: Vec<u8>,
    /// Published offers graded 2 or more.
    pub(super) relevant: usize,
}

impl Judged {
    pub(super) fn new(
        query: JudgedQuery,
        tax: &Taxonomy,
        truth: &HashMap<String, Truth>,
    ) -> anyhow::Result<Judged> {
        let at = |what: &str| format!("line {}: relevant: {what}", query.line);
        let target = if let Some(part) = query.relevant.strip_prefix("part:") {
            Target::Part(leerpad_domain::shared::fold(part))
        } else if query.kind == Kind::Skill {
            Target::Skill(
                tax.skill_id(&query.relevant)
                    .with_context(|| at("no ESCO skill has this URI"))?,
            )
        } else {
            Target::Occupations(
                query
                    .relevant
                    .split_whitespace()
                    .map(|uri| {
                        tax.occupation_id(uri)
                            .with_context(|| at(&format!("no ESCO occupation {uri}")))
                    })
                    .collect::<anyhow::Result<_>>()?,
            )
        };
        let mut judged = Judged {
            query,
            target,
            ideal: Vec::new(),
            relevant: 0,
        };
        let mut ideal: Vec<u8> = truth
            .values()
            .filter(|t| t.published)
            .map(|t| judged.grade(t, tax))
            .filter(|g| *g > 0)
            .collect();
        ideal.sort_unstable_by(|a, b| b.cmp(a));
        judged.relevant = ideal.iter().filter(|g| **g >= 2).count();
        judged.ideal = ideal;
        Ok(judged)
    }

    pub(super) fn grade(&self, t: &Truth, tax: &Taxonomy) -> u8 {
        let Some(occupation) = t.occupation else {
            return 0;
        };
        match &self.target {
            Target::Occupations(wanted) => {
                if wanted.contains(&occupation) {
                    return 3;
                }
                let group = |o: OccupationId| tax.occupation(o).map(|r| r.isco_code.as_str());
                let own = group(occupation);
                if own.is_some() && wanted.iter().any(|w| group(*w) == own) {
                    2
                } else {
                    0
                }
            }
            Target::Part(part) => {
                let name = tax
                    .occupation(occupation)
                    .and_then(|o| o.texts.iter().find(|t| t.lang == "nl"))
                    .map(|t| leerpad_domain::shared::fold(&t.preferred))
                    .unwrap_or_default();
                let has = |text: &str| {
                    text.split(|c: char| !c.is_alphanumeric())
                        .any(|w| w.starts_with(part.as_str()) || w.ends_with(part.as_str()))
                };
                let teaches = || {
                    t.taught.iter().any(|s| {
                        tax.skill(*s)
                            .and_then(|r| r.texts.iter().find(|t| t.lang == "nl"))
                            .is_some_and(|t| has(&leerpad_domain::shared::fold(&t.preferred)))
                    })
                };
                if has(&name) {
                    3
                } else if teaches() {
                    2
                } else {
                    0
                }
            }
            Target::Skill(skill) => {
                if t.taught.contains(skill) {
                    3
                } else if tax.skills_of(occupation).iter().any(|(s, _)| s == skill) {
                    1
                } else {
                    0
                }
            }
        }
    }
}

/// nDCG@10 with gains 2^grade − 1 and the usual log₂ discount; `ideal` holds the best grades
/// the catalogue has, best first.
pub(super) fn ndcg_at_10(grades: &[u8], ideal: &[u8]) -> f64 {
    let dcg = |g: &[u8]| -> f64 {
        g.iter()
            .take(10)
            .enumerate()
            .map(|(i, g)| (2f64.powi(i32::from(*g)) - 1.0) / ((i as f64) + 2.0).log2())
            .sum()
    };
    let best = dcg(ideal);
    if best == 0.0 { 0.0 } else { dcg(grades) / best }
}

#[cfg(test)]
mod tests {
    use super::ndcg_at_10;

    #[test]
    fn ndcg_is_one_for_the_ideal_order_and_less_otherwise() {
        assert!((ndcg_at_10(&[3, 2, 0], &[3, 2]) - 1.0).abs() < 1e-9);
        let swapped = ndcg_at_10(&[2, 3], &[3, 2]);
        assert!(swapped < 1.0 && swapped > 0.5, "{swapped}");
        assert_eq!(ndcg_at_10(&[0, 0], &[3]), 0.0);
        assert_eq!(ndcg_at_10(&[], &[]), 0.0);
    }
}
