#pragma once
// The weights of the layered token graph (Abnar & Zuidema 2020 draw attention this way): one
// column of token nodes per layer boundary, column 0 the inputs and column L the outputs. The
// edge from node (l+1, i) to node (l, j) carries what layer l's query i takes from key j:
//   head       A_{l,h}[i, j] of one head;
//   layer mean the mean over the layer's heads;
//   rollout    the rollout contribution of an output token o: the rollout mass of o that
//              reaches (l+1, i), times Â_l[i, j] (Â as in rollout: mean-fused, 0.5·(A + I),
//              rows renormalized). The contributions reaching input j add up to rollout[o, j];
//   flow       the most attention flow from o that can pass through the edge:
//              min(F_{l+1}(i), Â_l[i, j]), F_c(i) the max-flow value from (L, o) to (c, i) in
//              the flow network of attention flow (capacities Â).
// Rollout and flow also give every node its value: the rollout mass or the max flow from o.

#include <functional>
#include <optional>

#include <QString>
#include <QStringList>
#include <torch/types.h>

namespace attnscope {

class AttentionRecord;

enum class EdgeSource { Head, LayerMean, Rollout, Flow };

QStringList edgeSourceNames(); // "head", "layer-mean", "rollout", "flow"
QString edgeSourceName(EdgeSource source);
std::optional<EdgeSource> edgeSourceFromName(const QString &name);
bool edgeSourceNeedsOutput(EdgeSource source); // rollout and flow follow one output token

struct EdgeWeightSettings {
    EdgeSource source = EdgeSource::LayerMean;
    int head = 0;        // Head
    int64_t output = -1; // Rollout and Flow: the output token o; -1 = the last one
};

struct TokenGraphWeights {
    EdgeSource source = EdgeSource::LayerMean;
    torch::Tensor edges; // [L, T, T] float64: edges[l][i][j] from node (l+1, i) to node (l, j)
    torch::Tensor nodes; // [L + 1, T] float64 for rollout and flow (undefined otherwise)
    int64_t output = -1; // the output token rollout and flow followed
};

// keepGoing(done, total) is called as the work advances (flow: one call per column solved);
// returning false cancels, and the result is then nullopt. Throws InputError when the record
// is not self-attention or a setting is out of range.
using GraphProgress = std::function<bool(int done, int total)>;
std::optional<TokenGraphWeights> tokenGraphWeights(const AttentionRecord &record,
                                                   const EdgeWeightSettings &settings,
                                                   const GraphProgress &keepGoing = {});

} // namespace attnscope
