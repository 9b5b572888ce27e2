#pragma once
// Head importance (Michel et al. 2019, "Are Sixteen Heads Really Better than One?"):
// I_h = |∂L/∂ξ_h| for a gate ξ_h = 1 on each head's output, normalized per layer by its L2
// norm and then min–max scaled over all heads; and the pruning curve that masks the least
// important 10% of the heads again and again, re-scoring the remaining ones each time.

#include <torch/types.h>

#include "core/models/model.h"

namespace attnscope {

// Per-layer L2 normalization, then min–max scaling to [0, 1] ([L, H] float64).
torch::Tensor normalizeHeadImportance(const torch::Tensor &raw);

// The loss the importance differentiates: mean next-token cross-entropy for causal language
// models, cross-entropy against the predicted class for classifiers (no labels are given).
// `reference` is the unmasked model's logits, whose argmax is the classifier's label.
torch::Tensor importanceLoss(const ModelInfo &info, const torch::Tensor &logits, const ModelInput &input,
                             const torch::Tensor &reference);

// |∂ loss / ∂ gates| at `gates` ([L, H], 1 = head on, 0 = masked).
torch::Tensor rawHeadImportance(const Model &model, const ModelInput &input, const torch::Tensor &gates,
                                const torch::Tensor &reference);

struct PruningStep {
    int64_t masked = 0;
    double loss = 0;
    double agreement = 0; // share of predictions (argmax) equal to the unmasked model's
};

// Masks ceil(fraction · L·H) more heads per step until all are masked; the first step is 0.
std::vector<PruningStep> pruningCurve(const Model &model, const ModelInput &input, double fraction);

} // namespace attnscope
