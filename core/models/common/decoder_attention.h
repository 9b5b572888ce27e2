#pragma once
// The causal self-attention step every decoder family shares: append the new keys and
// values to the cache, run the kernel (causal, offset by what the cache held), gate the
// heads and merge them back to rows.

#include <vector>

#include <torch/types.h>

#include "core/attention/variant.h"

namespace attnscope {

class AttentionRecorder;

// Keys and values of every layer for the positions already run ([Hkv, S, d] each).
struct KvCache {
    std::vector<torch::Tensor> keys;
    std::vector<torch::Tensor> values;
    int64_t length() const { return keys.empty() || !keys.front().defined() ? 0 : keys.front().size(1); }
};

// What stays the same across the layers of one forward call.
struct DecoderPass {
    KvCache *cache = nullptr;   // null: no cache, the call sees only its own tokens
    torch::Tensor keyMask;      // [S] bool over cached + new keys, or undefined
    torch::Tensor headGates;    // [L, H] or undefined
    const AttentionPlan *plan = nullptr;
    AttentionRecorder *recorder = nullptr;
};

struct DecoderAttention {
    int layer = 0;
    double scale = 1.0;
    double softCap = 0;         // > 0: scores soft-capped before the softmax (Gemma 2)
    int64_t slidingWindow = 0;
};

// q [H, T, d], k [Hkv, T, d], v [Hkv, T, dv] of the new tokens (positions applied) →
// attention output rows [T, H·dv] before the output projection.
torch::Tensor decoderAttention(const DecoderAttention &attention, const torch::Tensor &q,
                               torch::Tensor k, torch::Tensor v, const DecoderPass &pass);

} // namespace attnscope
