#include "core/analysis/head_importance.h"

#include <torch/torch.h>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/attention_tensor.h"
#include "core/io/input_error.h"

namespace attnscope {

torch::Tensor normalizeHeadImportance(const torch::Tensor &raw)
{
    const torch::Tensor values = raw.to(torch::kFloat64);
    // Michel et al.'s code adds 1e-20 so that an all-zero layer stays zero.
    torch::Tensor normalized = values / (values.square().sum(-1, true).sqrt() + 1e-20);
    const double low = normalized.min().item<double>();
    const double high = normalized.max().item<double>();
    return high > low ? (normalized - low) / (high - low) : torch::zeros_like(normalized);
}

torch::Tensor importanceLoss(const ModelInfo &info, const torch::Tensor &logits, const ModelInput &input,
                             const torch::Tensor &reference)
{
    if (logits.dim() == 1)
        return torch::nn::functional::cross_entropy(logits.unsqueeze(0), reference.argmax().view({1}));
    if (info.causal && info.vocabSize > 0 && logits.dim() == 2 && input.inputIds.defined()) {
        if (logits.size(0) < 2)
            throw InputError(QStringLiteral("head importance"), QStringLiteral("needs at least two tokens"));
        return torch::nn::functional::cross_entropy(logits.narrow(0, 0, logits.size(0) - 1),
                                                    input.inputIds.narrow(0, 1, logits.size(0) - 1));
    }
    throw InputError(info.directory, QStringLiteral("head importance needs a classifier or a causal language model"));
}

torch::Tensor rawHeadImportance(const Model &model, const ModelInput &input, const torch::Tensor &gates,
                                const torch::Tensor &reference)
{
    ModelInput gated = input;
    gated.headGates = gates.to(torch::kFloat32).detach().requires_grad_();
    const torch::Tensor loss = importanceLoss(model.info(), model.forward(gated, {}, nullptr), input, reference);
    const auto gradients = torch::autograd::grad({loss}, {gated.headGates}, {}, false, false, true);
    return gradients[0].defined() ? gradients[0].abs().to(torch::kFloat64) : torch::zeros_like(gates, torch::kFloat64);
}

namespace {

PruningStep evaluate(const Model &model, const ModelInput &input, const torch::Tensor &gates,
                     const torch::Tensor &reference, int64_t masked)
{
    ModelInput gated = input;
    gated.headGates = gates.to(torch::kFloat32);
    const torch::Tensor logits = model.forward(gated, {}, nullptr);
    const torch::Tensor agree = logits.argmax(-1) == reference.argmax(-1);
    return {masked, importanceLoss(model.info(), logits, input, reference).item<double>(),
            agree.to(torch::kFloat64).mean().item<double>()};
}

} // namespace

std::vector<PruningStep> pruningCurve(const Model &model, const ModelInput &input, double fraction)
{
    const ModelInfo &info = model.info();
    const torch::Tensor reference = model.forward(input, {}, nullptr);
    torch::Tensor gates = torch::ones({info.layers, info.heads}, torch::kFloat64);
    const int64_t total = gates.numel();
    const auto step = std::max<int64_t>(1, int64_t(std::ceil(fraction * double(total))));
    std::vector<PruningStep> curve{evaluate(model, input, gates, reference, 0)};
    for (int64_t masked = 0; masked < total;) {
        // Masked heads get +inf so they are never chosen again.
        const torch::Tensor importance = normalizeHeadImportance(rawHeadImportance(model, input, gates, reference))
                                             .masked_fill(gates == 0, INFINITY).reshape(-1);
        const int64_t count = std::min(step, total - masked);
        const torch::Tensor lowest = std::get<1>(importance.sort(true, 0, false)).narrow(0, 0, count);
        gates.view(-1).index_fill_(0, lowest, 0.0);
        masked += count;
        curve.push_back(evaluate(model, input, gates, reference, masked));
    }
    return curve;
}

namespace {

class HeadImportanceAnalysis : public Analysis {
public:
    QString name() const override { return QStringLiteral("importance"); }
    QString description() const override
    {
        return QStringLiteral("Head importance |∂L/∂ξ_h| with per-layer L2 and min–max normalization, and the pruning curve (Michel et al. 2019)");
    }
    bool needsModel() const override { return true; }
    std::vector<AnalysisOption> options() const override
    {
        return {realOption(QStringLiteral("prune-fraction"), 0.1, 0.01, 1,
                           QStringLiteral("share of all heads masked at each pruning step")),
                flagOption(QStringLiteral("no-pruning"), QStringLiteral("skip the pruning curve"))};
    }
    AnalysisResult run(const AnalysisContext &context, const AnalysisOptions &options) const override
    {
        const Model &model = contextModel(context, name());
        const ModelInfo &info = model.info();
        const torch::Tensor reference = model.forward(context.input, {}, nullptr);
        const torch::Tensor raw = rawHeadImportance(model, context.input, torch::ones({info.layers, info.heads}), reference);
        AnalysisResult result;
        result.tensors["importance_raw"] = raw;
        result.tensors["importance"] = normalizeHeadImportance(raw);
        if (!options.flag(QStringLiteral("no-pruning"))) {
            const std::vector<PruningStep> curve = pruningCurve(model, context.input, options.real(QStringLiteral("prune-fraction")));
            torch::Tensor table = torch::zeros({int64_t(curve.size()), 3}, torch::kFloat64);
            for (size_t i = 0; i < curve.size(); ++i) {
                table[int64_t(i)][0] = double(curve[i].masked);
                table[int64_t(i)][1] = curve[i].loss;
                table[int64_t(i)][2] = curve[i].agreement;
            }
            result.tensors["pruning_curve"] = table;
            result.summary[QStringLiteral("pruning_columns")] = QStringLiteral("heads masked, loss, agreement with the unmasked model");
        }
        result.summary[QStringLiteral("loss")] = importanceLoss(info, reference, context.input, reference).item<double>();
        return result;
    }
};

} // namespace

std::unique_ptr<Analysis> headImportanceAnalysis() { return std::make_unique<HeadImportanceAnalysis>(); }

} // namespace attnscope
