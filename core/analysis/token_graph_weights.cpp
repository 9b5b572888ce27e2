#include "core/analysis/token_graph_weights.h"

#include <torch/torch.h>

#include "core/analysis/attention_flow.h"
#include "core/analysis/attention_tensor.h"
#include "core/analysis/rollout.h"
#include "core/capture/attention_record.h"
#include "core/io/input_error.h"

namespace attnscope {

namespace {

const QString kSource = QStringLiteral("token graph");

// Layer l of the record as checked float64 [H, T, T].
torch::Tensor checkedLayer(const AttentionRecord &record, int layer)
{
    return checkedAttention(record.layer(layer).unsqueeze(0), kSource)[0];
}

torch::Tensor rolloutFactor(const AttentionRecord &record, int layer)
{
    return rolloutLayerMatrix(fuseHeads(checkedLayer(record, layer), HeadFusion::Mean), RolloutSettings{});
}

torch::Tensor unitRow(int64_t tokens, int64_t index)
{
    torch::Tensor row = torch::zeros({tokens}, torch::kFloat64);
    row[index] = 1.0;
    return row;
}

} // namespace

QStringList edgeSourceNames()
{
    return {QStringLiteral("head"), QStringLiteral("layer-mean"), QStringLiteral("rollout"), QStringLiteral("flow")};
}

QString edgeSourceName(EdgeSource source) { return edgeSourceNames().at(int(source)); }

std::optional<EdgeSource> edgeSourceFromName(const QString &name)
{
    const int index = edgeSourceNames().indexOf(name);
    if (index < 0)
        return std::nullopt;
    return EdgeSource(index);
}

bool edgeSourceNeedsOutput(EdgeSource source) { return source == EdgeSource::Rollout || source == EdgeSource::Flow; }

std::optional<TokenGraphWeights> tokenGraphWeights(const AttentionRecord &record, const EdgeWeightSettings &settings,
                                                   const GraphProgress &keepGoing)
{
    if (record.queries() != record.keys())
        throw InputError(kSource, QStringLiteral("needs self-attention (as many keys as queries)"));
    const int layers = int(record.layers());
    const int64_t tokens = record.queries();
    if (settings.source == EdgeSource::Head)
        checkIndex(settings.head, record.heads(), QStringLiteral("token graph head"));
    TokenGraphWeights weights;
    weights.source = settings.source;
    if (edgeSourceNeedsOutput(settings.source)) {
        weights.output = settings.output < 0 ? tokens - 1 : settings.output;
        checkIndex(weights.output, tokens, QStringLiteral("token graph output token"));
    }
    const auto advance = [&](int done, int total) { return !keepGoing || keepGoing(done, total); };

    std::vector<torch::Tensor> edges(static_cast<size_t>(layers));
    if (settings.source == EdgeSource::Head || settings.source == EdgeSource::LayerMean) {
        for (int layer = 0; layer < layers; ++layer) {
            const torch::Tensor heads = checkedLayer(record, layer);
            edges[size_t(layer)] = settings.source == EdgeSource::Head ? heads[settings.head] : heads.mean(0);
            if (!advance(layer + 1, layers))
                return std::nullopt;
        }
        weights.edges = torch::stack(edges);
        return weights;
    }

    std::vector<torch::Tensor> factors(static_cast<size_t>(layers));
    for (int layer = layers - 1; layer >= 0; --layer)
        factors[size_t(layer)] = rolloutFactor(record, layer);
    std::vector<torch::Tensor> nodes(static_cast<size_t>(layers) + 1);
    nodes[size_t(layers)] = unitRow(tokens, weights.output);
    if (settings.source == EdgeSource::Rollout) {
        // Mass at (l+1, i) splits over its keys in Â_l's proportions.
        for (int layer = layers - 1; layer >= 0; --layer) {
            edges[size_t(layer)] = nodes[size_t(layer) + 1].unsqueeze(1) * factors[size_t(layer)];
            nodes[size_t(layer)] = edges[size_t(layer)].sum(0);
            if (!advance(layers - layer, layers))
                return std::nullopt;
        }
    } else {
        // F_c from the flow network of layers c … L-1, whose bottom column is c.
        const torch::Tensor capacities = torch::stack(factors);
        for (int layer = layers - 1; layer >= 0; --layer) {
            edges[size_t(layer)] = torch::minimum(nodes[size_t(layer) + 1].unsqueeze(1), factors[size_t(layer)]);
            nodes[size_t(layer)] = attentionFlowFrom(capacities.slice(0, layer), weights.output);
            if (!advance(layers - layer, layers))
                return std::nullopt;
        }
    }
    weights.edges = torch::stack(edges);
    weights.nodes = torch::stack(nodes);
    return weights;
}

} // namespace attnscope
