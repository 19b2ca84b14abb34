//! Dutch compounds, found in the index's own vocabulary. Dutch writes compounds as one word
//! ("ouderenzorg", "heftruckchauffeur"), so a search for a part ("zorg", "heftruck") would miss
//! them. Every Dutch term of the index that splits into two known parts (with an optional
//! linking "s", "e", "en" or "n" between them: "ouder·en·zorg") is listed under both parts: as
//! a *kind of* its last part (the head) and as a compound *with* its first part. A query word
//! then also matches its compounds, the heads nearly as well as the word itself.
//!
//! The map is built from the term dictionaries of the current segments on the first search
//! after they change; searches meanwhile keep using the previous map.

use crate::schema::Fields;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::{Arc, Mutex, RwLock};
use tantivy::Searcher;
use tantivy::index::SegmentId;

/// Shortest part, in characters.
const MIN_PART: usize = 3;
/// Shortest first part found on its own, in characters.
const MIN_MODIFIER: usize = 4;
/// Compounds kept per part: the ones in most documents.
const MAX_PER_PART: usize = 24;
const LINKERS: [&str; 4] = ["en", "s", "e", "n"];

/// A compound of a query word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Compound {
    pub(crate) term: String,
    /// The word is the compound's last part: the compound is a kind of it.
    pub(crate) head: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Compounds {
    by_part: HashMap<String, Vec<Compound>>,
}

impl Compounds {
    /// Compounds of an analysed Dutch term, most common first.
    pub(crate) fn of(&self, term: &str) -> &[Compound] {
        self.by_part.get(term).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Build from a vocabulary of analysed terms with their document frequencies.
    pub(crate) fn from_vocabulary(vocabulary: &HashMap<String, u32>) -> Compounds {
        let known = |part: &str| {
            vocabulary.contains_key(part)
                || LINKERS.iter().any(|l| {
                    part.strip_suffix(l).is_some_and(|p| {
                        p.chars().count() >= MIN_PART && vocabulary.contains_key(p)
                    })
                })
        };
        let mut found: HashMap<String, Vec<(u32, Compound)>> = HashMap::default();
        for (term, freq) in vocabulary {
            let chars: Vec<(usize, char)> = term.char_indices().collect();
            if chars.len() < 2 * MIN_PART + 1 || !chars.iter().all(|(_, c)| c.is_alphabetic()) {
                continue;
            }
            let mut seen: HashSet<&str> = HashSet::default();
            for &(at, _) in &chars[MIN_PART..=chars.len() - MIN_PART] {
                let (first, last) = term.split_at(at);
                if !vocabulary.contains_key(last) {
                    continue;
                }
                // A kind of `last` only when `first` is a word too ("ouder·en·zorg", not
                // "ver·zorg"); a compound *with* `first` whenever `last` is a word, as a part
                // typed alone ("heftruck") may occur nowhere else.
                if known(first) && seen.insert(last) {
                    found.entry(last.to_owned()).or_default().push((
                        *freq,
                        Compound {
                            term: term.clone(),
                            head: true,
                        },
                    ));
                }
                // The first part as written, and without its linking letters.
                let mut firsts = vec![first];
                firsts.extend(LINKERS.iter().filter_map(|l| {
                    first
                        .strip_suffix(l)
                        .filter(|p| p.chars().count() >= MIN_PART)
                }));
                for f in firsts {
                    if f.chars().count() >= MIN_MODIFIER && seen.insert(f) {
                        found.entry(f.to_owned()).or_default().push((
                            *freq,
                            Compound {
                                term: term.clone(),
                                head: false,
                            },
                        ));
                    }
                }
            }
        }
        let by_part = found
            .into_iter()
            .map(|(part, mut list)| {
                list.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.term.cmp(&b.1.term)));
                list.truncate(MAX_PER_PART);
                (part, list.into_iter().map(|(_, c)| c).collect())
            })
            .collect();
        Compounds { by_part }
    }
}

/// The compounds of the current segments, rebuilt when they change.
#[derive(Debug, Default)]
pub(crate) struct CompoundCache {
    current: RwLock<Option<(Vec<SegmentId>, Arc<Compounds>)>>,
    building: Mutex<()>,
}

impl CompoundCache {
    pub(crate) fn get(&self, searcher: &Searcher, fields: &Fields) -> Arc<Compounds> {
        let mut segments: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        segments.sort();
        let stale = match self.current.read() {
            Ok(guard) => match guard.as_ref() {
                Some((ids, map)) if *ids == segments => return map.clone(),
                Some((_, map)) => Some(map.clone()),
                None => None,
            },
            Err(_) => None,
        };
        // One search rebuilds; the others go on with the previous map, if there is one.
        let Ok(_building) = (match &stale {
            Some(_) => self.building.try_lock().map_err(|_| ()),
            None => self.building.lock().map_err(|_| ()),
        }) else {
            return stale.unwrap_or_default();
        };
        if let Ok(guard) = self.current.read()
            && let Some((ids, map)) = guard.as_ref()
            && *ids == segments
        {
            return map.clone();
        }
        let map = Arc::new(Compounds::from_vocabulary(&vocabulary(searcher, fields)));
        if let Ok(mut guard) = self.current.write() {
            *guard = Some((segments, map.clone()));
        }
        map
    }
}

/// The analysed Dutch terms of titles, skills and descriptions with their document counts.
fn vocabulary(searcher: &Searcher, fields: &Fields) -> HashMap<String, u32> {
    let mut out: HashMap<String, u32> = HashMap::default();
    for segment in searcher.segment_readers() {
        for field in fields.dutch_stemmed() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                *out.entry(term.to_owned()).or_default() += stream.value().doc_freq;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab(words: &[(&str, u32)]) -> HashMap<String, u32> {
        words.iter().map(|(w, n)| ((*w).to_owned(), *n)).collect()
    }

    #[test]
    fn parts_find_their_compounds() {
        let c = Compounds::from_vocabulary(&vocab(&[
            ("zorg", 50),
            ("ouder", 10),
            ("ouderenzorg", 7),
            ("thuiszorg", 9),
            ("thuis", 3),
            ("heftruck", 2),
            ("chauffeur", 20),
            ("heftruckchauffeur", 30),
            ("verzorg", 40),
        ]));
        let zorg: Vec<(&str, bool)> = c
            .of("zorg")
            .iter()
            .map(|x| (x.term.as_str(), x.head))
            .collect();
        assert_eq!(zorg, vec![("thuiszorg", true), ("ouderenzorg", true)]);
        let heftruck: Vec<&str> = c.of("heftruck").iter().map(|x| x.term.as_str()).collect();
        assert_eq!(heftruck, vec!["heftruckchauffeur"]);
        assert!(!c.of("heftruck")[0].head);
        assert_eq!(c.of("chauffeur")[0].term, "heftruckchauffeur");
        // "verzorg" is not "ver" + "zorg": "ver" is no word of the vocabulary.
        assert!(c.of("zorg").iter().all(|x| x.term != "verzorg"));
    }
}
