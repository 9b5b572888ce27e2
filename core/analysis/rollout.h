#pragma once
// Attention rollout (Abnar & Zuidema 2020, "Quantifying Attention Flow in Transformers"):
// heads fused per layer, the residual connection modelled as 0.5·(A + I) with every row
// renormalized, and the layers multiplied: R = Â_last · … · Â_start.

#include <torch/types.h>

#include "core/analysis/analysis.h"

namespace attnscope {

enum class HeadFusion { Mean, Max, Min };

struct RolloutSettings {
    HeadFusion fusion = HeadFusion::Mean;
    bool residual = true;      // 0.5·(A + I) before renormalizing the rows
    double discardRatio = 0;   // zero this fraction of each layer's smallest fused weights
    int64_t keepRow = 0;       // query row never discarded (CLS); -1 = none
    int64_t startLayer = 0;
};

// Heads of one layer [H, T, S] fused to [T, S].
torch::Tensor fuseHeads(const torch::Tensor &layer, HeadFusion fusion);

// Â of one layer from its fused [T, T] weights: discard, residual, row normalization.
torch::Tensor rolloutLayerMatrix(const torch::Tensor &fused, const RolloutSettings &settings);

// Â of every layer from startLayer on: [L - startLayer, T, T] float64 (also the capacities of
// attention flow). `attention` is [L, H, T, T]. Throws InputError on bad settings.
torch::Tensor rolloutLayerMatrices(const torch::Tensor &attention, const RolloutSettings &settings);

// Rollout after every layer from startLayer on: [L - startLayer, T, T] float64; the last
// entry is the full rollout. `attention` is [L, H, T, T]. Throws InputError on bad settings.
torch::Tensor attentionRollout(const torch::Tensor &attention, const RolloutSettings &settings);

// The --head-fusion option shared by rollout and flow, and its value.
AnalysisOption headFusionOption();
HeadFusion headFusionOf(const AnalysisOptions &options);

} // namespace attnscope
