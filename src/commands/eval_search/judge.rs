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
//! An assessor's grade for a query and an occupation (`search-judgments.tsv`, made from the
//! pooled results of both engines) takes the place of the first rule for that pair.
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

/// The splits of the judged queries: `tune` is looked at while search is built, `holdout`
/// only reported, and `test` was written after the last setting was chosen and is reported
/// apart, so one set stays unseen by every choice made before it.
pub(super) const SPLITS: [&str; 3] = ["tune", "holdout", "test"];

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
            SPLITS.contains(&split.as_str()),
            "{}: line {line}: split: '{split}' is none of tune, holdout, test",
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

/// An assessor's grades of occupations for queries, by query text and occupation.
#[derive(Debug, Default)]
pub(super) struct Assessed(HashMap<(String, OccupationId), u8>);

impl Assessed {
    /// The grades of a TSV file with the columns query, occupation (URI), grade (0 to 3) and
    /// any columns after them (labels for the reader).
    pub(super) fn read(path: &Path, tax: &Taxonomy) -> anyhow::Result<Assessed> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b'\t')
            .quoting(false)
            .flexible(true)
            .from_path(path)
            .with_context(|| format!("reading {}", path.display()))?;
        let mut out = HashMap::new();
        for (i, record) in reader.records().enumerate() {
            let line = i + 2;
            let at = |field: &str| format!("{}: line {line}: {field}", path.display());
            let r = record.with_context(|| at("record"))?;
            let query = r
                .get(0)
                .filter(|q| !q.is_empty())
                .with_context(|| at("query: missing"))?;
            let uri = r.get(1).unwrap_or_default();
            let occupation = tax
                .occupation_id(uri)
                .with_context(|| at(&format!("occupation: no ESCO occupation '{uri}'")))?;
            let grade: u8 = r
                .get(2)
                .and_then(|g| g.parse().ok())
                .filter(|g| *g <= 3)
                .with_context(|| at("grade: not a number from 0 to 3"))?;
            out.insert((query.to_owned(), occupation), grade);
        }
        Ok(Assessed(out))
    }

    fn grade(&self, query: &str, occupation: OccupationId) -> Option<u8> {
        self.0.get(&(query.to_owned(), occupation)).copied()
    }

    pub(super) fn has(&self, query: &str, occupation: OccupationId) -> bool {
        self.grade(query, occupation).is_some()
    }
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
    /// The assessor's grades of occupations for this query.
    assessed: HashMap<OccupationId, u8>,
}

impl Judged {
    pub(super) fn new(
        query: JudgedQuery,
        tax: &Taxonomy,
        truth: &HashMap<String, Truth>,
        assessed: &Assessed,
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
        let assessed = assessed
            .0
            .iter()
            .filter(|((q, _), _)| *q == query.text)
            .map(|((_, o), g)| (*o, *g))
            .collect();
        let mut judged = Judged {
            query,
            target,
            ideal: Vec::new(),
            relevant: 0,
            assessed,
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
                if let Some(grade) = self.assessed.get(&occupation) {
                    return *grade;
                }
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
                let forms = part_forms(part);
                let has = |text: &str| {
                    text.split(|c: char| !c.is_alphanumeric()).any(|w| {
                        forms
                            .iter()
                            .any(|f| w.starts_with(f.as_str()) || w.ends_with(f.as_str()))
                    })
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

/// A compound part as it occurs in words: itself, its plural or linking forms at the start
/// ("evenementlocatie" for "evenementen", "machines" for "machine") and, for a plural, its
/// singular.
fn part_forms(part: &str) -> Vec<String> {
    let mut forms = vec![part.to_owned()];
    for ending in ["s", "en", "e", "n"] {
        forms.push(format!("{part}{ending}"));
    }
    for ending in ["en", "s"] {
        if let Some(singular) = part.strip_suffix(ending).filter(|s| s.chars().count() >= 4) {
            forms.push(singular.to_owned());
        }
    }
    forms
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
    use super::{Kind, ndcg_at_10, part_forms, read_queries};

    #[test]
    fn queries_are_read_with_their_split_and_a_bad_split_names_its_line() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("q.tsv");
        let head = "type\tquery\trelevant\tsplit\n";
        std::fs::write(
            &path,
            format!("{head}free\tbus rijden\thttp://o/1\ttest\nskill\tlassen\thttp://s/1\ttune\n"),
        )
        .expect("write");
        let read = read_queries(&path).expect("valid queries");
        assert_eq!(read.len(), 2);
        assert!(read[0].kind == Kind::Free && read[0].split == "test");
        std::fs::write(
            &path,
            format!("{head}free\tbus rijden\thttp://o/1\tlater\n"),
        )
        .expect("write");
        let error = read_queries(&path)
            .expect_err("an unknown split")
            .to_string();
        assert!(error.contains("line 2: split: 'later'"), "{error}");
    }

    #[test]
    fn a_part_is_found_in_its_plural_and_linking_forms() {
        let forms = part_forms("evenementen");
        assert!(
            forms
                .iter()
                .any(|f| "evenementlocaties".starts_with(f.as_str()))
        );
        assert!(
            part_forms("machine")
                .iter()
                .any(|f| "bouwmachines".ends_with(f.as_str()))
        );
        assert!(!part_forms("huis").iter().any(|f| f == "hui"));
    }

    #[test]
    fn ndcg_is_one_for_the_ideal_order_and_less_otherwise() {
        assert!((ndcg_at_10(&[3, 2, 0], &[3, 2]) - 1.0).abs() < 1e-9);
        let swapped = ndcg_at_10(&[2, 3], &[3, 2]);
        assert!(swapped < 1.0 && swapped > 0.5, "{swapped}");
        assert_eq!(ndcg_at_10(&[0, 0], &[3]), 0.0);
        assert_eq!(ndcg_at_10(&[], &[]), 0.0);
    }
}
