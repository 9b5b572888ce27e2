#pragma once
// Value ranges and normalizations taken from the data itself.

#include <torch/types.h>

#include "viz/value_scale.h"

namespace attnscope {

// Smallest and largest finite value where masked is false (masked: optional bool tensor of the
// same shape). {0, 1} when nothing qualifies.
ValueRange dataRange(const torch::Tensor &values, const torch::Tensor &masked = {});

// [−m, m] with m the largest finite |value|, so that 0 sits at the middle of a diverging map.
ValueRange symmetricRange(const torch::Tensor &values, const torch::Tensor &masked = {});

// Each row divided by its largest |value| over unmasked cells (rows of zeros stay zero), so
// that a diffuse row shows its structure as clearly as a peaked one. Float32 result.
torch::Tensor normalizeRows(const torch::Tensor &values, const torch::Tensor &masked = {});

} // namespace attnscope
