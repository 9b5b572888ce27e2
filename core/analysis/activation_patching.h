#pragma once
// Activation patching (causal tracing, Meng et al. 2022; Wang et al. 2023): run a corrupted
// input, put back one piece of the clean run (a head's output, or the residual stream at one
// layer and position) and measure how much of the clean behaviour returns:
// recovered = (metric(patched) − metric(corrupted)) / (metric(clean) − metric(corrupted)).

#include <functional>

#include <torch/types.h>

#include "core/models/model.h"

namespace attnscope {

// The metric read from a run's logits [T, vocab] (float64), given the clean run's.
using PatchingMetric = std::function<double(const torch::Tensor &logits, const torch::Tensor &cleanLogits)>;

struct PatchingMaps {
    torch::Tensor heads;     // [L, H]
    torch::Tensor residuals; // [L+1, T]: after the embedding, then after each layer
    double clean = 0, corrupted = 0;
};

// Throws InputError when the two inputs have different lengths or the metric does not tell
// them apart.
PatchingMaps activationPatching(const Model &model, const ModelInput &clean, const ModelInput &corrupted,
                                const PatchingMetric &metric);

} // namespace attnscope
