#pragma once
// What the attention kernel reports to while a model runs (the hook every layer calls, in
// the spirit of llama.cpp's cb(cur, name, il)). AttentionRecord is the usual implementation.

#include <torch/types.h>

#include "core/attention/attention_inputs.h"
#include "core/attention/variant.h"

namespace attnscope {

class AttentionRecorder {
public:
    virtual ~AttentionRecorder() = default;
    // Called once before the first layer: sizes of what is coming.
    virtual void beginForward(int64_t layers, int64_t heads, int64_t queries, int64_t keys) = 0;
    // Every layer: q, k (and the mask and scale) as the kernel scored them, and the plan.
    virtual void recordLayer(const AttentionInputs &inputs, const AttentionPlan &plan) = 0;
    // Whether the kernel should hand over dense probability rows for this layer.
    virtual bool wantsProbabilities(int layer) const = 0;
    // Probability rows [H, r, S] for queries [rowBegin, rowBegin + r), every head.
    virtual void recordRows(int layer, int64_t rowBegin, const torch::Tensor &probabilities) = 0;
    // Every block of every layer: each row's largest allowed score and the sum of
    // exp(score - max) over the row ([H, r]; max 0 and sum 0 for rows with no allowed key),
    // so a record can recompute any reference tile from q and k alone.
    virtual void recordNormalizers(int /*layer*/, int64_t /*rowBegin*/,
                                   const torch::Tensor & /*rowMax*/,
                                   const torch::Tensor & /*rowSum*/) {}
};

} // namespace attnscope
