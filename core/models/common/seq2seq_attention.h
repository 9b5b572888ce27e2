#pragma once
// The attention blocks of encoder–decoder models: the encoder's self-attention, the
// decoder's causal self-attention and its cross-attention (queries from the decoder rows,
// keys and values from the encoder's output), each projected, split into heads, run through
// attend() and projected back.
//
// An additive score bias (T5's relative positions) rides on the dot product, so that the
// kernel, every variant and a record's recomputed tiles all see the biased scores without a
// field of their own: each query gets its bias row (divided by the scale) as extra
// coordinates and each key the one-hot of its position, so q'·k'ᵀ·scale = q·kᵀ·scale + bias.
// The recorded q and k then carry those S extra coordinates.

#include <string>

#include <torch/types.h>

#include "core/attention/variant.h"
#include "core/models/common/linear.h"

namespace attnscope {

class AttentionRecorder;
class ForwardProbe;
class WeightResolver;

struct ProjectedAttention {
    Linear query, key, value, output;
    int64_t heads = 0;
    int64_t headDim = 0;
};

// The four projections under `prefix` + their names (e.g. "q_proj", or T5's "q"), each
// [heads·headDim, hidden] (output [hidden, heads·headDim]), with biases when `bias`.
struct ProjectionNames {
    std::string query, key, value, output;
};
ProjectedAttention loadProjectedAttention(const WeightResolver &weights, const std::string &prefix,
                                          const ProjectionNames &names, int64_t hidden, int64_t heads,
                                          int64_t headDim, bool bias);

// One call: which layer of its stack, the score scale, the masks, an optional bias, and
// where it reports.
struct AttentionStep {
    int layer = 0;
    double scale = 1.0;
    bool causal = false;
    torch::Tensor keyMask;   // [S] bool or undefined
    torch::Tensor scoreBias; // [H, T, S] added to the scaled scores, or undefined
    const AttentionPlan *plan = nullptr;
    AttentionRecorder *recorder = nullptr;
    torch::Tensor headGates;      // [L, H] of this stack, or undefined
    ForwardProbe *probe = nullptr; // sees (and may patch) the per-head outputs
};

// x [T, hidden] (queries) over memory [S, hidden] (keys and values: x itself for
// self-attention) → [T, hidden] after the output projection.
torch::Tensor attendProjected(const ProjectedAttention &attention, const torch::Tensor &x,
                              const torch::Tensor &memory, const AttentionStep &step);

// q [H, T, d], k [H, S, d] with the bias folded in as described above: [H, T, d + S] and
// [H, S, d + S].
std::pair<torch::Tensor, torch::Tensor> withScoreBias(const torch::Tensor &q, const torch::Tensor &k,
                                                      const torch::Tensor &bias, double scale);

} // namespace attnscope
