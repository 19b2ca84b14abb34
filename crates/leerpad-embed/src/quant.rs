//! 8-bit dense layers: MiniLM's matrix products in integers.
//!
//! The dense layers are nearly all of the model's work. On a core with AVX2 but no AVX-512 (like
//! the AMD EPYC this was measured on), one f32 fused multiply-add instruction does 8
//! multiply-adds, while `vpmaddubsw` does 32 (unsigned × signed bytes, summed in pairs);
//! measured here, the integer sequence runs at about twice the f32 rate. So, where AVX2 is
//! present:
//!
//! - weights are 8-bit per output (`w ≈ scale[n] · q`, |q| ≤ 127), packed once at load in the
//!   order the kernel reads them;
//! - each token's inputs are 7-bit, asymmetric (`x ≈ step · a + low`, 0 ≤ a ≤ 127). Seven bits,
//!   because `vpmaddubsw` adds two products in 16 bits: 2 · 127 · 127 still fits, 2 · 255 · 127
//!   would not;
//! - a transformer's hidden states carry a few huge features; up to [`OUTLIERS`] inputs of each
//!   token far beyond its typical size are taken out before quantising (they would stretch the
//!   7-bit range of all the others) and multiplied in f32.
//!
//! Mean-pooled sentence vectors stay within cosine 0.999 of the f32 model (tested in `minilm`);
//! the evaluation figures in docs/benchmarks.md are measured with this path.

/// Inputs per token kept in f32 at most (the largest in magnitude).
const OUTLIERS: usize = 8;
/// An input is an outlier when its magnitude is beyond this many times the root mean square of
/// its token's inputs.
const OUTLIER_RMS: f32 = 4.0;

/// Largest 7-bit input code.
const INPUT_LEVELS: f32 = 127.0;
/// Largest 8-bit weight code in magnitude.
const WEIGHT_LEVELS: f32 = 127.0;

/// Outputs computed together by the kernel (two AVX2 registers of eight 32-bit sums).
const BLOCK_OUTPUTS: usize = 16;
/// Tokens computed together by the kernel.
const BLOCK_ROWS: usize = 4;

/// A dense layer (`y = W x + b`) with 8-bit weights.
pub(crate) struct QuantDense {
    inputs: usize,
    outputs: usize,
    /// Groups of four inputs (the inputs rounded up to a multiple of four).
    quads: usize,
    /// Weight codes packed for the kernel: for each block of 8 outputs, for each quad of inputs,
    /// the four codes of each of the 8 outputs.
    packed: Vec<[i8; 32]>,
    /// Per output (padded to a multiple of [`BLOCK_OUTPUTS`]): `w ≈ scale · q`.
    scale: Vec<f32>,
    /// Per output: `scale · Σ q`, the share of the inputs' common offset (`low`).
    offset: Vec<f32>,
    /// Per output, padded like `scale`.
    bias: Vec<f32>,
    /// The f32 weights transposed (`[inputs][outputs]`), for the outlier inputs.
    columns: Vec<f32>,
}

/// A batch of token inputs in 7-bit codes, ready for [`QuantDense`].
pub(crate) struct QuantInputs {
    rows: usize,
    /// Rows padded to a multiple of [`BLOCK_ROWS`]; each row is `quads` groups of four codes.
    codes: Vec<[u8; 4]>,
    /// Per row: `x ≈ step · a + low`.
    step: Vec<f32>,
    low: Vec<f32>,
    /// Per row, the inputs taken out as outliers: (input index, value).
    outliers: Vec<[(u32, f32); OUTLIERS]>,
}

impl QuantDense {
    /// Quantise `weight` (`[outputs][inputs]`, row-major) and `bias`.
    pub(crate) fn new(weight: &[f32], bias: &[f32], inputs: usize, outputs: usize) -> QuantDense {
        let quads = inputs.div_ceil(4);
        let padded = outputs.div_ceil(BLOCK_OUTPUTS) * BLOCK_OUTPUTS;
        let mut scale = vec![0f32; padded];
        let mut offset = vec![0f32; padded];
        let mut padded_bias = vec![0f32; padded];
        let mut codes = vec![0i8; padded * quads * 4];
        for n in 0..outputs {
            let row = &weight[n * inputs..(n + 1) * inputs];
            let max = row.iter().fold(0f32, |m, w| m.max(w.abs()));
            let s = if max > 0.0 { max / WEIGHT_LEVELS } else { 1.0 };
            let mut sum = 0i32;
            for (k, w) in row.iter().enumerate() {
                let q = (w / s).round().clamp(-WEIGHT_LEVELS, WEIGHT_LEVELS) as i8;
                codes[n * quads * 4 + k] = q;
                sum += i32::from(q);
            }
            scale[n] = s;
            offset[n] = s * sum as f32;
            padded_bias[n] = bias.get(n).copied().unwrap_or(0.0);
        }
        // Block-major: block of 8 outputs, then quad, then output within the block.
        let mut packed = vec![[0i8; 32]; padded / 8 * quads];
        for (b, block) in packed.chunks_mut(quads).enumerate() {
            for (q, lanes) in block.iter_mut().enumerate() {
                for (lane, quad) in lanes.chunks_exact_mut(4).enumerate() {
                    let from = (b * 8 + lane) * quads * 4 + q * 4;
                    quad.copy_from_slice(&codes[from..from + 4]);
                }
            }
        }
        let mut columns = vec![0f32; inputs * outputs];
        for n in 0..outputs {
            for k in 0..inputs {
                columns[k * outputs + n] = weight[n * inputs + k];
            }
        }
        QuantDense {
            inputs,
            outputs,
            quads,
            packed,
            scale,
            offset,
            bias: padded_bias,
            columns,
        }
    }

    pub(crate) fn outputs(&self) -> usize {
        self.outputs
    }

    pub(crate) fn inputs(&self) -> usize {
        self.inputs
    }

    /// Quantise a batch of token inputs (`rows × inputs`, row-major) for this layer.
    #[inline(always)]
    fn quantize(&self, x: &[f32]) -> QuantInputs {
        let rows = x.len() / self.inputs.max(1);
        let padded_rows = rows.div_ceil(BLOCK_ROWS) * BLOCK_ROWS;
        let mut q = QuantInputs {
            rows,
            codes: vec![[0u8; 4]; padded_rows * self.quads],
            step: vec![1f32; padded_rows],
            low: vec![0f32; padded_rows],
            outliers: vec![[(0u32, 0f32); OUTLIERS]; padded_rows],
        };
        for (r, row) in x.chunks_exact(self.inputs).enumerate() {
            let codes = bytemuck::cast_slice_mut::<[u8; 4], u8>(
                &mut q.codes[r * self.quads..(r + 1) * self.quads],
            );
            let (step, low) = quantize_row(row, codes, &mut q.outliers[r]);
            q.step[r] = step;
            q.low[r] = low;
        }
        q
    }

    /// `y = W x + b` for `rows × inputs` inputs, as `rows × outputs`.
    pub(crate) fn apply(&self, x: &[f32]) -> Vec<f32> {
        let rows = x.len() / self.inputs.max(1);
        let mut y = vec![0f32; rows * self.outputs];
        #[cfg(target_arch = "x86_64")]
        if let Some(simd) = pulp::x86::V3::try_new() {
            simd.vectorize(
                #[inline(always)]
                || {
                    let q = self.quantize(x);
                    self.products_v3(simd, &q, &mut y);
                    self.add_outliers(&q, &mut y);
                },
            );
            return y;
        }
        let q = self.quantize(x);
        self.products_scalar(&q, &mut y);
        self.add_outliers(&q, &mut y);
        y
    }

    /// Whether this machine runs the integer kernel (else [`QuantDense::apply`] is the slow
    /// scalar version, and f32 is the better choice).
    pub(crate) fn has_kernel() -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            pulp::x86::V3::is_available()
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    }

    fn dequantize(&self, x: &QuantInputs, r: usize, n: usize, sum: i32) -> f32 {
        x.step[r] * self.scale[n] * sum as f32 + x.low[r] * self.offset[n] + self.bias[n]
    }

    /// The integer products, one code at a time: the reference for the kernel, and the path
    /// where AVX2 is missing.
    fn products_scalar(&self, x: &QuantInputs, y: &mut [f32]) {
        for r in 0..x.rows {
            let codes = &x.codes[r * self.quads..(r + 1) * self.quads];
            for n in 0..self.outputs {
                let block = &self.packed[(n / 8) * self.quads..(n / 8 + 1) * self.quads];
                let lane = (n % 8) * 4;
                let sum: i32 = codes
                    .iter()
                    .zip(block)
                    .map(|(a, w)| {
                        (0..4)
                            .map(|i| i32::from(a[i]) * i32::from(w[lane + i]))
                            .sum::<i32>()
                    })
                    .sum();
                y[r * self.outputs + n] = self.dequantize(x, r, n, sum);
            }
        }
    }

    /// The outlier inputs' share, in f32.
    #[inline(always)]
    fn add_outliers(&self, x: &QuantInputs, y: &mut [f32]) {
        for r in 0..x.rows {
            let out = &mut y[r * self.outputs..(r + 1) * self.outputs];
            for &(k, v) in &x.outliers[r] {
                if v == 0.0 {
                    continue;
                }
                let column = &self.columns[k as usize * self.outputs..][..self.outputs];
                out.iter_mut().zip(column).for_each(|(o, w)| *o += v * w);
            }
        }
    }

    /// The integer products with AVX2: tiles of 4 tokens × 16 outputs, each input quad of a
    /// token broadcast to all lanes and multiplied with the quad of 8 outputs at once.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn products_v3(&self, simd: pulp::x86::V3, x: &QuantInputs, y: &mut [f32]) {
        use core::arch::x86_64::{__m256, __m256i};
        let ones = simd.avx._mm256_set1_epi16(1);
        let zero = simd.avx._mm256_setzero_si256();
        let quads = self.quads;
        // Sum of four byte products, added into the 32-bit lanes of `acc`.
        let madd = |acc: __m256i, a: __m256i, w: __m256i| {
            simd.avx2._mm256_add_epi32(
                acc,
                simd.avx2
                    ._mm256_madd_epi16(simd.avx2._mm256_maddubs_epi16(a, w), ones),
            )
        };
        let broadcast = |quad: &[u8; 4]| simd.avx._mm256_set1_epi32(i32::from_ne_bytes(*quad));
        for (pair, blocks) in self.packed.chunks_exact(2 * quads).enumerate() {
            let (w0, w1) = blocks.split_at(quads);
            let n0 = pair * BLOCK_OUTPUTS;
            let pair_of = |v: &[f32]| -> [__m256; 2] {
                [
                    bytemuck::cast(lanes(&v[n0..])),
                    bytemuck::cast(lanes(&v[n0 + 8..])),
                ]
            };
            let (scale, offset, bias) = (
                pair_of(&self.scale),
                pair_of(&self.offset),
                pair_of(&self.bias),
            );
            for (tile, codes) in x.codes.chunks_exact(BLOCK_ROWS * quads).enumerate() {
                let (a0, rest) = codes.split_at(quads);
                let (a1, rest) = rest.split_at(quads);
                let (a2, a3) = rest.split_at(quads);
                let mut c = [zero; 8];
                for (((((q0, q1), x0), x1), x2), x3) in
                    w0.iter().zip(w1).zip(a0).zip(a1).zip(a2).zip(a3)
                {
                    let v0: __m256i = bytemuck::cast(*q0);
                    let v1: __m256i = bytemuck::cast(*q1);
                    for (row, quad) in [x0, x1, x2, x3].into_iter().enumerate() {
                        let b = broadcast(quad);
                        c[2 * row] = madd(c[2 * row], b, v0);
                        c[2 * row + 1] = madd(c[2 * row + 1], b, v1);
                    }
                }
                for (i, sums) in c.iter().enumerate() {
                    let r = tile * BLOCK_ROWS + i / 2;
                    if r >= x.rows {
                        break;
                    }
                    let half = i % 2;
                    // step · scale · sum + low · offset + bias
                    let step = simd.avx._mm256_set1_ps(x.step[r]);
                    let low = simd.avx._mm256_set1_ps(x.low[r]);
                    let value = simd.fma._mm256_fmadd_ps(
                        simd.avx._mm256_cvtepi32_ps(*sums),
                        simd.avx._mm256_mul_ps(step, scale[half]),
                        simd.fma._mm256_fmadd_ps(low, offset[half], bias[half]),
                    );
                    let values: [f32; 8] = bytemuck::cast(value);
                    let n = n0 + half * 8;
                    if n >= self.outputs {
                        continue;
                    }
                    let len = (self.outputs - n).min(8);
                    y[r * self.outputs + n..r * self.outputs + n + len]
                        .copy_from_slice(&values[..len]);
                }
            }
        }
    }
}

/// Quantise one token's inputs into `codes` (one byte per input, zero past the inputs): the
/// largest inputs beyond [`OUTLIER_RMS`] times the row's root mean square (at most
/// [`OUTLIERS`]) go to `taken` (their codes stand for zero), the rest to
/// `x ≈ step · code + low`. Returns `(step, low)`.
#[inline(always)]
fn quantize_row(row: &[f32], codes: &mut [u8], taken: &mut [(u32, f32); OUTLIERS]) -> (f32, f32) {
    let chunks = row.chunks_exact(8);
    let rest = chunks.remainder();
    let mut squares = [0f32; 8];
    for chunk in chunks.clone() {
        for i in 0..8 {
            squares[i] += chunk[i] * chunk[i];
        }
    }
    let sum = squares.iter().sum::<f32>() + rest.iter().map(|v| v * v).sum::<f32>();
    let beyond = OUTLIER_RMS * (sum / row.len().max(1) as f32).sqrt();
    // The largest magnitudes beyond that, largest first. Few inputs are: most chunks of eight
    // are passed over with one vector comparison.
    let mut top = [(-1f32, 0u32); OUTLIERS];
    let mut consider = |k: usize, m: f32| {
        if m > beyond && m > top[OUTLIERS - 1].0 {
            let mut i = OUTLIERS - 1;
            while i > 0 && top[i - 1].0 < m {
                top[i] = top[i - 1];
                i -= 1;
            }
            top[i] = (m, k as u32);
        }
    };
    for (c, chunk) in chunks.enumerate() {
        if chunk.iter().fold(false, |any, v| any | (v.abs() > beyond)) {
            for (i, v) in chunk.iter().enumerate() {
                consider(c * 8 + i, v.abs());
            }
        }
    }
    for (i, v) in rest.iter().enumerate() {
        consider(row.len() - rest.len() + i, v.abs());
    }
    for (t, (m, k)) in taken.iter_mut().zip(top) {
        *t = if m >= 0.0 {
            (k, row[k as usize])
        } else {
            (0, 0.0)
        };
    }
    // Range of the others (and of zero, which the outliers' places hold), in eight lanes.
    // Below `limit` is what was not taken: under the smallest taken magnitude when all places
    // are used, else up to `beyond`.
    let limit = if top[OUTLIERS - 1].0 >= 0.0 {
        top[OUTLIERS - 1].0
    } else {
        beyond.next_up()
    };
    let (mut lo, mut hi) = ([0f32; 8], [0f32; 8]);
    let chunks = row.chunks_exact(8);
    let rest = chunks.remainder();
    for chunk in chunks {
        for i in 0..8 {
            let v = if chunk[i].abs() < limit {
                chunk[i]
            } else {
                0.0
            };
            lo[i] = if v < lo[i] { v } else { lo[i] };
            hi[i] = if v > hi[i] { v } else { hi[i] };
        }
    }
    for v in rest {
        let v = if v.abs() < limit { *v } else { 0.0 };
        lo[0] = lo[0].min(v);
        hi[0] = hi[0].max(v);
    }
    let lo = lo.iter().copied().fold(0f32, f32::min);
    let hi = hi.iter().copied().fold(0f32, f32::max);
    let step = if hi > lo {
        (hi - lo) / INPUT_LEVELS
    } else {
        1.0
    };
    let inverse = 1.0 / step;
    for (c, v) in codes.iter_mut().zip(row) {
        *c = code((v - lo) * inverse);
    }
    let zero = code(-lo * inverse);
    for (k, v) in taken.iter() {
        if *v != 0.0 {
            codes[*k as usize] = zero;
        }
    }
    (step, lo)
}

/// `v` rounded to the nearest 7-bit code. Adding 1.5 · 2²³ leaves the rounded integer in the
/// low mantissa bits: integer operations only, so the loop over a row vectorises (a float to
/// integer cast would not).
#[inline(always)]
fn code(v: f32) -> u8 {
    const ROUND: f32 = 12_582_912.0;
    (v.clamp(0.0, INPUT_LEVELS) + ROUND).to_bits() as u8
}

/// The first eight values of `v` (zeros where it is shorter).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn lanes(v: &[f32]) -> [f32; 8] {
    let mut out = [0f32; 8];
    out.iter_mut().zip(v).for_each(|(o, v)| *o = *v);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic pseudo-random values in [-1, 1).
    fn values(n: usize, seed: u64) -> Vec<f32> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                ((s >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
            })
            .collect()
    }

    fn reference(w: &[f32], b: &[f32], x: &[f32], inputs: usize, outputs: usize) -> Vec<f32> {
        let rows = x.len() / inputs;
        let mut y = vec![0f32; rows * outputs];
        for r in 0..rows {
            for n in 0..outputs {
                y[r * outputs + n] = b[n]
                    + (0..inputs)
                        .map(|k| x[r * inputs + k] * w[n * inputs + k])
                        .sum::<f32>();
            }
        }
        y
    }

    #[test]
    fn kernel_gives_the_scalar_integer_products() {
        for (rows, inputs, outputs) in [(1, 4, 16), (5, 37, 24), (9, 64, 48), (4, 384, 32)] {
            let w = values(inputs * outputs, 1 + rows as u64);
            let b = values(outputs, 7);
            let mut x = values(rows * inputs, 3 + inputs as u64);
            // A few huge inputs, as in a transformer's hidden states.
            for r in 0..rows {
                x[r * inputs + (r * 7) % inputs] = 40.0;
            }
            let layer = QuantDense::new(&w, &b, inputs, outputs);
            let q = layer.quantize(&x);
            let mut scalar = vec![0f32; rows * outputs];
            layer.products_scalar(&q, &mut scalar);
            layer.add_outliers(&q, &mut scalar);
            let fast = layer.apply(&x);
            for (i, (s, f)) in scalar.iter().zip(&fast).enumerate() {
                assert!(
                    (s - f).abs() <= 1e-4 * (1.0 + s.abs()),
                    "{rows}×{inputs}→{outputs}, value {i}: kernel {f}, scalar {s}"
                );
            }
            // And both are close to the f32 product.
            let exact = reference(&w, &b, &x, inputs, outputs);
            let norm = exact.iter().map(|v| v * v).sum::<f32>().sqrt();
            let error = exact
                .iter()
                .zip(&fast)
                .map(|(e, f)| (e - f) * (e - f))
                .sum::<f32>()
                .sqrt();
            assert!(
                error <= 0.02 * norm,
                "{rows}×{inputs}→{outputs}: relative error {}",
                error / norm
            );
        }
    }

    #[test]
    fn outliers_are_exact_and_constant_rows_are_safe() {
        let (inputs, outputs) = (32, 16);
        let w = values(inputs * outputs, 11);
        let b = vec![0.5; outputs];
        // A row that is zero but for one huge value: all of it is carried in f32.
        let mut x = vec![0f32; inputs];
        x[5] = 1000.0;
        let layer = QuantDense::new(&w, &b, inputs, outputs);
        let y = layer.apply(&x);
        for (n, v) in y.iter().enumerate() {
            let want = 0.5 + 1000.0 * w[n * inputs + 5];
            assert!((v - want).abs() < 1e-2, "output {n}: {v} vs {want}");
        }
        // No rows: nothing to do.
        assert!(layer.apply(&[]).is_empty());
    }
}
