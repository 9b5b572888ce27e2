#pragma once
// The kept edges of a layered token graph (see token_graph_weights.h): an edge from node
// (l+1, i) to node (l, j) is kept when its weight w is positive, w ≥ threshold, and it is
// among the topK strongest kept edges leaving (l+1, i) (ties: the lower key first; topK = 0
// keeps all). The paths of influence of a node are every node and edge reachable from it
// downwards through kept edges, back to the inputs.

#include <cstdint>
#include <vector>

#include <torch/types.h>

namespace attnscope {

struct GraphEdge {
    int32_t layer = 0; // between column layer + 1 (from) and column layer (to)
    int32_t from = 0;  // query token in column layer + 1
    int32_t to = 0;    // key token in column layer
    float weight = 0;
};

struct EdgeFilter {
    double threshold = 0;
    int topK = 0; // per node; 0 = every edge over the threshold
};

class TokenGraph {
public:
    TokenGraph() = default;
    // weights: [L, T, T] as TokenGraphWeights::edges (any floating type).
    TokenGraph(const torch::Tensor &weights, const EdgeFilter &filter);

    int layers() const { return m_layers; }  // L; there are L + 1 columns
    int tokens() const { return m_tokens; }
    const EdgeFilter &filter() const { return m_filter; }
    // Kept edges ordered by layer, then from, then strongest first.
    const std::vector<GraphEdge> &edges() const { return m_edges; }
    // Edges of one layer: [layerBegin(l), layerBegin(l + 1)).
    size_t layerBegin(int layer) const { return m_layerBegin[size_t(layer)]; }
    // Edges leaving node (column, token), column ≥ 1.
    std::pair<size_t, size_t> edgesFrom(int column, int token) const;
    float maxWeight() const { return m_maxWeight; }

private:
    int m_layers = 0;
    int m_tokens = 0;
    EdgeFilter m_filter;
    std::vector<GraphEdge> m_edges;
    std::vector<size_t> m_layerBegin; // L + 1 offsets
    std::vector<size_t> m_nodeBegin;  // per (layer, from): L·T + 1 offsets
    float m_maxWeight = 0;
};

struct Influence {
    int column = -1; // the chosen node; -1 = nothing chosen
    int token = -1;
    std::vector<std::vector<char>> reached; // [L + 1][T]: on a path from the chosen node
    std::vector<char> onPath;               // per kept edge (TokenGraph::edges order)
    bool isEmpty() const { return column < 0; }
    bool reaches(int column, int token) const;
};

// Every node and kept edge on a path from (column, token) down to column 0.
Influence influenceOf(const TokenGraph &graph, int column, int token);

} // namespace attnscope
