//! Autocomplete over skills and occupations: by prefix, by whole words, with typo tolerance,
//! over preferred and alternative labels in every language the taxonomy has.
//!
//! Ranking: exact label before label prefix before word matches before fuzzy matches; then
//! labels in the asked language, preferred before alternative labels, and (for skills) broadly
//! used skills before niche ones.

use super::text::{LevenshteinRows, levenshtein_chars, tokens};
use super::{OccupationId, SkillId, Taxonomy, TaxonomyData, Texts};
use crate::shared::fold;
use rustc_hash::FxHashMap as HashMap;

/// Which pillar to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConceptKind {
    Skill,
    Occupation,
}

/// How well a label matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchTier {
    Exact,
    Prefix,
    Words,
    Fuzzy,
}

#[derive(Debug)]
struct Entry {
    kind: ConceptKind,
    concept: u32,
    lang: String,
    preferred: bool,
    label: String,
    folded: String,
}

/// The token index behind [`Taxonomy::lookup`].
#[derive(Debug, Default)]
pub struct LookupIndex {
    entries: Vec<Entry>,
    /// Sorted tokens with the entries containing them.
    vocab: Vec<(String, Vec<u32>)>,
    /// The same tokens as characters, for the typo scan.
    vocab_chars: Vec<Vec<char>>,
    skill_breadth: Vec<u32>,
}

/// One result of a lookup.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LookupHit {
    pub concept: u32,
    pub tier: MatchTier,
    /// The label that matched (it may be an alternative label or in another language).
    pub matched_label: String,
    pub matched_lang: String,
    pub matched_preferred: bool,
}

fn label_entries(kind: ConceptKind, concept: u32, texts: &[Texts], out: &mut Vec<Entry>) {
    for t in texts {
        let labels = std::iter::once((&t.preferred, true)).chain(t.alt.iter().map(|a| (a, false)));
        for (label, preferred) in labels {
            if !label.trim().is_empty() {
                out.push(Entry {
                    kind,
                    concept,
                    lang: t.lang.clone(),
                    preferred,
                    label: label.trim().to_owned(),
                    folded: fold(label.trim()),
                });
            }
        }
    }
}

impl LookupIndex {
    pub(crate) fn build(
        data: &TaxonomyData,
        skill_occupations: &[Vec<(OccupationId, super::Relevance)>],
    ) -> Self {
        let mut entries = Vec::new();
        for (i, s) in data.skills.iter().enumerate() {
            label_entries(ConceptKind::Skill, i as u32, &s.texts, &mut entries);
        }
        for (i, o) in data.occupations.iter().enumerate() {
            label_entries(ConceptKind::Occupation, i as u32, &o.texts, &mut entries);
        }
        let mut postings: HashMap<String, Vec<u32>> = HashMap::default();
        for (i, e) in entries.iter().enumerate() {
            for t in tokens(&e.folded) {
                let list = postings.entry(t).or_default();
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
        }
        let mut vocab: Vec<(String, Vec<u32>)> = postings.into_iter().collect();
        vocab.sort_by(|a, b| a.0.cmp(&b.0));
        let skill_breadth = skill_occupations.iter().map(|v| v.len() as u32).collect();
        let vocab_chars = vocab.iter().map(|(t, _)| t.chars().collect()).collect();
        LookupIndex {
            entries,
            vocab,
            vocab_chars,
            skill_breadth,
        }
    }

    /// Entries whose labels contain a token matching `q`, with the match quality
    /// (0 = the token, 1 = a token starting with it, 2 = a token within a small edit distance).
    fn token_matches(&self, q: &str, allow_prefix: bool) -> HashMap<u32, u8> {
        let mut found: HashMap<u32, u8> = HashMap::default();
        let mut add = |ids: &[u32], quality: u8| {
            for id in ids {
                let e = found.entry(*id).or_insert(quality);
                *e = (*e).min(quality);
            }
        };
        let start = self.vocab.partition_point(|(t, _)| t.as_str() < q);
        let mut any = false;
        let prefix_cap = if q.chars().count() < 2 { 50 } else { 5_000 };
        for (i, (token, ids)) in self.vocab[start..].iter().enumerate() {
            if !token.starts_with(q) {
                break;
            }
            if token == q {
                add(ids, 0);
                any = true;
            } else if allow_prefix && i < prefix_cap {
                add(ids, 1);
                any = true;
            }
        }
        let q_chars: Vec<char> = q.chars().collect();
        let n = q_chars.len();
        if !any && n >= 4 {
            let max = if n >= 8 { 2 } else { 1 };
            let mut rows = LevenshteinRows::default();
            for ((_, ids), chars) in self.vocab.iter().zip(&self.vocab_chars) {
                // A typo in both of the first two letters is rare; skipping those words keeps
                // the scan of the whole vocabulary cheap.
                if chars.first() != q_chars.first() && chars.get(1) != q_chars.get(1) {
                    continue;
                }
                let tn = chars.len();
                let whole = tn.abs_diff(n) <= max
                    && levenshtein_chars(&q_chars, chars, max, &mut rows) <= max;
                // While typing, the last word may be an unfinished, misspelt word.
                let partial = !whole
                    && allow_prefix
                    && tn > n
                    && levenshtein_chars(&q_chars, &chars[..n], max, &mut rows) <= max;
                if whole || partial {
                    add(ids, 2);
                }
            }
        }
        found
    }

    /// Concepts of `kind` matching `query`, best first.
    pub fn search(
        &self,
        kind: ConceptKind,
        query: &str,
        lang: &str,
        limit: usize,
    ) -> Vec<LookupHit> {
        let folded_query = fold(query.trim());
        let q_tokens = tokens(&folded_query);
        if q_tokens.is_empty() || limit == 0 {
            return Vec::new();
        }
        // Intersect per-token matches, smallest candidate set first.
        let last = q_tokens.len() - 1;
        let mut per_token: Vec<HashMap<u32, u8>> = q_tokens
            .iter()
            .enumerate()
            .map(|(i, t)| self.token_matches(t, i == last))
            .collect();
        per_token.sort_by_key(HashMap::len);
        let Some((first, rest)) = per_token.split_first() else {
            return Vec::new();
        };
        let mut best: HashMap<u32, (MatchTier, bool, bool, u32)> = HashMap::default();
        for (&entry_id, &q0) in first {
            let Some(entry) = self.entries.get(entry_id as usize) else {
                continue;
            };
            if entry.kind != kind {
                continue;
            }
            let mut worst = q0;
            let mut all = true;
            for m in rest {
                match m.get(&entry_id) {
                    Some(q) => worst = worst.max(*q),
                    None => {
                        all = false;
                        break;
                    }
                }
            }
            if !all {
                continue;
            }
            let tier = if entry.folded == folded_query {
                MatchTier::Exact
            } else if entry.folded.starts_with(&folded_query) {
                MatchTier::Prefix
            } else if worst <= 1 {
                MatchTier::Words
            } else {
                MatchTier::Fuzzy
            };
            let candidate = (tier, entry.lang != lang, !entry.preferred, entry_id);
            best.entry(entry.concept)
                .and_modify(|b| {
                    if (candidate.0, candidate.1, candidate.2) < (b.0, b.1, b.2) {
                        *b = candidate;
                    }
                })
                .or_insert(candidate);
        }
        let mut hits: Vec<(u32, (MatchTier, bool, bool, u32))> = best.into_iter().collect();
        hits.sort_by(|(ca, a), (cb, b)| {
            let breadth = |c: &u32| match kind {
                ConceptKind::Skill => self.skill_breadth.get(*c as usize).copied().unwrap_or(0),
                ConceptKind::Occupation => 0,
            };
            let len = |e: u32| {
                self.entries
                    .get(e as usize)
                    .map(|e| e.folded.len())
                    .unwrap_or(usize::MAX)
            };
            (a.0, a.1, a.2)
                .cmp(&(b.0, b.1, b.2))
                .then_with(|| breadth(cb).cmp(&breadth(ca)))
                .then_with(|| len(a.3).cmp(&len(b.3)))
                .then_with(|| ca.cmp(cb))
        });
        hits.into_iter()
            .take(limit)
            .filter_map(|(concept, (tier, _, _, entry_id))| {
                let e = self.entries.get(entry_id as usize)?;
                Some(LookupHit {
                    concept,
                    tier,
                    matched_label: e.label.clone(),
                    matched_lang: e.lang.clone(),
                    matched_preferred: e.preferred,
                })
            })
            .collect()
    }
}

impl Taxonomy {
    /// Skills matching a typed query, best first.
    pub fn lookup_skills(
        &self,
        query: &str,
        lang: &str,
        limit: usize,
    ) -> Vec<(SkillId, LookupHit)> {
        self.lookup
            .search(ConceptKind::Skill, query, lang, limit)
            .into_iter()
            .map(|h| (h.concept, h))
            .collect()
    }

    /// Occupations matching a typed query, best first.
    pub fn lookup_occupations(
        &self,
        query: &str,
        lang: &str,
        limit: usize,
    ) -> Vec<(OccupationId, LookupHit)> {
        self.lookup
            .search(ConceptKind::Occupation, query, lang, limit)
            .into_iter()
            .map(|h| (h.concept, h))
            .collect()
    }
}
