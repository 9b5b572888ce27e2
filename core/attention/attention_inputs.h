#pragma once
// What one attention layer hands to the attention kernel, for one sequence (no batch).

#include <torch/types.h>

namespace attnscope {

struct AttentionInputs {
    int layer = 0;
    torch::Tensor q;        // [H, T, d]   one row per query head, positions applied (RoPE)
    torch::Tensor k;        // [Hkv, S, d] Hkv divides H (GQA: query head h reads kv head h / (H/Hkv))
    torch::Tensor v;        // [Hkv, S, dv]
    double scale = 1.0;     // scores = q·kᵀ·scale (usually 1/sqrt(d))
    double softCap = 0;     // > 0: scores = cap·tanh(scores / cap) before the mask (Gemma 2)
    bool causal = false;    // query i sees key j only when j <= i + (S - T)
    torch::Tensor keyMask;  // optional [S] bool, true = key may be attended (padding false)
    int64_t slidingWindow = 0; // > 0: query i also sees only keys j > i + (S - T) - window (Mistral)

    int64_t heads() const { return q.size(0); }
    int64_t kvHeads() const { return k.size(0); }
    int64_t queries() const { return q.size(1); }
    int64_t keys() const { return k.size(1); }
    int64_t kvHeadOf(int64_t head) const { return head / (heads() / kvHeads()); }
};

} // namespace attnscope
