#include "core/models/common/layer_norm.h"

#include <torch/torch.h>

namespace attnscope {

torch::Tensor LayerNorm::operator()(const torch::Tensor &x) const
{
    return torch::layer_norm(x, {weight.size(0)}, weight, bias, eps);
}

torch::Tensor RmsNorm::operator()(const torch::Tensor &x) const
{
    const torch::Tensor variance = x.pow(2).mean(-1, true);
    return weight * (x * torch::rsqrt(variance + eps));
}

} // namespace attnscope
