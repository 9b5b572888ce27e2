#pragma once
// Checks shared by the analyses: attention arrives as [L, H, T, S] probabilities, from a
// model run or from a file, and the math runs in float64 so results are exact to 1e-12.

#include <functional>
#include <map>
#include <string>

#include <torch/types.h>

#include "core/analysis/analysis.h"

namespace attnscope {

// `attention` as contiguous float64 [L, H, T, S]; throws InputError naming `source` when it
// has another shape, is empty, or holds negative or non-finite values.
torch::Tensor checkedAttention(const torch::Tensor &attention, const QString &source);

// The context's attention ([L, H, T, S], float64, checked).
torch::Tensor contextAttention(const AnalysisContext &context);

// Per-head results of `compute` ([L, H, T, S] → named tensors) on the context's attention: on
// the whole attention when the record holds it dense, else one head at a time ([1, 1, T, S],
// recomputed exactly from a compact record's q and k, so long inputs fit in memory). Then a
// [1, 1] result goes to its head's cell of an [L, H] table, and any other result, which must
// be a mean over layers, heads and queries, is averaged over the heads.
std::map<std::string, torch::Tensor> headByHead(
    const AnalysisContext &context,
    const std::function<std::map<std::string, torch::Tensor>(const torch::Tensor &attention)> &compute);

// The context's model, or an InputError saying that `analysis` needs one.
const Model &contextModel(const AnalysisContext &context, const QString &analysis);

// [L, H]: mean over queries of the attention mass on `keys` ([S] bool), Σ_{j ∈ keys} A[i, j].
torch::Tensor attentionMassOn(const torch::Tensor &attention, const torch::Tensor &keys);

// Throws InputError when `index` is not in [0, size): "<what> <index> is outside 0 … size-1".
void checkIndex(int64_t index, int64_t size, const QString &what);

} // namespace attnscope
