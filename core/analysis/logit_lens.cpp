#include "core/analysis/logit_lens.h"

#include <QJsonArray>
#include <QJsonObject>
#include <torch/torch.h>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/stream_probes.h"

namespace attnscope {

LogitLens logitLens(const Model &model, const std::vector<torch::Tensor> &residuals,
                    const torch::Tensor &targets, int64_t k)
{
    const torch::NoGradGuard noGradients;
    std::vector<torch::Tensor> ids, logprobs, ranks, targetLogprobs;
    for (const torch::Tensor &stream : residuals) {
        const torch::Tensor lp = torch::log_softmax(model.unembed(stream).to(torch::kFloat64), -1);
        const auto top = lp.topk(std::min<int64_t>(k, lp.size(1)), -1);
        ids.push_back(std::get<1>(top));
        logprobs.push_back(std::get<0>(top));
        const torch::Tensor target = lp.gather(1, targets.view({-1, 1}));
        ranks.push_back((lp > target).sum(1));
        targetLogprobs.push_back(target.squeeze(1));
    }
    return {torch::stack(ids), torch::stack(logprobs), torch::stack(ranks), torch::stack(targetLogprobs)};
}

namespace {

class LogitLensAnalysis final : public Analysis {
public:
    QString name() const override { return QStringLiteral("logit-lens"); }
    QString description() const override
    {
        return QStringLiteral("Logit lens (nostalgebraist 2020): every layer's residual stream through the final norm and LM head");
    }
    std::vector<AnalysisOption> options() const override
    {
        return {integerOption(QStringLiteral("k"), 5, 1, 100, QStringLiteral("top tokens kept per layer and position"))};
    }
    bool needsModel() const override { return true; }

    AnalysisResult run(const AnalysisContext &context, const AnalysisOptions &options) const override
    {
        const torch::Tensor ids = contextIds(context, name());
        StreamCapture capture;
        const torch::Tensor logits = probedLogits(*context.model, context.input, capture);
        // A decoder predicts the next token (after the last, the one it ranks first); an encoder its own.
        const bool causal = context.model->info().causal;
        const torch::Tensor targets = causal ? torch::cat({ids.narrow(0, 1, ids.size(0) - 1), logits[-1].argmax().view({1})})
                                             : ids;
        const LogitLens lens = logitLens(*context.model, capture.residuals, targets, options.integer(QStringLiteral("k")));
        AnalysisResult result;
        result.tensors["top_ids"] = lens.topIds;
        result.tensors["top_logprobs"] = lens.topLogprobs;
        result.tensors["next_token_rank"] = lens.targetRank;
        result.tensors["next_token_logprob"] = lens.targetLogprob;
        result.tensors["input_ids"] = ids;
        // How often each layer's top token is already the output's.
        const torch::Tensor top1 = lens.topIds.select(2, 0);
        QJsonArray agreement;
        for (int64_t layer = 0; layer < top1.size(0); ++layer)
            agreement.append((top1[layer] == top1[-1]).to(torch::kFloat64).mean().item<double>());
        result.summary[QStringLiteral("target")] = causal ? QStringLiteral("next token (after the last: the output's top token)")
                                                          : QStringLiteral("the token itself");
        result.summary[QStringLiteral("top1_agrees_with_output")] = agreement;
        // The text of every top token, so that the grid of top tokens can be read.
        if (context.tokenText) {
            QJsonObject texts;
            const torch::Tensor unique = std::get<0>(torch::_unique(lens.topIds));
            for (int64_t i = 0; i < unique.size(0); ++i)
                texts[QString::number(unique[i].item<int64_t>())] = context.tokenText(unique[i].item<int64_t>());
            result.summary[QStringLiteral("top_token_texts")] = texts;
        }
        return result;
    }
};

} // namespace

std::unique_ptr<Analysis> logitLensAnalysis()
{
    return std::make_unique<LogitLensAnalysis>();
}

} // namespace attnscope
