#pragma once
// Attention sinks (Xiao et al. 2023, "Efficient Streaming Language Models with Attention
// Sinks"): how much attention mass each head puts on the first (BOS) token, and on any other
// chosen keys, e.g. tokens with massive activations (Sun et al. 2024).

#include <torch/types.h>

namespace attnscope {

// [L, H]: mean over queries 1 … T−1 of Σ_{j ∈ keys} A[i, j]; query 0 is left out because in
// a causal model it can only attend to itself. `keys` is [S] bool.
torch::Tensor sinkScores(const torch::Tensor &attention, const torch::Tensor &keys);

// [S]: attention mass each key receives, averaged over layers, heads and queries 1 … T−1.
torch::Tensor meanReceivedAttention(const torch::Tensor &attention);

} // namespace attnscope
