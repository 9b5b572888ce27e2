#pragma once
// Attention flow (Abnar & Zuidema 2020): the layers form a graph with one node per token per
// layer; the edge from token i of layer l+1 to token j of layer l has capacity Â_l[i, j]
// (head-fused, residual-adjusted attention, as in rollout). The flow of output token i to
// input token j is the maximum flow between the two nodes, solved with Boost.Graph's
// push-relabel.

#include <torch/types.h>

#include "core/analysis/rollout.h"

namespace attnscope {

// Max-flow value from output token `output` (top of the graph) to every input token: [T].
// `capacities` is [L, T, T] from rolloutLayerMatrices(). Solves run on `threads` threads.
torch::Tensor attentionFlowFrom(const torch::Tensor &capacities, int64_t output, int threads = 2);

// Every output token: [T, T], row i = attentionFlowFrom(i) (T² solves).
torch::Tensor attentionFlowMatrix(const torch::Tensor &capacities, int threads = 2);

} // namespace attnscope
