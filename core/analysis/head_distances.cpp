#include "core/analysis/head_distances.h"

#include <cmath>

#include <torch/torch.h>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/attention_tensor.h"
#include "core/analysis/mds.h"

namespace attnscope {

torch::Tensor headJensenShannonDistances(const torch::Tensor &attention)
{
    const torch::Tensor values = checkedAttention(attention, QStringLiteral("head distances"));
    const torch::Tensor heads = values.flatten(0, 1); // [N, T, S]
    const int64_t count = heads.size(0);
    torch::Tensor distances = torch::zeros({count, count}, torch::kFloat64);
    const torch::Tensor selfTerms = torch::xlogy(heads, heads); // P ln P, 0 where P = 0
    for (int64_t head = 0; head < count; ++head) {
        const torch::Tensor p = heads[head].unsqueeze(0);
        const torch::Tensor m = 0.5 * (p + heads);
        const torch::Tensor divergence = 0.5 * (selfTerms[head].unsqueeze(0) - torch::xlogy(p, m))
                                         + 0.5 * (selfTerms - torch::xlogy(heads, m));
        distances[head] = divergence.sum({1, 2});
    }
    distances.fill_diagonal_(0.0);
    // Symmetric up to rounding; natural logs above, bits out (≤ 1 per row, as entropies).
    return 0.5 * (distances + distances.t()) / std::log(2.0);
}

namespace {

class HeadDistancesAnalysis : public Analysis {
public:
    QString name() const override { return QStringLiteral("head-distances"); }
    QString description() const override
    {
        return QStringLiteral("Jensen–Shannon distances between heads, summed over rows, embedded in 2-D with MDS (Clark et al. 2019)");
    }
    AnalysisResult run(const AnalysisContext &context, const AnalysisOptions &) const override
    {
        const torch::Tensor attention = contextAttention(context);
        AnalysisResult result;
        result.tensors["distances"] = headJensenShannonDistances(attention);
        result.tensors["mds"] = classicalMds(result.tensors["distances"]);
        result.summary[QStringLiteral("heads")] = qint64(attention.size(0) * attention.size(1));
        result.summary[QStringLiteral("head_index")] = QStringLiteral("row = layer * heads + head");
        return result;
    }
};

} // namespace

std::unique_ptr<Analysis> headDistancesAnalysis() { return std::make_unique<HeadDistancesAnalysis>(); }

} // namespace attnscope
