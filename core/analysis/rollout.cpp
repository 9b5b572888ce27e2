#include "core/analysis/rollout.h"

#include <torch/torch.h>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/attention_tensor.h"
#include "core/io/input_error.h"

namespace attnscope {

torch::Tensor fuseHeads(const torch::Tensor &layer, HeadFusion fusion)
{
    switch (fusion) {
    case HeadFusion::Max:
        return std::get<0>(layer.max(0));
    case HeadFusion::Min:
        return std::get<0>(layer.min(0));
    case HeadFusion::Mean:
        break;
    }
    return layer.mean(0);
}

namespace {

// Zeroes the floor(ratio · n) smallest of the n weights outside the kept row; ties go to the
// lower flat index first (stable sort), so the result does not depend on the sort algorithm.
torch::Tensor discardSmallest(const torch::Tensor &fused, double ratio, int64_t keepRow)
{
    torch::Tensor flat = fused.reshape(-1).clone();
    const int64_t columns = fused.size(1);
    torch::Tensor candidates = torch::arange(flat.numel(), torch::kLong);
    if (keepRow >= 0)
        candidates = candidates.masked_select(candidates.div(columns, "floor") != keepRow);
    const auto count = static_cast<int64_t>(std::floor(ratio * double(candidates.numel())));
    if (count == 0)
        return fused;
    const torch::Tensor order = std::get<1>(flat.index_select(0, candidates).sort(true, 0, false));
    flat.index_fill_(0, candidates.index_select(0, order.slice(0, 0, count)), 0.0);
    return flat.view_as(fused);
}

} // namespace

torch::Tensor rolloutLayerMatrix(const torch::Tensor &fused, const RolloutSettings &settings)
{
    torch::Tensor matrix = settings.discardRatio > 0
                               ? discardSmallest(fused, settings.discardRatio, settings.keepRow)
                               : fused;
    if (settings.residual)
        matrix = 0.5 * (matrix + torch::eye(matrix.size(0), matrix.options()));
    // Rows that lost all their weight (only possible without the residual) stay zero.
    const torch::Tensor sums = matrix.sum(-1, true);
    return matrix / torch::where(sums > 0, sums, torch::ones_like(sums));
}

torch::Tensor rolloutLayerMatrices(const torch::Tensor &attention, const RolloutSettings &settings)
{
    const torch::Tensor values = checkedAttention(attention, QStringLiteral("rollout"));
    if (values.size(2) != values.size(3))
        throw InputError(QStringLiteral("rollout"), QStringLiteral("needs self-attention (as many keys as queries)"));
    checkIndex(settings.startLayer, values.size(0), QStringLiteral("rollout start layer"));
    if (settings.keepRow >= values.size(2))
        throw InputError(QStringLiteral("rollout"), QStringLiteral("kept row %1 is outside 0 … %2")
                                                        .arg(settings.keepRow).arg(values.size(2) - 1));
    if (!(settings.discardRatio >= 0 && settings.discardRatio < 1))
        throw InputError(QStringLiteral("rollout"), QStringLiteral("discard ratio must be in [0, 1)"));
    std::vector<torch::Tensor> layers;
    for (int64_t layer = settings.startLayer; layer < values.size(0); ++layer)
        layers.push_back(rolloutLayerMatrix(fuseHeads(values[layer], settings.fusion), settings));
    return torch::stack(layers);
}

torch::Tensor attentionRollout(const torch::Tensor &attention, const RolloutSettings &settings)
{
    const torch::Tensor layers = rolloutLayerMatrices(attention, settings);
    std::vector<torch::Tensor> steps{layers[0]};
    for (int64_t layer = 1; layer < layers.size(0); ++layer)
        steps.push_back(layers[layer].matmul(steps.back()));
    return torch::stack(steps);
}

AnalysisOption headFusionOption()
{
    return choiceOption(QStringLiteral("head-fusion"), {QStringLiteral("mean"), QStringLiteral("max"), QStringLiteral("min")},
                        QStringLiteral("how a layer's heads are combined"));
}

HeadFusion headFusionOf(const AnalysisOptions &options)
{
    const QString fusion = options.choice(QStringLiteral("head-fusion"));
    return fusion == QLatin1String("max") ? HeadFusion::Max : fusion == QLatin1String("min") ? HeadFusion::Min : HeadFusion::Mean;
}

namespace {

class RolloutAnalysis : public Analysis {
public:
    QString name() const override { return QStringLiteral("rollout"); }
    QString description() const override
    {
        return QStringLiteral("Attention rollout: product of head-fused, residual-adjusted layers (Abnar & Zuidema 2020)");
    }
    std::vector<AnalysisOption> options() const override
    {
        return {headFusionOption(),
                flagOption(QStringLiteral("no-residual"), QStringLiteral("leave out the 0.5·(A + I) residual term")),
                realOption(QStringLiteral("discard-ratio"), 0, 0, 0.99,
                           QStringLiteral("fraction of each layer's smallest weights set to zero (Gildenblat's variant)")),
                integerOption(QStringLiteral("keep-row"), 0, -1, 1 << 30,
                              QStringLiteral("query row never discarded (the CLS token); -1 = none")),
                integerOption(QStringLiteral("start-layer"), 0, 0, 1 << 16, QStringLiteral("first layer multiplied in"))};
    }
    AnalysisResult run(const AnalysisContext &context, const AnalysisOptions &options) const override
    {
        RolloutSettings settings;
        settings.fusion = headFusionOf(options);
        settings.residual = !options.flag(QStringLiteral("no-residual"));
        settings.discardRatio = options.real(QStringLiteral("discard-ratio"));
        settings.keepRow = options.integer(QStringLiteral("keep-row"));
        settings.startLayer = options.integer(QStringLiteral("start-layer"));
        const torch::Tensor steps = attentionRollout(contextAttention(context), settings);
        AnalysisResult result;
        result.tensors["rollout"] = steps[-1];
        result.tensors["rollout_by_layer"] = steps;
        result.summary[QStringLiteral("layers_multiplied")] = qint64(steps.size(0));
        return result;
    }
};

} // namespace

std::unique_ptr<Analysis> rolloutAnalysis() { return std::make_unique<RolloutAnalysis>(); }

} // namespace attnscope
