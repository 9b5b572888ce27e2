#pragma once
// The one attention kernel every model family calls. Reference: softmax(q·kᵀ·scale + mask),
// computed in blocks of query rows so that memory stays O(T·d) beyond a block; heads under a
// variant of the AttentionPlan use that variant instead.

#include <torch/types.h>

#include "core/attention/attention_inputs.h"
#include "core/attention/variant.h"

namespace attnscope {

class AttentionRecorder;

// Output [H, T, dv] (per query head, before the output projection).
torch::Tensor attend(const AttentionInputs &inputs, const AttentionPlan &plan,
                     AttentionRecorder *recorder);

// Exact probabilities [r1 - r0, c1 - c0] of one head for a tile, recomputed from q and k
// the same way attend() computes them. Used by records that did not keep the dense matrix.
torch::Tensor attentionTile(const AttentionInputs &inputs, const AttentionPlan &plan,
                            int64_t head, int64_t r0, int64_t r1, int64_t c0, int64_t c1);

// Scores from the products q·kᵀ: times the scale, then soft-capped when the layer says so.
// Every score computation goes through here, so variants see the capped scores too.
torch::Tensor scaledScores(const AttentionInputs &inputs, const torch::Tensor &products);

// The causal/padding mask for query rows [r0, r1): [r, S] bool, true = may attend.
torch::Tensor allowedKeys(const AttentionInputs &inputs, int64_t r0, int64_t r1);

} // namespace attnscope
