#pragma once
// Whether a weight holds NaN or infinity, found from the bit patterns of its stored dtype (no
// widened copy, no bool tensor as large as the weight), in parallel: a model with such a
// weight computes all-NaN attention, so it is refused when the weight is loaded.

#include <cstdint>
#include <optional>

#include <torch/types.h>

namespace attnscope {

// The index of a non-finite element of a floating-point tensor (the first one found, not
// necessarily the lowest), or nullopt when all are finite. Non-contiguous tensors are copied.
std::optional<int64_t> nonFiniteElement(const torch::Tensor &tensor);

} // namespace attnscope
