#pragma once
// Runs a model for the analyses that build their own inputs (induction, retrieval) or need
// gradients (head importance, relevance), keeping the dense attention of every layer.

#include <torch/types.h>

#include "core/models/model.h"

namespace attnscope {

struct RecordedRun {
    torch::Tensor attention; // [L, H, T, S] float64
    torch::Tensor logits;    // as the model returned them (with autograd when asked)
};

// One forward pass with `plan`; attention is copied out dense, detached.
RecordedRun runWithAttention(const Model &model, const ModelInput &input, const AttentionPlan &plan = {});

} // namespace attnscope
