#pragma once
// Attention through the values (Kobayashi et al. 2020, "Attention is Not Only a Weight"):
// what token j sends to token i through head h is α_ij · f_h(x_j), with f_h(x) = (x W_V + b_V)
// W_O^h the value vector through the head's slice of the output projection (b_O, shared by
// every token, is left out as in the paper). Its norm weighs each weight by how much the
// head actually writes; the norm of the sum over heads is the layer's token-to-token flow.

#include <torch/types.h>

#include "core/models/common/linear.h"

namespace attnscope {

struct ValueNorms {
    torch::Tensor norms;  // [H, T, S] ‖α_ij f_h(x_j)‖
    torch::Tensor summed; // [T, S]    ‖Σ_h α_ij f_h(x_j)‖
};

// alpha [H, T, S]; values [Hkv, S, dv] (bias included); `output` the layer's W_O.
ValueNorms valueNorms(const torch::Tensor &alpha, const torch::Tensor &values, const Linear &output);

// Spearman's rank correlation of two tensors over the entries where `mask` is true (ties
// share their average rank); NaN when either side is constant.
double spearman(const torch::Tensor &a, const torch::Tensor &b, const torch::Tensor &mask);

} // namespace attnscope
