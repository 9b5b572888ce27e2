#include "core/models/common/linear.h"

#include <torch/torch.h>

namespace attnscope {

torch::Tensor Linear::operator()(const torch::Tensor &x) const
{
    return torch::linear(x, weight, bias);
}

} // namespace attnscope
