#include "core/analysis/alti.h"

#include <torch/torch.h>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/model_run.h"
#include "core/analysis/stream_probes.h"
#include "core/io/input_error.h"

namespace attnscope {

torch::Tensor blockContributions(const AttentionBlock &block, ContributionMeasure measure)
{
    const torch::Tensor alpha = block.alpha.to(torch::kFloat64);
    const torch::Tensor written = throughOutput(block.values, block.output); // [H, S, hidden]
    const torch::Tensor x = block.stream.to(torch::kFloat64);
    const int64_t queries = alpha.size(1), keys = alpha.size(2);
    const torch::Tensor bias = block.output.bias.defined() ? block.output.bias.to(torch::kFloat64)
                                                           : torch::zeros({written.size(2)}, torch::kFloat64);
    torch::Tensor shares = torch::empty({queries, keys}, torch::kFloat64);
    for (int64_t i = 0; i < queries; ++i) { // one query at a time keeps [S, hidden] small
        torch::Tensor z = torch::einsum("hj,hjo->jo", {alpha.select(1, i), written}); // [S, hidden]
        z[i] += x[i];
        torch::Tensor y = z.sum(0) + bias;
        if (block.normAfter) { // LayerNorm is linear in each part once σ_i is fixed
            const LayerNorm &norm = *block.normAfter;
            const torch::Tensor sigma = (y.var(0, false) + norm.eps).sqrt();
            const torch::Tensor gamma = norm.weight.to(torch::kFloat64);
            z = gamma * (z - z.mean(1, true)) / sigma;
            y = gamma * (y - y.mean()) / sigma + (norm.bias.defined() ? norm.bias.to(torch::kFloat64) : torch::zeros_like(y));
        }
        torch::Tensor row = measure == ContributionMeasure::Alti
                                ? (y.abs().sum() - (y.unsqueeze(0) - z).abs().sum(1)).clamp_min(0)
                                : z.norm(2, 1);
        shares[i] = row / row.sum().clamp_min(1e-300);
    }
    return shares;
}

namespace {

// The decoders' and pre-norm encoders' layers add the attention output to the stream as it
// is; a norm or scale on that output (Gemma, OLMo 2, DINOv2) would make z_ij wrong, so the
// stream after the layer must be x + attention + MLP.
void checkPlainResidual(const StreamCapture &capture, size_t layer, const torch::Tensor &attentionOutput, const QString &analysis)
{
    const torch::Tensor expected = capture.residuals.at(layer).to(torch::kFloat64) + attentionOutput
                                   + capture.mlps.at(layer).to(torch::kFloat64);
    const torch::Tensor actual = capture.residuals.at(layer + 1).to(torch::kFloat64);
    if ((expected - actual).abs().max().item<double>() > 1e-3 * (1 + actual.abs().max().item<double>()))
        throw InputError(analysis, QStringLiteral("layer %1 does not add its attention output to the residual stream as it is "
                                                  "(a norm or scale after attention): contributions need that sum").arg(layer));
}

class AltiAnalysis final : public Analysis {
public:
    QString name() const override { return QStringLiteral("alti"); }
    QString description() const override
    {
        return QStringLiteral("Token contributions through attention, residual and norm (ALTI, Ferrando et al. 2022; "
                              "norm-based as GlobEnc), rolled out over the layers");
    }
    std::vector<AnalysisOption> options() const override
    {
        return {choiceOption(QStringLiteral("measure"), {QStringLiteral("alti"), QStringLiteral("norm")},
                             QStringLiteral("alti: L1 distance to the output (ALTI); norm: ‖part‖₂ (Kobayashi et al. 2021, GlobEnc)"))};
    }
    bool needsModel() const override { return true; }

    AnalysisResult run(const AnalysisContext &context, const AnalysisOptions &options) const override
    {
        const torch::Tensor ids = contextIds(context, name());
        const ContributionMeasure measure = options.choice(QStringLiteral("measure")) == QLatin1String("norm")
                                                ? ContributionMeasure::Norm : ContributionMeasure::Alti;
        StreamCapture capture;
        ModelInput input = context.input;
        input.probe = &capture;
        input.differentiable = false;
        const torch::Tensor attention = runWithAttention(*context.model, input).attention; // [L, H, T, S]
        const int64_t layers = attention.size(0);
        std::vector<torch::Tensor> perLayer, rolled;
        for (int64_t layer = 0; layer < layers; ++layer) {
            const CapturedHeads &heads = capture.layers.at(size_t(layer));
            if (!heads.normAfter) {
                const torch::Tensor output = heads.output(heads.perHead.transpose(0, 1).reshape({heads.perHead.size(1), -1}));
                checkPlainResidual(capture, size_t(layer), output.to(torch::kFloat64), name());
            }
            AttentionBlock block{attention[layer], heads.values, heads.output, capture.residuals.at(size_t(layer)), heads.normAfter};
            perLayer.push_back(blockContributions(block, measure));
            rolled.push_back(layer == 0 ? perLayer.back() : perLayer.back().matmul(rolled.back()));
        }
        AnalysisResult result;
        result.tensors["alti"] = rolled.back();
        result.tensors["alti_by_layer"] = torch::stack(rolled);
        result.tensors["contributions"] = torch::stack(perLayer);
        result.tensors["input_ids"] = ids;
        result.summary[QStringLiteral("measure")] = options.choice(QStringLiteral("measure"));
        result.summary[QStringLiteral("mean_self_share")] = torch::stack(perLayer).diagonal(0, 1, 2).mean().item<double>();
        return result;
    }
};

} // namespace

std::unique_ptr<Analysis> altiAnalysis()
{
    return std::make_unique<AltiAnalysis>();
}

} // namespace attnscope
