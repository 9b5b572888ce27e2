#pragma once
// A dense layer: y = x·Wᵀ + b with W [out, in] (GPT-2's Conv1D [in, out] is transposed at
// load, see WeightResolver::conv1d).

#include <torch/types.h>

namespace attnscope {

struct Linear {
    torch::Tensor weight; // [out, in]
    torch::Tensor bias;   // [out] or undefined
    torch::Tensor operator()(const torch::Tensor &x) const;
};

} // namespace attnscope
