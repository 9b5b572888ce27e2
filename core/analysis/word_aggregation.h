#pragma once
// Word-level attention from subword attention (Clark et al. 2019, section 2): for attention
// *to* a split word the pieces' weights are summed, for attention *from* a split word the
// pieces' rows are averaged, so every word row still sums to one.

#include <torch/types.h>

namespace attnscope {

// `attention` [..., T, T], `words` [T] int64 word index per token (0 … W−1, every index used)
// → [..., W, W] float64: out[a, b] = mean_{i ∈ a} Σ_{j ∈ b} A[i, j].
torch::Tensor aggregateWords(const torch::Tensor &attention, const torch::Tensor &words);

} // namespace attnscope
