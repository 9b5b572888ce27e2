#pragma once
// The causal self-attention step every decoder family shares: append the new keys and
// values to the cache, run the kernel (causal, offset by what the cache held), gate the
// heads, show them to the probe, merge them back to rows and project them.

#include <vector>

#include <torch/types.h>

#include "core/attention/variant.h"
#include "core/models/common/linear.h"

namespace attnscope {

class AttentionRecorder;
class ForwardProbe;

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
    ForwardProbe *probe = nullptr;
};

struct DecoderAttention {
    int layer = 0;
    double scale = 1.0;
    double softCap = 0;         // > 0: scores soft-capped before the softmax (Gemma 2)
    int64_t slidingWindow = 0;
    const Linear *output = nullptr; // the output projection
};

// q [H, T, d], k [Hkv, T, d], v [Hkv, T, dv] of the new tokens (positions applied) →
// the attention output through the output projection, [T, hidden].
torch::Tensor decoderAttention(const DecoderAttention &attention, const torch::Tensor &q,
                               torch::Tensor k, torch::Tensor v, const DecoderPass &pass);

} // namespace attnscope
