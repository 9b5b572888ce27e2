#include "core/models/common/positionwise.h"

#include <vector>

#include <torch/torch.h>

namespace attnscope {

torch::Tensor applyPositionwise(const torch::Tensor &x,
                                const std::function<torch::Tensor(const torch::Tensor &)> &block)
{
    const int64_t rows = x.size(-2);
    if (rows <= kPositionwiseBlockRows)
        return block(x);
    std::vector<torch::Tensor> pieces;
    for (int64_t r0 = 0; r0 < rows; r0 += kPositionwiseBlockRows)
        pieces.push_back(block(x.narrow(-2, r0, std::min(kPositionwiseBlockRows, rows - r0))));
    return torch::cat(pieces, -2);
}

} // namespace attnscope
