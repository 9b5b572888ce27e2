#pragma once
// Distances between attention heads (Clark et al. 2019, section 6): the Jensen–Shannon
// divergence of two heads' attention distributions, summed over the query rows,
//   D(h, g) = Σ_i JS(A_h[i], A_g[i]),  JS(P, Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M),  M = ½ (P + Q),
// in bits (log2, like every entropy in AttnScope: at most 1 per row); the heads are then
// placed in 2-D with classical MDS.

#include <torch/types.h>

namespace attnscope {

// [L·H, L·H] float64 for `attention` [L, H, T, S]; head (l, h) is row l·H + h.
torch::Tensor headJensenShannonDistances(const torch::Tensor &attention);

} // namespace attnscope
