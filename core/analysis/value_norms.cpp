#include "core/analysis/value_norms.h"

#include <cmath>

#include <QJsonArray>
#include <torch/torch.h>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/model_run.h"
#include "core/analysis/stream_probes.h"

namespace attnscope {

ValueNorms valueNorms(const torch::Tensor &alpha, const torch::Tensor &values, const Linear &output)
{
    const torch::Tensor a = alpha.to(torch::kFloat64);
    const torch::Tensor written = throughOutput(values, output); // [H, S, hidden]
    ValueNorms result;
    result.norms = a * written.norm(2, -1).unsqueeze(1);
    // One query row at a time keeps the [S, hidden] sums small.
    result.summed = torch::empty({a.size(1), a.size(2)}, torch::kFloat64);
    for (int64_t i = 0; i < a.size(1); ++i)
        result.summed[i] = torch::einsum("hj,hjo->jo", {a.select(1, i), written}).norm(2, -1);
    return result;
}

namespace {

torch::Tensor averageRanks(const torch::Tensor &values)
{
    const auto sorted = values.sort();
    const torch::Tensor order = std::get<1>(sorted);
    const auto v = std::get<0>(sorted).accessor<double, 1>();
    torch::Tensor ranks = torch::empty_like(values);
    const auto index = order.accessor<int64_t, 1>();
    auto r = ranks.accessor<double, 1>();
    for (int64_t start = 0; start < v.size(0);) {
        int64_t end = start;
        while (end + 1 < v.size(0) && v[end + 1] == v[start])
            ++end;
        for (int64_t i = start; i <= end; ++i)
            r[index[i]] = 0.5 * double(start + end);
        start = end + 1;
    }
    return ranks;
}

} // namespace

double spearman(const torch::Tensor &a, const torch::Tensor &b, const torch::Tensor &mask)
{
    const torch::Tensor ra = averageRanks(a.to(torch::kFloat64).masked_select(mask).contiguous());
    const torch::Tensor rb = averageRanks(b.to(torch::kFloat64).masked_select(mask).contiguous());
    const torch::Tensor ca = ra - ra.mean(), cb = rb - rb.mean();
    const double denominator = std::sqrt((ca * ca).sum().item<double>() * (cb * cb).sum().item<double>());
    return denominator > 0 ? (ca * cb).sum().item<double>() / denominator : std::nan("");
}

namespace {

class ValueNormsAnalysis final : public Analysis {
public:
    QString name() const override { return QStringLiteral("value-norms"); }
    QString description() const override
    {
        return QStringLiteral("Attention weights times value-vector norms (Kobayashi et al. 2020): ‖α f(x)‖ per head and summed over heads");
    }
    bool needsModel() const override { return true; }

    AnalysisResult run(const AnalysisContext &context, const AnalysisOptions &) const override
    {
        const torch::Tensor ids = contextIds(context, name());
        StreamCapture capture;
        ModelInput input = context.input;
        input.probe = &capture;
        input.differentiable = false;
        const torch::Tensor attention = runWithAttention(*context.model, input).attention; // [L, H, T, S]
        const int64_t layers = attention.size(0), heads = attention.size(1);
        const int64_t queries = attention.size(2), keys = attention.size(3);
        std::vector<torch::Tensor> norms, summed;
        for (int64_t layer = 0; layer < layers; ++layer) {
            const CapturedHeads &captured = capture.layers.at(size_t(layer));
            const ValueNorms layerNorms = valueNorms(attention[layer], captured.values, captured.output);
            norms.push_back(layerNorms.norms);
            summed.push_back(layerNorms.summed);
        }
        AnalysisResult result;
        result.tensors["norms"] = torch::stack(norms);
        result.tensors["norms_summed"] = torch::stack(summed);
        result.tensors["input_ids"] = ids;
        // Rank correlation over the pairs a query can see (a decoder's past and itself).
        torch::Tensor visible = torch::ones({queries, keys}, torch::kBool);
        if (context.model->info().causal)
            visible = visible.tril(keys - queries);
        torch::Tensor correlation = torch::empty({layers, heads}, torch::kFloat64);
        for (int64_t layer = 0; layer < layers; ++layer)
            for (int64_t head = 0; head < heads; ++head)
                correlation[layer][head] = spearman(attention[layer][head], norms[size_t(layer)][head], visible);
        result.tensors["rank_correlation"] = correlation;
        result.summary[QStringLiteral("mean_rank_correlation")] = correlation.nanmean().item<double>();
        return result;
    }
};

} // namespace

std::unique_ptr<Analysis> valueNormsAnalysis()
{
    return std::make_unique<ValueNormsAnalysis>();
}

} // namespace attnscope
