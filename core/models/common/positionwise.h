#pragma once
// Position-wise blocks (the feed-forward network) see one token at a time, so a long input
// can run them on blocks of rows: the wide intermediate activations then never exceed one
// block, which is what keeps an 8,192-token forward inside its memory budget.

#include <functional>

#include <torch/types.h>

namespace attnscope {

// Rows (dimension −2) per block; shorter inputs run in one piece.
constexpr int64_t kPositionwiseBlockRows = 1024;

torch::Tensor applyPositionwise(const torch::Tensor &x,
                                const std::function<torch::Tensor(const torch::Tensor &)> &block);

} // namespace attnscope
