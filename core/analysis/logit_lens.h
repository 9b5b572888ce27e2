#pragma once
// Logit lens (nostalgebraist 2020): the residual stream after the embedding and after every
// layer, read through the model's own final norm and LM head as if the model stopped there.
// The last entry is the model's output, so its log-probabilities are the model's own.

#include <vector>

#include <torch/types.h>

#include "core/models/model.h"

namespace attnscope {

struct LogitLens {
    torch::Tensor topIds;         // [L+1, T, k] int64
    torch::Tensor topLogprobs;    // [L+1, T, k] float64
    torch::Tensor targetRank;     // [L+1, T] int64: how many tokens are more likely than the target
    torch::Tensor targetLogprob;  // [L+1, T] float64
};

// `residuals`: L + 1 streams [T, hidden]; `targets` [T] int64, one token per position.
LogitLens logitLens(const Model &model, const std::vector<torch::Tensor> &residuals,
                    const torch::Tensor &targets, int64_t k);

} // namespace attnscope
