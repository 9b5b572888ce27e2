#include "core/models/common/heads.h"

#include <torch/torch.h>

namespace attnscope {

torch::Tensor splitHeads(const torch::Tensor &x, int64_t heads)
{
    return x.view({x.size(0), heads, -1}).transpose(0, 1).contiguous();
}

torch::Tensor mergeHeads(const torch::Tensor &perHead)
{
    return perHead.transpose(0, 1).reshape({perHead.size(1), -1});
}

} // namespace attnscope
