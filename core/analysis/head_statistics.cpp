#include "core/analysis/head_statistics.h"

#include <torch/torch.h>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/attention_tensor.h"
#include "core/capture/attention_record.h"
#include "core/io/input_error.h"

namespace attnscope {

torch::Tensor rowEntropy(const torch::Tensor &probabilities)
{
    const torch::Tensor safe = torch::where(probabilities > 0, probabilities, torch::ones_like(probabilities));
    return -(probabilities * safe.log2()).sum(-1);
}

namespace {

// Mean over rows of the diagonal at `offset` (key = query + offset): [L, H].
torch::Tensor meanDiagonal(const torch::Tensor &attention, int64_t offset)
{
    const int64_t tokens = attention.size(2);
    if (tokens <= std::abs(offset))
        return torch::zeros({attention.size(0), attention.size(1)}, torch::kFloat64);
    return attention.diagonal(offset, 2, 3).mean(-1);
}

} // namespace

std::map<std::string, torch::Tensor> headStatistics(const torch::Tensor &attention, const TokenRoles &roles)
{
    const torch::Tensor values = checkedAttention(attention, QStringLiteral("head statistics"));
    const int64_t tokens = values.size(2);
    if (values.size(3) != tokens)
        throw InputError(QStringLiteral("head statistics"), QStringLiteral("needs self-attention (as many keys as queries)"));
    if (roles.cls.size(0) != tokens)
        throw InputError(QStringLiteral("head statistics"), QStringLiteral("%1 token roles for %2 tokens")
                                                                .arg(roles.cls.size(0)).arg(tokens));
    const torch::Tensor positions = torch::arange(tokens, torch::kFloat64);
    const torch::Tensor distances = (positions.unsqueeze(1) - positions.unsqueeze(0)).abs();
    const torch::Tensor clsRows = roles.cls.nonzero();
    const int64_t clsRow = clsRows.size(0) > 0 ? clsRows[0][0].item<int64_t>() : 0;
    return {
        {"to_cls", attentionMassOn(values, roles.cls)},
        {"to_separator", attentionMassOn(values, roles.separator)},
        {"to_punctuation", attentionMassOn(values, roles.punctuation)},
        {"self", meanDiagonal(values, 0)},
        {"previous", meanDiagonal(values, -1)},
        {"next", meanDiagonal(values, 1)},
        {"entropy", rowEntropy(values).mean(-1)},
        {"cls_entropy", rowEntropy(values.select(2, clsRow))},
        {"distance", (values * distances).sum(-1).mean(-1)},
    };
}

namespace {

class HeadStatisticsAnalysis : public Analysis {
public:
    QString name() const override { return QStringLiteral("head-stats"); }
    QString description() const override
    {
        return QStringLiteral("Per-head attention to CLS, SEP/EOS, punctuation, self, previous and next token; entropy; mean distance (Clark et al. 2019)");
    }
    AnalysisResult run(const AnalysisContext &context, const AnalysisOptions &) const override
    {
        std::vector<RecordedToken> tokens = context.record ? context.record->tokens : std::vector<RecordedToken>();
        if (tokens.empty() && context.record)
            tokens.resize(static_cast<size_t>(context.record->queries()));
        const TokenRoles roles = tokenRoles(tokens);
        AnalysisResult result;
        result.tensors = headByHead(context, [&](const torch::Tensor &attention) { return headStatistics(attention, roles); });
        for (const auto &[name, statistic] : result.tensors) {
            const int64_t best = statistic.argmax().item<int64_t>();
            result.summary[QString::fromStdString(name)] = QJsonObject{
                {QStringLiteral("mean"), statistic.mean().item<double>()},
                {QStringLiteral("max"), statistic.max().item<double>()},
                {QStringLiteral("max_layer"), qint64(best / statistic.size(1))},
                {QStringLiteral("max_head"), qint64(best % statistic.size(1))}};
        }
        result.summary[QStringLiteral("entropy_unit")] = QStringLiteral("bits"); // a result file says what it holds
        return result;
    }
};

} // namespace

std::unique_ptr<Analysis> headStatisticsAnalysis() { return std::make_unique<HeadStatisticsAnalysis>(); }

} // namespace attnscope
