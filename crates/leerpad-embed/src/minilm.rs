//! The BERT forward pass of MiniLM over *packed* sequences.
//!
//! A generic BERT implementation pads a batch to its longest text and multiplies padding along
//! with real tokens; on one CPU core that made batching sentences slower than encoding them one
//! by one. Here the tokens of all texts in a batch are stacked into one `[tokens, hidden]`
//! matrix: every dense layer is one matrix product over real tokens only (bigger products run
//! closer to the core's peak), and only attention, which mixes tokens, is done text by text, so
//! no attention mask is needed. The pass works on plain row-major buffers (candle only loads
//! the weights), so the small steps between products (attention, layer norms, GELU) cost no
//! tensor bookkeeping.
//!
//! The dense layers run in f32 (the same arithmetic as the reference BERT; a test compares the
//! two) or, where the CPU has AVX2, in 8-bit integers at about twice the speed (`quant`; a
//! test holds its sentence vectors to the reference's).

use crate::encoder::{dot, with_avx2};
use crate::quant::QuantDense;
use candle_core::{Device, Tensor};
use candle_nn::VarBuilder;

/// The parts of a Hugging Face BERT `config.json` the forward pass needs.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct BertConfig {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    #[serde(default = "default_eps")]
    pub layer_norm_eps: f64,
    #[serde(default = "default_act")]
    pub hidden_act: String,
}

fn default_eps() -> f64 {
    1e-12
}

fn default_act() -> String {
    "gelu".into()
}

/// How the dense layers multiply: f32 (as the model was trained), or 8-bit integers (about
/// twice as fast where the CPU has AVX2; see `quant`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    F32,
    Int8,
}

impl Precision {
    /// 8-bit where this CPU runs the integer kernel, else f32; the environment variable
    /// `LEERPAD_MODEL_PRECISION` (`f32` or `int8`) overrides.
    pub fn for_this_machine() -> Precision {
        match std::env::var("LEERPAD_MODEL_PRECISION").as_deref() {
            Ok("f32") => Precision::F32,
            Ok("int8") => Precision::Int8,
            _ if QuantDense::has_kernel() => Precision::Int8,
            _ => Precision::F32,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Precision::F32 => "f32",
            Precision::Int8 => "int8",
        }
    }
}

fn values(t: &Tensor) -> candle_core::Result<Vec<f32>> {
    t.flatten_all()?.to_vec1::<f32>()
}

struct Norm {
    weight: Vec<f32>,
    bias: Vec<f32>,
}

impl Norm {
    fn load(vb: VarBuilder, size: usize) -> candle_core::Result<Norm> {
        Ok(Norm {
            weight: values(&vb.get(size, "weight")?)?,
            bias: values(&vb.get(size, "bias")?)?,
        })
    }

    /// Layer normalisation of every row of `x`, in place.
    #[inline(always)]
    fn apply(&self, x: &mut [f32], eps: f32) {
        let width = self.weight.len();
        for row in x.chunks_exact_mut(width) {
            let mean = row.iter().sum::<f32>() / width as f32;
            let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / width as f32;
            let inverse = 1.0 / (var + eps).sqrt();
            for ((v, w), b) in row.iter_mut().zip(&self.weight).zip(&self.bias) {
                *v = (*v - mean) * inverse * w + b;
            }
        }
    }
}

/// A dense layer, `y = W x + b`, in f32 or 8-bit.
enum Dense {
    /// The weight transposed (`[inputs, outputs]`, contiguous) and the bias.
    F32 {
        weight_t: Tensor,
        bias: Vec<f32>,
    },
    Int8(QuantDense),
}

impl Dense {
    fn load(
        vb: VarBuilder,
        inputs: usize,
        outputs: usize,
        precision: Precision,
    ) -> candle_core::Result<Dense> {
        Dense::new(
            &vb.get((outputs, inputs), "weight")?,
            &vb.get(outputs, "bias")?,
            precision,
        )
    }

    /// From a weight `[outputs, inputs]` and a bias.
    fn new(weight: &Tensor, bias: &Tensor, precision: Precision) -> candle_core::Result<Dense> {
        let (outputs, inputs) = weight.dims2()?;
        Ok(match precision {
            Precision::F32 => Dense::F32 {
                weight_t: weight.t()?.contiguous()?,
                bias: values(bias)?,
            },
            Precision::Int8 => Dense::Int8(QuantDense::new(
                &values(weight)?,
                &values(bias)?,
                inputs,
                outputs,
            )),
        })
    }

    /// Query, key and value as one layer: one product instead of three.
    fn fused(vb: VarBuilder, hidden: usize, precision: Precision) -> candle_core::Result<Dense> {
        let parts = ["self.query", "self.key", "self.value"];
        let weights = parts
            .iter()
            .map(|p| vb.get((hidden, hidden), &format!("{p}.weight")))
            .collect::<candle_core::Result<Vec<Tensor>>>()?;
        let biases = parts
            .iter()
            .map(|p| vb.get(hidden, &format!("{p}.bias")))
            .collect::<candle_core::Result<Vec<Tensor>>>()?;
        Dense::new(
            &Tensor::cat(&weights, 0)?,
            &Tensor::cat(&biases, 0)?,
            precision,
        )
    }

    fn outputs(&self) -> usize {
        match self {
            Dense::F32 { bias, .. } => bias.len(),
            Dense::Int8(q) => q.outputs(),
        }
    }

    /// `rows × outputs` for `rows × inputs`.
    #[inline(always)]
    fn apply(&self, x: &[f32], rows: usize) -> candle_core::Result<Vec<f32>> {
        if rows == 0 {
            return Ok(Vec::new());
        }
        match self {
            Dense::F32 { weight_t, bias } => {
                let inputs = x.len() / rows;
                let product =
                    Tensor::from_slice(x, (rows, inputs), &Device::Cpu)?.matmul(weight_t)?;
                let mut y = values(&product)?;
                for row in y.chunks_exact_mut(bias.len()) {
                    row.iter_mut().zip(bias).for_each(|(v, b)| *v += b);
                }
                Ok(y)
            }
            Dense::Int8(q) => Ok(q.apply(x)),
        }
    }
}

struct Layer {
    qkv: Dense,
    attention_out: Dense,
    attention_norm: Norm,
    intermediate: Dense,
    output: Dense,
    output_norm: Norm,
}

/// MiniLM (a BERT encoder) for packed sequences.
pub struct PackedBert {
    /// Token embeddings, `[vocabulary, hidden]`.
    word: Vec<f32>,
    /// Position embeddings, `[positions, hidden]`.
    position: Vec<f32>,
    /// The embedding of token type 0 (single-segment input).
    segment: Vec<f32>,
    embedding_norm: Norm,
    layers: Vec<Layer>,
    heads: usize,
    head_size: usize,
    hidden: usize,
    max_positions: usize,
    eps: f32,
    tanh_gelu: bool,
    precision: Precision,
}

impl PackedBert {
    /// Load from safetensors weights named as in Hugging Face's `BertModel` (with or without
    /// the `bert.` prefix).
    pub fn load(
        vb: VarBuilder,
        config: &BertConfig,
        precision: Precision,
    ) -> candle_core::Result<PackedBert> {
        let vb = if vb.contains_tensor("embeddings.word_embeddings.weight") {
            vb
        } else {
            vb.pp("bert")
        };
        let h = config.hidden_size;
        if config.num_attention_heads == 0 || !h.is_multiple_of(config.num_attention_heads) {
            return Err(candle_core::Error::Msg(format!(
                "hidden size {h} is not a multiple of {} attention heads",
                config.num_attention_heads
            )));
        }
        let tanh_gelu = match config.hidden_act.as_str() {
            "gelu" => false,
            "gelu_new" | "gelu_pytorch_tanh" | "gelu_approximate" => true,
            other => {
                return Err(candle_core::Error::Msg(format!(
                    "unsupported activation '{other}'"
                )));
            }
        };
        let emb = vb.pp("embeddings");
        let segment = emb
            .get((2, h), "token_type_embeddings.weight")
            .or_else(|_| emb.get((1, h), "token_type_embeddings.weight"))?
            .get(0)?;
        let mut layers = Vec::with_capacity(config.num_hidden_layers);
        for i in 0..config.num_hidden_layers {
            let l = vb.pp(format!("encoder.layer.{i}"));
            let attn = l.pp("attention");
            let inner = config.intermediate_size;
            layers.push(Layer {
                qkv: Dense::fused(attn.clone(), h, precision)?,
                attention_out: Dense::load(attn.pp("output.dense"), h, h, precision)?,
                attention_norm: Norm::load(attn.pp("output.LayerNorm"), h)?,
                intermediate: Dense::load(l.pp("intermediate.dense"), h, inner, precision)?,
                output: Dense::load(l.pp("output.dense"), inner, h, precision)?,
                output_norm: Norm::load(l.pp("output.LayerNorm"), h)?,
            });
        }
        Ok(PackedBert {
            word: values(&emb.get((config.vocab_size, h), "word_embeddings.weight")?)?,
            position: values(&emb.get(
                (config.max_position_embeddings, h),
                "position_embeddings.weight",
            )?)?,
            segment: values(&segment)?,
            embedding_norm: Norm::load(emb.pp("LayerNorm"), h)?,
            layers,
            heads: config.num_attention_heads,
            head_size: h / config.num_attention_heads,
            hidden: h,
            max_positions: config.max_position_embeddings,
            eps: config.layer_norm_eps as f32,
            tanh_gelu,
            precision,
        })
    }

    pub fn hidden(&self) -> usize {
        self.hidden
    }

    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// Final token states of several token sequences, row-major `[tokens, hidden]`, the rows of
    /// the first sequence first. Sequences longer than the position table, or with token ids
    /// outside the vocabulary, are refused.
    pub fn forward(&self, sequences: &[&[u32]]) -> candle_core::Result<Vec<f32>> {
        // Compiled for AVX2 where present, so the steps between the products vectorise too.
        with_avx2(
            #[inline(always)]
            || self.forward_packed(sequences),
        )
    }

    #[inline(always)]
    fn forward_packed(&self, sequences: &[&[u32]]) -> candle_core::Result<Vec<f32>> {
        let h = self.hidden;
        let vocabulary = self.word.len() / h;
        let mut lengths: Vec<usize> = Vec::with_capacity(sequences.len());
        let mut x: Vec<f32> = Vec::new();
        for seq in sequences {
            if seq.len() > self.max_positions {
                return Err(candle_core::Error::Msg(format!(
                    "{} tokens, more than the model's {} positions",
                    seq.len(),
                    self.max_positions
                )));
            }
            for (position, &id) in seq.iter().enumerate() {
                let id = id as usize;
                if id >= vocabulary {
                    return Err(candle_core::Error::Msg(format!(
                        "token id {id} outside the vocabulary of {vocabulary}"
                    )));
                }
                let word = &self.word[id * h..(id + 1) * h];
                let place = &self.position[position * h..(position + 1) * h];
                x.extend(
                    word.iter()
                        .zip(place)
                        .zip(&self.segment)
                        .map(|((w, p), s)| w + p + s),
                );
            }
            lengths.push(seq.len());
        }
        let rows = lengths.iter().sum::<usize>();
        self.embedding_norm.apply(&mut x, self.eps);
        for layer in &self.layers {
            let qkv = layer.qkv.apply(&x, rows)?;
            let context = self.attention(&qkv, &lengths, layer.qkv.outputs());
            let mut attended = layer.attention_out.apply(&context, rows)?;
            attended.iter_mut().zip(&x).for_each(|(a, v)| *a += v);
            layer.attention_norm.apply(&mut attended, self.eps);
            let mut inner = layer.intermediate.apply(&attended, rows)?;
            if self.tanh_gelu {
                inner.iter_mut().for_each(|v| *v = gelu_tanh(*v));
            } else {
                inner.iter_mut().for_each(|v| *v = gelu(*v));
            }
            x = layer.output.apply(&inner, rows)?;
            x.iter_mut().zip(&attended).for_each(|(v, a)| *v += a);
            layer.output_norm.apply(&mut x, self.eps);
        }
        Ok(x)
    }

    /// Self-attention of each sequence over its own tokens, from the fused query/key/value rows
    /// (`width` = 3 × hidden per row).
    #[inline(always)]
    fn attention(&self, qkv: &[f32], lengths: &[usize], width: usize) -> Vec<f32> {
        let (h, d) = (self.hidden, self.head_size);
        let scale = 1.0 / (d as f32).sqrt();
        let rows = lengths.iter().sum::<usize>();
        let mut context = vec![0f32; rows * h];
        let mut weights: Vec<f32> = Vec::new();
        let mut start = 0;
        for &len in lengths {
            let row = |i: usize, part: usize, head: usize| {
                &qkv[(start + i) * width + part * h + head * d..][..d]
            };
            for head in 0..self.heads {
                for i in 0..len {
                    let q = row(i, 0, head);
                    weights.clear();
                    weights.extend((0..len).map(|j| dot(q, row(j, 1, head)) * scale));
                    let max = weights.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                    let mut sum = 0f32;
                    for w in weights.iter_mut() {
                        *w = exp_non_positive(*w - max);
                        sum += *w;
                    }
                    let out = &mut context[(start + i) * h + head * d..][..d];
                    for (j, w) in weights.iter().enumerate() {
                        let p = w / sum;
                        out.iter_mut()
                            .zip(row(j, 2, head))
                            .for_each(|(c, v)| *c += p * v);
                    }
                }
            }
            start += len;
        }
        context
    }
}

/// GELU with the tanh approximation (`gelu_new`).
#[inline(always)]
fn gelu_tanh(x: f32) -> f32 {
    0.5 * x * (1.0 + (0.797_884_6 * (x + 0.044_715 * x * x * x)).tanh())
}

/// The exact (erf) GELU of BERT. It runs on every intermediate value of every layer, and the
/// scalar `erf` of the math library took an eighth of all encoding time; this one is plain
/// arithmetic the compiler vectorises.
/// x · Φ(x) with erf from Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7).
#[inline(always)]
fn gelu(x: f32) -> f32 {
    let z = x.abs() * std::f32::consts::FRAC_1_SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * z);
    let poly = t
        * (0.254_829_6
            + t * (-0.284_496_74 + t * (1.421_413_7 + t * (-1.453_152 + t * 1.061_405_4))));
    let erf_abs = 1.0 - poly * exp_non_positive(-z * z);
    let erf = if x < 0.0 { -erf_abs } else { erf_abs };
    0.5 * x * (1.0 + erf)
}

/// e^y for y ≤ 0 (relative error ~1e-7), without a call into the math library: y = n·ln 2 + r,
/// e^r by its Taylor polynomial, 2^n through the exponent bits.
#[inline(always)]
fn exp_non_positive(y: f32) -> f32 {
    // Below this e^y is under f32's normal range; GELU needs no more.
    let y = y.max(-87.0);
    // Round y / ln 2 to the nearest integer with the 1.5 · 2^23 trick (no rounding instruction).
    const ROUND: f32 = 12_582_912.0;
    let n = (y * std::f32::consts::LOG2_E + ROUND) - ROUND;
    let r = y - n * 0.693_145_75 - n * 1.428_606_8e-6;
    let p = 1.0
        + r * (1.0
            + r * (0.5
                + r * (0.166_666_67
                    + r * (0.041_666_668 + r * (0.008_333_334 + r * 0.001_388_889)))));
    let scale = f32::from_bits(((n as i32 + 127) as u32) << 23);
    p * scale
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encoder::installed_model_dir;
    use candle_core::DType;
    use candle_transformers::models::bert::{BertModel, Config};

    #[test]
    fn fast_gelu_is_the_erf_gelu() {
        let xs: Vec<f32> = (-20_000..=20_000).map(|i| i as f32 / 1000.0).collect();
        let input = Tensor::new(xs.as_slice(), &Device::Cpu).expect("tensor");
        let exact: Vec<f32> = input.gelu_erf().expect("gelu").to_vec1().expect("values");
        for (x, e) in xs.iter().zip(&exact) {
            let f = gelu(*x);
            assert!(
                (e - f).abs() <= 1e-6 * (1.0 + e.abs()),
                "gelu({x}) = {f}, expected {e}"
            );
        }
        assert_eq!(gelu(-100.0), 0.0);
        assert_eq!(gelu(100.0), 100.0);
        for y in [-87.0f32, -20.0, -1.0, -0.3, 0.0] {
            let rel = (exp_non_positive(y) - y.exp()).abs() / y.exp();
            assert!(rel < 1e-6, "exp({y}): relative error {rel}");
        }
        let approximate: Vec<f32> = input.gelu().expect("gelu").to_vec1().expect("values");
        for (x, e) in xs.iter().zip(&approximate) {
            assert!(
                (e - gelu_tanh(*x)).abs() <= 1e-5 * (1.0 + e.abs()),
                "gelu_new({x})"
            );
        }
    }

    /// Token ids (CLS … SEP) of texts of different lengths, from a few tokens to a sentence.
    fn sample_sequences() -> Vec<Vec<u32>> {
        vec![
            vec![101, 1045, 7192, 3765, 102],
            vec![
                101, 2057, 2342, 2619, 2040, 2064, 7192, 3765, 1998, 3298, 9322, 102,
            ],
            vec![101, 102],
            vec![
                101, 2017, 2097, 2022, 3625, 2005, 5266, 1996, 2291, 1010, 4526, 5906, 2007, 7846,
                1998, 2437, 2469, 2008, 2035, 5144, 2024, 3625, 2006, 2051, 1012, 102,
            ],
        ]
    }

    /// Final token states of the reference BERT on a padded, masked batch, per text.
    fn reference_states(dir: &std::path::Path, sequences: &[Vec<u32>]) -> Vec<Vec<Vec<f32>>> {
        let config_text = std::fs::read_to_string(dir.join("config.json")).expect("config");
        let weights = std::fs::read(dir.join("model.safetensors")).expect("weights");
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu)
            .expect("safetensors");
        let reference = BertModel::load(
            vb,
            &serde_json::from_str::<Config>(&config_text).expect("cfg"),
        )
        .expect("reference model");
        let longest = sequences.iter().map(Vec::len).max().unwrap_or(0);
        let (mut ids, mut mask) = (Vec::new(), Vec::new());
        for seq in sequences {
            for i in 0..longest {
                ids.push(seq.get(i).copied().unwrap_or(0));
                mask.push(u32::from(i < seq.len()));
            }
        }
        let shape = (sequences.len(), longest);
        let ids = Tensor::from_vec(ids, shape, &Device::Cpu).expect("ids");
        let mask = Tensor::from_vec(mask, shape, &Device::Cpu).expect("mask");
        reference
            .forward(&ids, &ids.zeros_like().expect("types"), Some(&mask))
            .expect("reference forward")
            .to_vec3()
            .expect("states")
    }

    fn packed(dir: &std::path::Path, precision: Precision) -> PackedBert {
        let config_text = std::fs::read_to_string(dir.join("config.json")).expect("config");
        let weights = std::fs::read(dir.join("model.safetensors")).expect("weights");
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu)
            .expect("safetensors");
        PackedBert::load(
            vb,
            &serde_json::from_str(&config_text).expect("cfg"),
            precision,
        )
        .expect("packed model")
    }

    /// Unit mean of a text's token states.
    fn pooled<'a>(rows: impl Iterator<Item = &'a [f32]>) -> Vec<f32> {
        let mut sum = vec![0f32; 384];
        for r in rows {
            sum.iter_mut().zip(r).for_each(|(s, v)| *s += v);
        }
        let norm = sum.iter().map(|v| v * v).sum::<f32>().sqrt();
        sum.iter().map(|v| v / norm).collect()
    }

    /// In f32, packed sequences give the token states of the reference BERT on a padded,
    /// masked batch; in 8 bits, sentence vectors within cosine 0.999 of it (texts with words). Runs where the
    /// model is installed; under CI=true it must be (`.ci/run` installs it).
    #[test]
    fn packed_forward_matches_the_reference_bert() {
        let Some(dir) = installed_model_dir() else {
            return;
        };
        let sequences = sample_sequences();
        let expected = reference_states(&dir, &sequences);
        let refs: Vec<&[u32]> = sequences.iter().map(Vec::as_slice).collect();
        let tokens = sequences.iter().map(Vec::len).sum::<usize>();

        let model = packed(&dir, Precision::F32);
        let got = model.forward(&refs).expect("packed forward");
        assert_eq!(got.len(), tokens * 384);
        let mut rows = got.chunks_exact(384);
        for (s, (seq, padded)) in sequences.iter().zip(&expected).enumerate() {
            for (t, want) in padded.iter().take(seq.len()).enumerate() {
                let worst = rows
                    .next()
                    .expect("a row per token")
                    .iter()
                    .zip(want)
                    .map(|(a, b)| (a - b).abs())
                    .fold(0f32, f32::max);
                assert!(worst < 1e-3, "text {s} token {t}: differs by {worst}");
            }
        }
        assert!(model.forward(&[]).expect("empty").is_empty());
        let too_long = vec![101u32; 600];
        assert!(model.forward(&[too_long.as_slice()]).is_err());
        assert!(model.forward(&[&[101, 999_999, 102]]).is_err());

        let model = packed(&dir, Precision::Int8);
        let got = model.forward(&refs).expect("8-bit forward");
        assert_eq!(got.len(), tokens * 384);
        let mut start = 0;
        for (s, (seq, padded)) in sequences.iter().zip(&expected).enumerate() {
            let want = pooled(padded.iter().take(seq.len()).map(Vec::as_slice));
            let have = pooled(got[start * 384..(start + seq.len()) * 384].chunks_exact(384));
            start += seq.len();
            let cosine = dot(&want, &have);
            // A text of special tokens only ([CLS] [SEP]) is the hardest case for 8-bit weights
            // (0.998 here); texts with words stay above 0.999.
            let bound = if seq.len() > 2 { 0.999 } else { 0.995 };
            assert!(cosine > bound, "text {s}: 8-bit cosine {cosine}");
        }
    }
}
