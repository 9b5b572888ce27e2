#include "core/analysis/attention_graph_topology.h"

#include <numeric>
#include <vector>

#include <torch/torch.h>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/attention_tensor.h"
#include "core/io/input_error.h"

namespace attnscope {

namespace {

class DisjointSets {
public:
    explicit DisjointSets(int64_t size) : m_parent(size_t(size)) { std::iota(m_parent.begin(), m_parent.end(), 0); }
    int64_t find(int64_t node)
    {
        while (m_parent[size_t(node)] != node)
            node = m_parent[size_t(node)] = m_parent[size_t(m_parent[size_t(node)])];
        return node;
    }
    // True when the two were in different sets.
    bool unite(int64_t a, int64_t b)
    {
        a = find(a);
        b = find(b);
        if (a == b)
            return false;
        m_parent[size_t(a)] = b;
        return true;
    }

private:
    std::vector<int64_t> m_parent;
};

} // namespace

GraphTopology headGraphTopology(const torch::Tensor &head, double threshold)
{
    if (!head.defined() || head.dim() != 2 || head.size(0) != head.size(1))
        throw InputError(QStringLiteral("attention graph topology"), QStringLiteral("needs one head's square [T, T] attention"));
    const torch::Tensor values = head.to(torch::kFloat64).contiguous();
    const torch::Tensor kept = (values > 0) & (values >= threshold);
    const torch::Tensor either = (kept | kept.t()).triu(1).contiguous();
    GraphTopology topology;
    topology.vertices = values.size(0);
    topology.components = topology.vertices;
    DisjointSets sets(topology.vertices);
    const bool *adjacent = either.data_ptr<bool>();
    for (int64_t i = 0; i < topology.vertices; ++i)
        for (int64_t j = i + 1; j < topology.vertices; ++j)
            if (adjacent[i * topology.vertices + j]) {
                ++topology.edges;
                if (sets.unite(i, j))
                    --topology.components;
            }
    topology.cycles = topology.edges - topology.vertices + topology.components;
    return topology;
}

namespace {

class GraphTopologyAnalysis : public Analysis {
public:
    QString name() const override { return QStringLiteral("graph-topology"); }
    QString description() const override
    {
        return QStringLiteral("Each head's thresholded attention graph: edges, connected components, independent cycles "
                              "(Cherniavskii et al. 2022)");
    }
    std::vector<AnalysisOption> options() const override
    {
        return {realOption(QStringLiteral("threshold"), 0.1, 0, 1, QStringLiteral("weights at or over it are edges"))};
    }
    AnalysisResult run(const AnalysisContext &context, const AnalysisOptions &options) const override
    {
        const torch::Tensor attention = contextAttention(context);
        const double threshold = options.real(QStringLiteral("threshold"));
        const int64_t layers = attention.size(0);
        const int64_t heads = attention.size(1);
        torch::Tensor edges = torch::zeros({layers, heads}, torch::kLong);
        torch::Tensor components = torch::zeros({layers, heads}, torch::kLong);
        torch::Tensor cycles = torch::zeros({layers, heads}, torch::kLong);
        for (int64_t layer = 0; layer < layers; ++layer)
            for (int64_t h = 0; h < heads; ++h) {
                const GraphTopology topology = headGraphTopology(attention[layer][h], threshold);
                edges[layer][h] = topology.edges;
                components[layer][h] = topology.components;
                cycles[layer][h] = topology.cycles;
            }
        AnalysisResult result;
        result.tensors["edges"] = edges;
        result.tensors["components"] = components;
        result.tensors["cycles"] = cycles;
        result.summary[QStringLiteral("threshold")] = threshold;
        return result;
    }
};

} // namespace

std::unique_ptr<Analysis> attentionGraphTopologyAnalysis() { return std::make_unique<GraphTopologyAnalysis>(); }

} // namespace attnscope
