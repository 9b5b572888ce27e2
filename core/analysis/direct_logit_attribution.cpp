#include "core/analysis/direct_logit_attribution.h"

#include <torch/torch.h>

#include "core/analysis/analysis_registry.h"
#include "core/io/input_error.h"

namespace attnscope {

torch::Tensor LogitAttribution::sum() const
{
    return embedding + heads.sum(torch::IntArrayRef{0, 1}) + attentionBias.sum(0) + mlps.sum(0) + constant;
}

LogitAttribution directLogitAttribution(const StreamCapture &capture, const Readout &readout,
                                        const torch::Tensor &directions)
{
    const torch::Tensor full = capture.residuals.back().to(torch::kFloat64);
    Readout exact = readout; // float64 throughout, so the parts add up to rounding
    for (torch::Tensor *weight : {&exact.layerNorm.weight, &exact.rmsNorm.weight, &exact.head.weight, &exact.head.bias})
        if (weight->defined())
            *weight = weight->to(torch::kFloat64);
    // u_t: the readout direction of position t in the stream, [T, hidden].
    const torch::Tensor u = directions.to(torch::kFloat64).matmul(exact.head.weight);
    const auto share = [&](const torch::Tensor &parts) { // [..., T, hidden] → [..., T]
        return (exact.frozenNorm(parts.to(torch::kFloat64), full) * u).sum(-1);
    };
    LogitAttribution result;
    result.embedding = share(capture.residuals.front());
    std::vector<torch::Tensor> heads, biases, mlps;
    for (size_t layer = 0; layer < capture.layers.size(); ++layer) {
        const CapturedHeads &captured = capture.layers[layer];
        heads.push_back(share(throughOutput(captured.perHead, captured.output)));
        biases.push_back(captured.output.bias.defined() ? share(captured.output.bias.to(torch::kFloat64).expand_as(full))
                                                        : torch::zeros({full.size(0)}, torch::kFloat64));
        mlps.push_back(share(capture.mlps.at(layer)));
    }
    result.heads = torch::stack(heads);
    result.attentionBias = torch::stack(biases);
    result.mlps = torch::stack(mlps);
    result.constant = u.matmul(exact.normBias().to(torch::kFloat64));
    if (exact.head.bias.defined())
        result.constant = result.constant + directions.to(torch::kFloat64).matmul(exact.head.bias);
    result.linearized = share(full) + result.constant;
    return result;
}

namespace {

class DirectLogitAttributionAnalysis final : public Analysis {
public:
    QString name() const override { return QStringLiteral("direct-logit-attribution"); }
    QString description() const override
    {
        return QStringLiteral("Direct logit attribution: each head's, MLP's and the embedding's share of a token's logit (final norm scale frozen)");
    }
    std::vector<AnalysisOption> options() const override
    {
        return {textOption(QStringLiteral("answer"), QStringLiteral("token whose logit is attributed (default: the next token; after the last, the model's top one)")),
                textOption(QStringLiteral("wrong"), QStringLiteral("token subtracted: attributes the logit difference answer − wrong"))};
    }
    bool needsModel() const override { return true; }

    AnalysisResult run(const AnalysisContext &context, const AnalysisOptions &options) const override
    {
        const torch::Tensor ids = contextIds(context, name());
        const Model &model = *context.model;
        if (!model.info().causal)
            throw InputError(model.info().directory,
                             QStringLiteral("direct logit attribution needs a decoder language model (%1 is an encoder)")
                                 .arg(model.info().architecture));
        const Readout readout = model.readout();
        StreamCapture capture;
        const torch::Tensor logits = probedLogits(model, context.input, capture);
        const int64_t tokens = ids.size(0);
        const QString answer = options.text(QStringLiteral("answer"));
        const QString wrong = options.text(QStringLiteral("wrong"));
        torch::Tensor targets = answer.isEmpty()
            ? torch::cat({ids.narrow(0, 1, tokens - 1), logits[tokens - 1].argmax().view({1})})
            : torch::full({tokens}, singleToken(context, name(), QStringLiteral("answer"), answer), torch::kInt64);
        torch::Tensor directions = torch::zeros_like(logits).scatter_(1, targets.view({-1, 1}), 1.0);
        if (!wrong.isEmpty())
            directions.select(1, singleToken(context, name(), QStringLiteral("wrong"), wrong)).sub_(1.0);
        const LogitAttribution parts = directLogitAttribution(capture, readout, directions);

        AnalysisResult result;
        result.tensors["head_logit"] = parts.heads;
        result.tensors["mlp_logit"] = parts.mlps;
        result.tensors["attention_bias_logit"] = parts.attentionBias;
        result.tensors["embedding_logit"] = parts.embedding;
        result.tensors["constant_logit"] = parts.constant;
        result.tensors["full_logit"] = (logits * directions).sum(1);
        result.tensors["target_ids"] = targets;
        result.tensors["input_ids"] = ids;
        const torch::Tensor sum = parts.sum();
        result.summary[QStringLiteral("last_position_full_logit")] = result.tensors["full_logit"][-1].item<double>();
        result.summary[QStringLiteral("last_position_sum_of_parts")] = sum[-1].item<double>();
        result.summary[QStringLiteral("max_gap_full_vs_parts")] = (sum - result.tensors["full_logit"]).abs().max().item<double>();
        result.summary[QStringLiteral("max_gap_linearized_vs_parts")] = (sum - parts.linearized).abs().max().item<double>();
        result.summary[QStringLiteral("difference")] = !wrong.isEmpty();
        return result;
    }
};

} // namespace

std::unique_ptr<Analysis> directLogitAttributionAnalysis()
{
    return std::make_unique<DirectLogitAttributionAnalysis>();
}

} // namespace attnscope
