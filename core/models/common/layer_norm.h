#pragma once
// The two normalizations of transformer blocks: LayerNorm (mean and variance, affine) and
// RMSNorm (LLaMA: root mean square only, computed in fp32, then the weight).

#include <torch/types.h>

namespace attnscope {

struct LayerNorm {
    torch::Tensor weight; // [d]
    torch::Tensor bias;   // [d] or undefined
    double eps = 1e-5;
    torch::Tensor operator()(const torch::Tensor &x) const;
};

struct RmsNorm {
    torch::Tensor weight; // [d]
    double eps = 1e-6;
    torch::Tensor operator()(const torch::Tensor &x) const;
};

} // namespace attnscope
