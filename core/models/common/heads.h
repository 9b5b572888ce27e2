#pragma once
// Between the model's [T, heads·d] rows and the kernel's [heads, T, d] per-head layout.

#include <torch/types.h>

namespace attnscope {

// x [T, heads·d] → [heads, T, d], contiguous.
torch::Tensor splitHeads(const torch::Tensor &x, int64_t heads);

// perHead [heads, T, d] → [T, heads·d].
torch::Tensor mergeHeads(const torch::Tensor &perHead);

} // namespace attnscope
