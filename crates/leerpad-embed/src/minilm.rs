//! The BERT forward pass of MiniLM over *packed* sequences.
//!
//! A generic BERT implementation pads a batch to its longest text and multiplies padding along
//! with real tokens; on one CPU core that made batching sentences slower than encoding them one
//! by one. Here the tokens of all texts in a batch are stacked into one `[tokens, hidden]`
//! matrix: every dense layer is one matrix product over real tokens only (bigger products run
//! closer to the core's peak), and only attention, which mixes tokens, is done text by text, so
//! no attention mask is needed. Same weights, same arithmetic as the reference BERT (a test
//! compares the two).

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_nn::ops::{layer_norm, softmax_last_dim};

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

struct Norm {
    weight: Tensor,
    bias: Tensor,
}

impl Norm {
    fn load(vb: VarBuilder, size: usize) -> candle_core::Result<Norm> {
        Ok(Norm {
            weight: vb.get(size, "weight")?,
            bias: vb.get(size, "bias")?,
        })
    }

    fn apply(&self, x: &Tensor, eps: f32) -> candle_core::Result<Tensor> {
        layer_norm(x, &self.weight, &self.bias, eps)
    }
}

/// A dense layer; the weight kept as stored (`[out, in]`) and used transposed.
struct Dense {
    weight: Tensor,
    bias: Tensor,
}

impl Dense {
    fn load(vb: VarBuilder, inputs: usize, outputs: usize) -> candle_core::Result<Dense> {
        Ok(Dense {
            weight: vb.get((outputs, inputs), "weight")?,
            bias: vb.get(outputs, "bias")?,
        })
    }

    /// Query, key and value as one layer: one product instead of three.
    fn fused(parts: &[Dense]) -> candle_core::Result<Dense> {
        let weights: Vec<&Tensor> = parts.iter().map(|d| &d.weight).collect();
        let biases: Vec<&Tensor> = parts.iter().map(|d| &d.bias).collect();
        Ok(Dense {
            weight: Tensor::cat(&weights, 0)?,
            bias: Tensor::cat(&biases, 0)?,
        })
    }

    fn apply(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        x.matmul(&self.weight.t()?)?.broadcast_add(&self.bias)
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
    word: Tensor,
    position: Tensor,
    /// The embedding of token type 0 (single-segment input).
    segment: Tensor,
    embedding_norm: Norm,
    layers: Vec<Layer>,
    heads: usize,
    head_size: usize,
    hidden: usize,
    max_positions: usize,
    eps: f32,
    tanh_gelu: bool,
}

impl PackedBert {
    /// Load from safetensors weights named as in Hugging Face's `BertModel` (with or without
    /// the `bert.` prefix).
    pub fn load(vb: VarBuilder, config: &BertConfig) -> candle_core::Result<PackedBert> {
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
            let qkv = Dense::fused(&[
                Dense::load(attn.pp("self.query"), h, h)?,
                Dense::load(attn.pp("self.key"), h, h)?,
                Dense::load(attn.pp("self.value"), h, h)?,
            ])?;
            layers.push(Layer {
                qkv,
                attention_out: Dense::load(attn.pp("output.dense"), h, h)?,
                attention_norm: Norm::load(attn.pp("output.LayerNorm"), h)?,
                intermediate: Dense::load(l.pp("intermediate.dense"), h, config.intermediate_size)?,
                output: Dense::load(l.pp("output.dense"), config.intermediate_size, h)?,
                output_norm: Norm::load(l.pp("output.LayerNorm"), h)?,
            });
        }
        Ok(PackedBert {
            word: emb.get((config.vocab_size, h), "word_embeddings.weight")?,
            position: emb.get(
                (config.max_position_embeddings, h),
                "position_embeddings.weight",
            )?,
            segment,
            embedding_norm: Norm::load(emb.pp("LayerNorm"), h)?,
            layers,
            heads: config.num_attention_heads,
            head_size: h / config.num_attention_heads,
            hidden: h,
            max_positions: config.max_position_embeddings,
            eps: config.layer_norm_eps as f32,
            tanh_gelu,
        })
    }

    /// Final token states of several token sequences: one `[tokens, hidden]` matrix, the rows
    /// of the first sequence first. Sequences longer than the position table are refused.
    pub fn forward(&self, sequences: &[&[u32]]) -> candle_core::Result<Tensor> {
        let device = Device::Cpu;
        let mut ids: Vec<u32> = Vec::new();
        let mut positions: Vec<u32> = Vec::new();
        let mut lengths: Vec<usize> = Vec::with_capacity(sequences.len());
        for seq in sequences {
            if seq.len() > self.max_positions {
                return Err(candle_core::Error::Msg(format!(
                    "{} tokens, more than the model's {} positions",
                    seq.len(),
                    self.max_positions
                )));
            }
            ids.extend_from_slice(seq);
            positions.extend(0..seq.len() as u32);
            lengths.push(seq.len());
        }
        if ids.is_empty() {
            return Tensor::zeros((0, self.hidden), DType::F32, &device);
        }
        let ids = Tensor::new(ids.as_slice(), &device)?;
        let positions = Tensor::new(positions.as_slice(), &device)?;
        let x = self
            .word
            .index_select(&ids, 0)?
            .add(&self.position.index_select(&positions, 0)?)?
            .broadcast_add(&self.segment)?;
        let mut x = self.embedding_norm.apply(&x, self.eps)?;
        for layer in &self.layers {
            let context = self.attention(&layer.qkv.apply(&x)?, &lengths)?;
            let attended = layer
                .attention_norm
                .apply(&layer.attention_out.apply(&context)?.add(&x)?, self.eps)?;
            let inner = layer.intermediate.apply(&attended)?;
            let inner = if self.tanh_gelu {
                inner.gelu()?
            } else {
                gelu_erf(&inner)?
            };
            x = layer
                .output_norm
                .apply(&layer.output.apply(&inner)?.add(&attended)?, self.eps)?;
        }
        Ok(x)
    }

    /// Self-attention of each sequence over its own tokens, from the fused query/key/value rows.
    fn attention(&self, qkv: &Tensor, lengths: &[usize]) -> candle_core::Result<Tensor> {
        let scale = 1.0 / (self.head_size as f64).sqrt();
        let mut contexts = Vec::with_capacity(lengths.len());
        let mut start = 0;
        for &len in lengths {
            let rows = qkv.narrow(0, start, len)?;
            start += len;
            // [len, hidden] → [heads, len, head_size]
            let split = |part: usize| -> candle_core::Result<Tensor> {
                rows.narrow(1, part * self.hidden, self.hidden)?
                    .reshape((len, self.heads, self.head_size))?
                    .transpose(0, 1)?
                    .contiguous()
            };
            let (q, k, v) = (split(0)?, split(1)?, split(2)?);
            let scores = (q.matmul(&k.t()?)? * scale)?;
            let probs = softmax_last_dim(&scores)?;
            let context = probs
                .matmul(&v)?
                .transpose(0, 1)?
                .reshape((len, self.hidden))?;
            contexts.push(context);
        }
        Tensor::cat(&contexts, 0)
    }
}

/// The exact (erf) GELU of BERT. It runs on every intermediate value of every layer, and the
/// scalar `erf` of the math library took an eighth of all encoding time; this one is plain
/// arithmetic the compiler vectorises.
fn gelu_erf(x: &Tensor) -> candle_core::Result<Tensor> {
    let mut values = x.flatten_all()?.to_vec1::<f32>()?;
    values.iter_mut().for_each(|v| *v = gelu(*v));
    Tensor::from_vec(values, x.shape(), x.device())
}

/// x · Φ(x) with erf from Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7).
#[inline]
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
#[inline]
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
    use candle_transformers::models::bert::{BertModel, Config};

    #[test]
    fn fast_gelu_is_the_erf_gelu() {
        let xs: Vec<f32> = (-20_000..=20_000).map(|i| i as f32 / 1000.0).collect();
        let input = Tensor::new(xs.as_slice(), &Device::Cpu).expect("tensor");
        let exact: Vec<f32> = input.gelu_erf().expect("gelu").to_vec1().expect("values");
        let fast: Vec<f32> = gelu_erf(&input).expect("gelu").to_vec1().expect("values");
        for ((x, e), f) in xs.iter().zip(&exact).zip(&fast) {
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
    }

    /// Packed sequences give the token states of the reference BERT on a padded, masked batch.
    /// Runs where the model is installed; under CI=true it must be (`.ci/run` installs it).
    #[test]
    fn packed_forward_matches_the_reference_bert() {
        let Some(dir) = installed_model_dir() else {
            return;
        };
        let config_text = std::fs::read_to_string(dir.join("config.json")).expect("config");
        let weights = std::fs::read(dir.join("model.safetensors")).expect("weights");
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu)
            .expect("safetensors");
        let packed = PackedBert::load(
            vb.clone(),
            &serde_json::from_str(&config_text).expect("cfg"),
        )
        .expect("packed model");
        let reference = BertModel::load(
            vb,
            &serde_json::from_str::<Config>(&config_text).expect("cfg"),
        )
        .expect("reference model");

        // Token ids of three texts of different lengths (CLS … SEP), padded with 0 for the
        // reference.
        let sequences: Vec<Vec<u32>> = vec![
            vec![101, 1045, 7192, 3765, 102],
            vec![
                101, 2057, 2342, 2619, 2040, 2064, 7192, 3765, 1998, 3298, 9322, 102,
            ],
            vec![101, 102],
        ];
        let longest = sequences.iter().map(Vec::len).max().unwrap_or(0);
        let (mut ids, mut mask) = (Vec::new(), Vec::new());
        for seq in &sequences {
            for i in 0..longest {
                ids.push(seq.get(i).copied().unwrap_or(0));
                mask.push(u32::from(i < seq.len()));
            }
        }
        let shape = (sequences.len(), longest);
        let ids = Tensor::from_vec(ids, shape, &Device::Cpu).expect("ids");
        let mask = Tensor::from_vec(mask, shape, &Device::Cpu).expect("mask");
        let expected: Vec<Vec<Vec<f32>>> = reference
            .forward(&ids, &ids.zeros_like().expect("types"), Some(&mask))
            .expect("reference forward")
            .to_vec3()
            .expect("states");

        let refs: Vec<&[u32]> = sequences.iter().map(Vec::as_slice).collect();
        let got: Vec<Vec<f32>> = packed
            .forward(&refs)
            .expect("packed forward")
            .to_vec2()
            .expect("states");
        assert_eq!(got.len(), sequences.iter().map(Vec::len).sum::<usize>());
        let mut rows = got.iter();
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
        assert!(packed.forward(&[]).expect("empty").dims() == [0, 384]);
        let too_long = vec![101u32; 600];
        assert!(packed.forward(&[too_long.as_slice()]).is_err());
    }
}
