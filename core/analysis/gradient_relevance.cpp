#include "core/analysis/gradient_relevance.h"

#include <torch/torch.h>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/attention_tensor.h"
#include "core/analysis/model_run.h"
#include "core/attention/score_block_math.h"
#include "core/io/input_error.h"

namespace attnscope {

torch::Tensor gradientRelevance(const torch::Tensor &attention, const torch::Tensor &gradients)
{
    const torch::Tensor values = checkedAttention(attention, QStringLiteral("relevance"));
    if (!gradients.defined() || gradients.sizes() != values.sizes() || values.size(2) != values.size(3))
        throw InputError(QStringLiteral("relevance"), QStringLiteral("attention and gradients must both be [L, H, T, T]"));
    const torch::Tensor weighted = (gradients.to(torch::kFloat64) * values).clamp_min(0).mean(1); // [L, T, T]
    torch::Tensor relevance = torch::eye(values.size(2), torch::kFloat64);
    for (int64_t layer = 0; layer < values.size(0); ++layer)
        relevance = relevance + weighted[layer].matmul(relevance);
    return relevance;
}

namespace {

// Reference softmax plus a zero that requires grad: the output is unchanged, and the zero's
// gradient is the total derivative of the output with respect to these probabilities.
class GradientProbe : public AttentionVariant {
public:
    struct Probe {
        int layer;
        torch::Tensor heads;
        int64_t rowBegin;
        torch::Tensor zero;
    };

    torch::Tensor probabilities(const ScoreBlock &block) const override
    {
        const torch::Tensor probabilities = softmaxWhere(block.scores, block.allowed);
        const torch::Tensor zero = torch::zeros_like(probabilities).requires_grad_();
        probes.push_back({block.inputs->layer, block.heads, block.rowBegin, zero});
        return probabilities + zero;
    }
    QString spec() const override { return QStringLiteral("gradient-probe"); }

    mutable std::vector<Probe> probes;
};

} // namespace

AttentionGradients attentionGradients(const Model &model, const ModelInput &input, int64_t target)
{
    const ModelInfo &info = model.info();
    auto probe = std::make_shared<GradientProbe>();
    AttentionPlan plan;
    plan.scopes.push_back({probe, {}, {}});
    ModelInput differentiable = input;
    differentiable.differentiable = true;
    RecordedRun run = runWithAttention(model, differentiable, plan);
    const bool classifier = run.logits.dim() == 1;
    if (!classifier && !(info.causal && info.vocabSize > 0 && run.logits.dim() == 2))
        throw InputError(info.directory, QStringLiteral("relevance needs a classifier or a causal language model"));
    AttentionGradients result;
    result.position = classifier ? -1 : run.logits.size(0) - 1;
    const torch::Tensor scores = classifier ? run.logits : run.logits[result.position];
    result.target = target < 0 ? scores.argmax().item<int64_t>() : target;
    checkIndex(result.target, scores.size(0), QStringLiteral("relevance target"));
    std::vector<torch::Tensor> zeros;
    for (const GradientProbe::Probe &p : probe->probes)
        zeros.push_back(p.zero);
    const auto gradients = torch::autograd::grad({scores[result.target]}, zeros, {}, false, false, true);
    result.attention = run.attention;
    result.gradients = torch::zeros_like(run.attention);
    for (size_t i = 0; i < zeros.size(); ++i) {
        const GradientProbe::Probe &p = probe->probes[i];
        if (!gradients[i].defined())
            continue;
        result.gradients[p.layer].narrow(1, p.rowBegin, gradients[i].size(1))
            .index_copy_(0, p.heads, gradients[i].to(torch::kFloat64));
    }
    return result;
}

namespace {

class GradientRelevanceAnalysis : public Analysis {
public:
    QString name() const override { return QStringLiteral("relevance"); }
    QString description() const override
    {
        return QStringLiteral("Gradient-weighted attention relevance, R += mean_h((∇A ⊙ A)⁺)·R (Chefer et al. 2021)");
    }
    bool needsModel() const override { return true; }
    std::vector<AnalysisOption> options() const override
    {
        return {integerOption(QStringLiteral("target"), -1, -1, 1 << 30,
                              QStringLiteral("class (or next token) to explain; -1 = the predicted one"))};
    }
    AnalysisResult run(const AnalysisContext &context, const AnalysisOptions &options) const override
    {
        const AttentionGradients gradients = attentionGradients(contextModel(context, name()), context.input,
                                                                options.integer(QStringLiteral("target")));
        AnalysisResult result;
        result.tensors["relevance"] = gradientRelevance(gradients.attention, gradients.gradients);
        const int64_t row = gradients.position < 0 ? 0 : gradients.position; // CLS row for classifiers
        result.tensors["relevance_of_output"] = result.tensors["relevance"][row];
        result.summary[QStringLiteral("target")] = qint64(gradients.target);
        result.summary[QStringLiteral("explained_row")] = qint64(row);
        return result;
    }
};

} // namespace

std::unique_ptr<Analysis> gradientRelevanceAnalysis() { return std::make_unique<GradientRelevanceAnalysis>(); }

} // namespace attnscope
