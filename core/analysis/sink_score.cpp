#include "core/analysis/sink_score.h"

#include <torch/torch.h>

#include <QJsonArray>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/attention_tensor.h"
#include "core/io/input_error.h"

namespace attnscope {

namespace {

torch::Tensor laterQueries(const torch::Tensor &attention, const QString &what)
{
    const torch::Tensor values = checkedAttention(attention, what);
    if (values.size(2) < 2)
        throw InputError(what, QStringLiteral("needs at least two tokens"));
    return values.narrow(2, 1, values.size(2) - 1);
}

} // namespace

torch::Tensor sinkScores(const torch::Tensor &attention, const torch::Tensor &keys)
{
    const torch::Tensor queries = laterQueries(attention, QStringLiteral("sink score"));
    if (keys.dim() != 1 || keys.size(0) != queries.size(3))
        throw InputError(QStringLiteral("sink score"), QStringLiteral("one flag per key expected"));
    return attentionMassOn(queries, keys);
}

torch::Tensor meanReceivedAttention(const torch::Tensor &attention)
{
    return laterQueries(attention, QStringLiteral("sink score")).mean({0, 1, 2});
}

namespace {

class SinkScoreAnalysis : public Analysis {
public:
    QString name() const override { return QStringLiteral("sinks"); }
    QString description() const override
    {
        return QStringLiteral("Attention-sink score: mass on the first token and on chosen keys (Xiao et al. 2023)");
    }
    std::vector<AnalysisOption> options() const override
    {
        return {integerOption(QStringLiteral("top"), 5, 1, 1 << 20,
                              QStringLiteral("how many of the keys receiving the most attention are listed"))};
    }
    AnalysisResult run(const AnalysisContext &context, const AnalysisOptions &options) const override
    {
        AnalysisResult result;
        result.tensors = headByHead(context, [](const torch::Tensor &attention) {
            torch::Tensor first = torch::zeros({attention.size(3)}, torch::kBool);
            first[0] = true;
            return std::map<std::string, torch::Tensor>{{"first_token", sinkScores(attention, first)},
                                                        {"received", meanReceivedAttention(attention)}};
        });
        const torch::Tensor &received = result.tensors["received"];
        const auto top = received.topk(std::min<int64_t>(options.integer(QStringLiteral("top")), received.size(0)));
        QJsonArray keys;
        for (int64_t i = 0; i < std::get<1>(top).size(0); ++i)
            keys.append(QJsonObject{{QStringLiteral("key"), qint64(std::get<1>(top)[i].item<int64_t>())},
                                    {QStringLiteral("mass"), std::get<0>(top)[i].item<double>()}});
        result.summary[QStringLiteral("top_keys")] = keys;
        result.summary[QStringLiteral("mean_first_token")] = result.tensors["first_token"].mean().item<double>();
        return result;
    }
};

} // namespace

std::unique_ptr<Analysis> sinkScoreAnalysis() { return std::make_unique<SinkScoreAnalysis>(); }

} // namespace attnscope
