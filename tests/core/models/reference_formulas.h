#pragma once
// The transformers formulas the decoder families are built from, written out with plain
// torch operations and nothing from the engine: the independent side of every family test.
// Shapes: rows [T, d]; per head [H, T, d].

#include <torch/torch.h>

namespace attnscope::test::reference {

// LlamaRMSNorm: x / sqrt(mean(x²) + eps) · w; GemmaRMSNorm multiplies by (1 + w).
torch::Tensor rmsNorm(const torch::Tensor &x, const torch::Tensor &weight, double eps, bool gemma = false);
// nn.LayerNorm: (x − mean) / sqrt(var + eps) · w + b (biased variance).
torch::Tensor layerNorm(const torch::Tensor &x, const torch::Tensor &weight, const torch::Tensor &bias, double eps);
// x·Wᵀ (+ b).
torch::Tensor linear(const torch::Tensor &x, const torch::Tensor &weight, const torch::Tensor &bias = {});

torch::Tensor geluTanh(const torch::Tensor &x); // gelu_pytorch_tanh / gelu_new
torch::Tensor geluExact(const torch::Tensor &x); // x · Φ(x) with erf
torch::Tensor silu(const torch::Tensor &x);

// [T, H·d] → [H, T, d] and back.
torch::Tensor heads(const torch::Tensor &rows, int64_t count);
torch::Tensor rows(const torch::Tensor &perHead);

// 1 / theta^(2i / dim) for i < dim / 2.
torch::Tensor inverseFrequencies(double theta, int64_t dim);

// apply_rotary_pos_emb with rotate_half on the first 2·len(invFreq) dims of x [H, T, d],
// positions 0…T−1; cos and sin multiplied by `attentionScaling` (longrope).
torch::Tensor rope(const torch::Tensor &x, const torch::Tensor &invFreq, double attentionScaling = 1.0);

struct Attention {
    torch::Tensor probabilities; // [H, T, T]
    torch::Tensor output;        // [T, H·dv] before o_proj
};

// eager_attention_forward: repeat_kv, scores q·kᵀ·scale, soft-capped by `softCap` when > 0,
// causal mask (unless !causal), and key j hidden from query i when i − j ≥ window (window > 0).
Attention attend(const torch::Tensor &q, const torch::Tensor &k, const torch::Tensor &v, double scale,
                 double softCap = 0, int64_t window = 0, bool causal = true);

} // namespace attnscope::test::reference
