#pragma once
// Per-head attention statistics of Clark et al. 2019 ("What Does BERT Look At?"), each
// [L, H] float64 and averaged over the query rows of one input:
//   to_cls, to_separator, to_punctuation  Σ_{j ∈ set} A[i, j]
//   self                                  A[i, i]
//   previous                              A[i, i − 1]  (query i attends the key just before it; rows i ≥ 1)
//   next                                  A[i, i + 1]  (query i attends the key just after it; rows i ≤ T − 2)
//   entropy                               −Σ_j A[i, j] log2 A[i, j]  (bits, 0 log 0 = 0)
//   distance                              Σ_j A[i, j] |i − j|  (mean attention distance, in tokens)
// and cls_entropy, the entropy of the CLS row alone (row 0 when there is no CLS token), in bits.
// Entropies are in bits everywhere in AttnScope (analyses, badges, figures), so a uniform row over
// T keys reads log2 T.

#include <map>
#include <string>

#include <torch/types.h>

#include "core/analysis/token_roles.h"

namespace attnscope {

// Named [L, H] statistics; `attention` is [L, H, T, T].
std::map<std::string, torch::Tensor> headStatistics(const torch::Tensor &attention, const TokenRoles &roles);

// Entropy in bits of each row of `probabilities` along the last dimension.
torch::Tensor rowEntropy(const torch::Tensor &probabilities);

} // namespace attnscope
