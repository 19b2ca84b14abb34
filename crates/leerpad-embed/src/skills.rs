//! Label embeddings of the taxonomy and the similarity scores the matchers combine with lexical
//! evidence.

use crate::encoder::{EmbedError, Encoder, dot, with_avx2};
use crate::minilm::Precision;
use crate::quant::QuantDense;
use candle_core::{Device, Tensor};
use leerpad_domain::taxonomy::extract::SkillSimilarity;
use leerpad_domain::taxonomy::titles::OccupationSimilarity;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

const BATCH: usize = 64;
/// Skills whose word windows are compared: the best by whole-sentence similarity.
const SPAN_CANDIDATES: usize = 500;
/// Word windows: 3 words every 2 words.
const SPAN_WORDS: usize = 3;
const SPAN_STRIDE: usize = 2;

fn content_key(texts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for t in texts {
        for b in t.as_bytes().iter().chain([&0u8]) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn read_cache(path: &Path, header: &str, rows: usize) -> Option<Vec<f32>> {
    let bytes = std::fs::read(path).ok()?;
    let body = bytes.strip_prefix(header.as_bytes())?;
    if body.len() % 4 != 0 {
        return None;
    }
    let values: Vec<f32> = body
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    (rows > 0 && values.len().is_multiple_of(rows)).then_some(values)
}

/// Embeddings of `texts` as one row-major matrix, read from `cache` when it holds the same
/// texts embedded by the same model, else computed (`progress` gets rows done) and cached.
pub fn label_matrix(
    encoder: &Encoder,
    texts: &[&str],
    cache: Option<&Path>,
    progress: &dyn Fn(usize),
) -> Result<Vec<f32>, EmbedError> {
    let header = format!(
        "LEERPAD-EMB-1 {} {:x} {}\n",
        encoder.fingerprint,
        content_key(texts),
        texts.len()
    );
    if let Some(found) = cache.and_then(|p| read_cache(p, &header, texts.len())) {
        return Ok(found);
    }
    let mut matrix = Vec::new();
    for (i, chunk) in texts.chunks(BATCH).enumerate() {
        for row in encoder.embed(chunk)? {
            matrix.extend(row);
        }
        progress((i * BATCH + chunk.len()).min(texts.len()));
    }
    if let Some(path) = cache {
        let write = || -> std::io::Result<()> {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let tmp = path.with_extension(format!("tmp{}", std::process::id()));
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(header.as_bytes())?;
            for v in &matrix {
                f.write_all(&v.to_le_bytes())?;
            }
            f.sync_all()?;
            std::fs::rename(&tmp, path)
        };
        // A cache that cannot be written only costs time on the next start.
        let _ = write();
    }
    Ok(matrix)
}

/// Label vectors as one matrix, so many texts are compared with all labels in one product: in
/// f32, or in 8 bits like the model's own layers when it runs in 8 bits.
enum LabelMatrix {
    F32 { matrix: Tensor, dim: usize },
    Int8(QuantDense),
}

impl LabelMatrix {
    /// `values`: `rows × dim` unit vectors, row-major.
    fn new(values: &[f32], dim: usize, precision: Precision) -> Option<LabelMatrix> {
        let rows = values.len().checked_div(dim)?;
        Some(match precision {
            Precision::Int8 => LabelMatrix::Int8(QuantDense::new(values, &[], dim, rows)),
            Precision::F32 => LabelMatrix::F32 {
                matrix: Tensor::from_slice(values, (rows, dim), &Device::Cpu).ok()?,
                dim,
            },
        })
    }

    /// Length of a label vector.
    fn dim(&self) -> usize {
        match self {
            LabelMatrix::F32 { dim, .. } => *dim,
            LabelMatrix::Int8(q) => q.inputs(),
        }
    }

    /// Cosine similarities of every row of `vectors` with every label (unit vectors, so dot
    /// products): one row per vector.
    fn similarities(&self, vectors: &[Vec<f32>]) -> Option<Vec<Vec<f32>>> {
        if vectors.is_empty() {
            return Some(Vec::new());
        }
        let dim = self.dim();
        if vectors.iter().any(|v| v.len() != dim) {
            return None;
        }
        let flat: Vec<f32> = vectors.iter().flatten().copied().collect();
        match self {
            LabelMatrix::F32 { matrix, .. } => {
                let v = Tensor::from_vec(flat, (vectors.len(), dim), &Device::Cpu).ok()?;
                v.matmul(&matrix.t().ok()?).ok()?.to_vec2().ok()
            }
            LabelMatrix::Int8(q) => Some(
                q.apply(&flat)
                    .chunks_exact(q.outputs().max(1))
                    .map(<[f32]>::to_vec)
                    .collect(),
            ),
        }
    }
}

/// Semantic similarity of text to each skill's preferred label.
pub struct SemanticSkills {
    encoder: Arc<Encoder>,
    labels: Vec<f32>,
    /// The same labels as a matrix, for batches.
    matrix: Option<LabelMatrix>,
    dim: usize,
}

impl SemanticSkills {
    pub fn new(encoder: Arc<Encoder>, labels: Vec<f32>, skills: usize) -> Self {
        let dim = labels.len().checked_div(skills).unwrap_or(0);
        SemanticSkills {
            matrix: LabelMatrix::new(&labels, dim, encoder.precision()),
            encoder,
            labels,
            dim,
        }
    }

    /// Sharpen whole-sentence similarities with the best word window, for the strongest
    /// candidates only.
    fn with_spans(&self, mut sims: Vec<f32>, spans: &[Vec<f32>]) -> Vec<f32> {
        let n = sims.len();
        if spans.is_empty() || n == 0 {
            return sims;
        }
        let mut order: Vec<usize> = (0..n).collect();
        order.select_nth_unstable_by(SPAN_CANDIDATES.min(n.saturating_sub(1)), |a, b| {
            sims[*b].total_cmp(&sims[*a])
        });
        with_avx2(
            #[inline(always)]
            || {
                for &i in order.iter().take(SPAN_CANDIDATES) {
                    let row = self.row(i);
                    let best_span = spans.iter().map(|s| dot(s, row)).fold(f32::MIN, f32::max);
                    let s = sims[i];
                    sims[i] = 0.5 * (s + s.max(best_span));
                }
            },
        );
        sims
    }

    fn row(&self, i: usize) -> &[f32] {
        self.labels
            .get(i * self.dim..(i + 1) * self.dim)
            .unwrap_or(&[])
    }
}

impl SkillSimilarity for SemanticSkills {
    /// 0.5 × (sentence similarity + the better of sentence and best word-window similarity),
    /// windows compared only for the strongest candidates.
    fn similarities(&self, sentence: &str) -> Option<Vec<f32>> {
        self.similarities_batch(&[sentence])?.pop()
    }

    fn similarities_batch(&self, sentences: &[&str]) -> Option<Vec<Vec<f32>>> {
        let embedded = self
            .encoder
            .embed_with_spans_batch(sentences, SPAN_WORDS, SPAN_STRIDE)
            .ok()?;
        let wholes: Vec<Vec<f32>> = embedded.iter().map(|(w, _)| w.clone()).collect();
        let rows = self.matrix.as_ref()?.similarities(&wholes)?;
        Some(
            rows.into_iter()
                .zip(&embedded)
                .map(|(sims, (_, spans))| self.with_spans(sims, spans))
                .collect(),
        )
    }
}

/// Semantic similarity of a job title to each occupation: 0.5 × (similarity to the preferred
/// label + best similarity over all its labels).
pub struct SemanticOccupations {
    encoder: Arc<Encoder>,
    /// Every label's vector, one row each.
    matrix: Option<LabelMatrix>,
    /// For each occupation, the rows of its labels (preferred first).
    ranges: Vec<std::ops::Range<usize>>,
}

impl SemanticOccupations {
    pub fn new(
        encoder: Arc<Encoder>,
        labels: Vec<f32>,
        ranges: Vec<std::ops::Range<usize>>,
    ) -> Self {
        let rows = ranges.last().map(|r| r.end).unwrap_or(0);
        let dim = labels.len().checked_div(rows).unwrap_or(0);
        SemanticOccupations {
            matrix: LabelMatrix::new(&labels, dim, encoder.precision()),
            encoder,
            ranges,
        }
    }

    /// 0.5 × (preferred label + best label) per occupation, from similarities to every label.
    fn per_occupation(&self, labels: &[f32]) -> Vec<f32> {
        self.ranges
            .iter()
            .map(|r| {
                let pref = labels.get(r.start).copied().unwrap_or(0.0);
                let best = labels
                    .get(r.clone())
                    .unwrap_or(&[])
                    .iter()
                    .copied()
                    .fold(pref, f32::max);
                0.5 * (pref + best)
            })
            .collect()
    }
}

impl OccupationSimilarity for SemanticOccupations {
    fn similarities(&self, title: &str) -> Option<Vec<f32>> {
        self.similarities_batch(&[title])?.pop()
    }

    fn similarities_batch(&self, titles: &[&str]) -> Option<Vec<Vec<f32>>> {
        let vectors = self.encoder.embed_many(titles).ok()?;
        let rows = self.matrix.as_ref()?.similarities(&vectors)?;
        Some(rows.iter().map(|r| self.per_occupation(r)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic unit vectors.
    fn unit_vectors(n: usize, dim: usize, seed: u64) -> Vec<f32> {
        let mut s = seed;
        let mut out = Vec::with_capacity(n * dim);
        for _ in 0..n {
            let v: Vec<f32> = (0..dim)
                .map(|_| {
                    s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    (s >> 40) as f32 / (1u64 << 24) as f32 - 0.5
                })
                .collect();
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            out.extend(v.iter().map(|x| x / norm));
        }
        out
    }

    #[test]
    fn eight_bit_label_similarities_are_close_to_f32() {
        let dim = 384;
        let labels = unit_vectors(300, dim, 1);
        let queries: Vec<Vec<f32>> = unit_vectors(5, dim, 2)
            .chunks_exact(dim)
            .map(<[f32]>::to_vec)
            .collect();
        let exact = LabelMatrix::new(&labels, dim, Precision::F32)
            .and_then(|m| m.similarities(&queries))
            .expect("f32 similarities");
        let eight = LabelMatrix::new(&labels, dim, Precision::Int8)
            .and_then(|m| m.similarities(&queries))
            .expect("8-bit similarities");
        assert_eq!(exact.len(), 5);
        assert_eq!(eight[0].len(), 300);
        for (e, q) in exact.iter().flatten().zip(eight.iter().flatten()) {
            assert!((e - q).abs() < 0.01, "{e} vs {q}");
        }
        // A vector of the wrong length is refused, not misread.
        let m = LabelMatrix::new(&labels, dim, Precision::Int8).expect("matrix");
        assert!(m.similarities(&[vec![0.0; 3]]).is_none());
        assert_eq!(m.similarities(&[]).map(|r| r.len()), Some(0));
    }
}
