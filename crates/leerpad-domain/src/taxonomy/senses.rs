//! What the words of a search mean, beyond the words the taxonomy itself uses: "juf" and
//! "meester" are about teaching, "winkel" about shop work, although no occupation's Dutch
//! name holds "juf". Each common Dutch word, and each occupation's Dutch name with its first
//! synonyms, has a vector from a multilingual sentence-embedding model (multilingual-e5-small),
//! made once offline and shipped as data (`data/esco/word-senses.bin.gz`, see
//! `data/esco/README.md`). A query's vector is the mean of its words' vectors, so a search costs
//! a few thousand dot products and no model has to run.

use super::Taxonomy;
use super::text::tokens;
use rustc_hash::FxHashMap as HashMap;

/// The vectors as shipped: one row per word and one per occupation (by URI), quantised to
/// `i8` with a scale per row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SensesData {
    pub dims: usize,
    pub words: Vec<String>,
    pub occupations: Vec<String>,
    /// One scale per row: words first, then occupations.
    pub scales: Vec<f32>,
    /// `dims` values per row, in the order of `scales`.
    pub values: Vec<i8>,
}

/// The vectors of the words and of the occupations of one taxonomy.
#[derive(Debug, Default)]
pub struct WordSenses {
    dims: usize,
    /// Folded word → its row in `word_values`.
    words: HashMap<String, u32>,
    /// Kept quantised (a query reads only a few rows): `dims` values and one scale per row.
    word_values: Vec<i8>,
    word_scales: Vec<f32>,
    /// One unit-length row per occupation of the taxonomy; zeros for one without a vector.
    occupation_vectors: Vec<f32>,
}

impl WordSenses {
    /// Match the shipped rows to `taxonomy`'s occupations by URI; occupations the data does
    /// not know get no vector, and so never come up by sense.
    pub fn new(data: &SensesData, taxonomy: &Taxonomy) -> WordSenses {
        let dims = data.dims;
        // Row `i` as shipped (words first, then occupations): its values and scale.
        let row = |i: usize| {
            Some((
                data.values.get(i * dims..(i + 1) * dims)?,
                *data.scales.get(i)?,
            ))
        };
        let mut senses = WordSenses {
            dims,
            ..Default::default()
        };
        for (i, word) in data.words.iter().enumerate() {
            let Some(folded) = tokens(word).into_iter().next() else {
                continue;
            };
            if senses.words.contains_key(&folded) {
                continue;
            }
            let Some((values, scale)) = row(i) else {
                continue;
            };
            senses.words.insert(folded, senses.word_scales.len() as u32);
            senses.word_values.extend_from_slice(values);
            senses.word_scales.push(scale);
        }
        let occupations = taxonomy.occupations().len();
        senses.occupation_vectors = vec![0.0; occupations * dims];
        for (j, uri) in data.occupations.iter().enumerate() {
            let (Some(id), Some((values, scale))) =
                (taxonomy.occupation_id(uri), row(data.words.len() + j))
            else {
                continue;
            };
            let mut v: Vec<f32> = values.iter().map(|&x| f32::from(x) * scale).collect();
            normalise(&mut v);
            let at = id as usize * dims;
            senses.occupation_vectors[at..at + dims].copy_from_slice(&v);
        }
        senses
    }

    /// How close each occupation is to the mean sense of `words` (folded words that say
    /// something of work): cosine per occupation, or `None` when no word is known.
    pub fn closeness(&self, words: &[String]) -> Option<Vec<f32>> {
        if self.dims == 0 {
            return None;
        }
        let mut query = vec![0.0f32; self.dims];
        let mut known = 0;
        for word in words {
            let Some(&row) = self.words.get(word) else {
                continue;
            };
            let at = row as usize * self.dims;
            let scale = self.word_scales[row as usize];
            for (q, &w) in query.iter_mut().zip(&self.word_values[at..at + self.dims]) {
                *q += f32::from(w) * scale;
            }
            known += 1;
        }
        if known == 0 {
            return None;
        }
        normalise(&mut query);
        Some(
            self.occupation_vectors
                .chunks_exact(self.dims)
                .map(|o| o.iter().zip(&query).map(|(a, b)| a * b).sum())
                .collect(),
        )
    }

    /// Whether `word` (folded) has a vector.
    pub fn knows(&self, word: &str) -> bool {
        self.words.contains_key(word)
    }

    /// How many occupations there are vectors for (rows of the taxonomy's size).
    #[cfg(test)]
    pub fn occupations(&self) -> usize {
        self.occupation_vectors.len() / self.dims.max(1)
    }
}

fn normalise(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}
