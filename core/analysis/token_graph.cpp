#include "core/analysis/token_graph.h"

#include <algorithm>
#include <cmath>

#include <torch/torch.h>

#include "core/io/input_error.h"

namespace attnscope {

TokenGraph::TokenGraph(const torch::Tensor &weights, const EdgeFilter &filter) : m_filter(filter)
{
    if (!weights.defined() || weights.dim() != 3 || weights.size(1) != weights.size(2) || !weights.is_floating_point())
        throw InputError(QStringLiteral("token graph"), QStringLiteral("edge weights must be floats of shape [layers, T, T]"));
    if (filter.topK < 0 || std::isnan(filter.threshold))
        throw InputError(QStringLiteral("token graph"), QStringLiteral("top-k must be ≥ 0 and the threshold a number"));
    const torch::Tensor values = weights.to(torch::kFloat64).contiguous();
    m_layers = int(values.size(0));
    m_tokens = int(values.size(1));
    const double *data = values.data_ptr<double>();
    m_layerBegin.reserve(size_t(m_layers) + 1);
    m_nodeBegin.reserve(size_t(m_layers) * size_t(m_tokens) + 1);
    std::vector<int32_t> kept;
    for (int layer = 0; layer < m_layers; ++layer) {
        m_layerBegin.push_back(m_edges.size());
        for (int from = 0; from < m_tokens; ++from) {
            m_nodeBegin.push_back(m_edges.size());
            const double *row = data + (int64_t(layer) * m_tokens + from) * m_tokens;
            kept.clear();
            for (int32_t to = 0; to < m_tokens; ++to)
                if (row[to] > 0 && row[to] >= filter.threshold)
                    kept.push_back(to);
            const auto stronger = [row](int32_t a, int32_t b) { return row[a] > row[b] || (row[a] == row[b] && a < b); };
            const size_t count = filter.topK > 0 ? std::min(kept.size(), size_t(filter.topK)) : kept.size();
            std::partial_sort(kept.begin(), kept.begin() + std::ptrdiff_t(count), kept.end(), stronger);
            for (size_t n = 0; n < count; ++n) {
                const auto weight = float(row[kept[n]]);
                m_edges.push_back(GraphEdge{layer, from, kept[n], weight});
                m_maxWeight = std::max(m_maxWeight, weight);
            }
        }
    }
    m_layerBegin.push_back(m_edges.size());
    m_nodeBegin.push_back(m_edges.size());
}

std::pair<size_t, size_t> TokenGraph::edgesFrom(int column, int token) const
{
    if (column < 1 || column > m_layers || token < 0 || token >= m_tokens)
        return {0, 0};
    const size_t node = size_t(column - 1) * size_t(m_tokens) + size_t(token);
    return {m_nodeBegin[node], m_nodeBegin[node + 1]};
}

bool Influence::reaches(int nodeColumn, int nodeToken) const
{
    return !isEmpty() && reached[size_t(nodeColumn)][size_t(nodeToken)] != 0;
}

Influence influenceOf(const TokenGraph &graph, int column, int token)
{
    Influence influence;
    if (column < 0 || column > graph.layers() || token < 0 || token >= graph.tokens())
        return influence;
    influence.column = column;
    influence.token = token;
    influence.reached.assign(size_t(graph.layers()) + 1, std::vector<char>(size_t(graph.tokens()), 0));
    influence.onPath.assign(graph.edges().size(), 0);
    influence.reached[size_t(column)][size_t(token)] = 1;
    // Edges only go down one column, so one sweep from the chosen column reaches everything.
    for (int from = column; from >= 1; --from)
        for (int t = 0; t < graph.tokens(); ++t) {
            if (!influence.reached[size_t(from)][size_t(t)])
                continue;
            const auto [begin, end] = graph.edgesFrom(from, t);
            for (size_t e = begin; e < end; ++e) {
                influence.onPath[e] = 1;
                influence.reached[size_t(from) - 1][size_t(graph.edges()[e].to)] = 1;
            }
        }
    return influence;
}

} // namespace attnscope
