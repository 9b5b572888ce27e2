#include "core/analysis/word_aggregation.h"

#include <torch/torch.h>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/attention_tensor.h"
#include "core/analysis/token_roles.h"
#include "core/io/input_error.h"

#include <QJsonArray>

namespace attnscope {

torch::Tensor aggregateWords(const torch::Tensor &attention, const torch::Tensor &words)
{
    const int64_t tokens = words.size(0);
    if (attention.dim() < 2 || attention.size(-1) != tokens || attention.size(-2) != tokens)
        throw InputError(QStringLiteral("word aggregation"),
                         QStringLiteral("attention must end in [%1, %1] for %1 tokens").arg(tokens));
    const int64_t count = tokens == 0 ? 0 : words.max().item<int64_t>() + 1;
    const torch::Tensor membership = torch::one_hot(words.to(torch::kLong), count).to(torch::kFloat64); // [T, W]
    const torch::Tensor pieces = membership.sum(0);
    if ((words < 0).any().item<bool>() || (pieces == 0).any().item<bool>())
        throw InputError(QStringLiteral("word aggregation"), QStringLiteral("word indices must cover 0 … W−1 without gaps"));
    const torch::Tensor toWords = attention.to(torch::kFloat64).matmul(membership);   // Σ over key pieces
    return (membership / pieces).t().matmul(toWords);                                  // mean over query pieces
}

namespace {

class WordAggregationAnalysis : public Analysis {
public:
    QString name() const override { return QStringLiteral("words"); }
    QString description() const override
    {
        return QStringLiteral("Word-level attention: sum over a word's key pieces, mean over its query pieces (Clark et al. 2019)");
    }
    AnalysisResult run(const AnalysisContext &context, const AnalysisOptions &) const override
    {
        const torch::Tensor attention = contextAttention(context);
        const std::vector<RecordedToken> &tokens = context.record->tokens;
        if (static_cast<int64_t>(tokens.size()) != attention.size(2))
            throw InputError(QStringLiteral("word aggregation"), QStringLiteral("needs the tokens of the attention"));
        const torch::Tensor words = wordIndices(tokens);
        QStringList texts(words.max().item<int>() + 1);
        for (size_t i = 0; i < tokens.size(); ++i)
            texts[words[static_cast<int64_t>(i)].item<int>()] += tokens[i].special ? tokens[i].text : bareTokenText(tokens[i].text);
        AnalysisResult result;
        result.tensors["word_attention"] = aggregateWords(attention, words);
        result.tensors["word_of_token"] = words;
        result.summary[QStringLiteral("words")] = QJsonArray::fromStringList(texts);
        return result;
    }
};

} // namespace

std::unique_ptr<Analysis> wordAggregationAnalysis() { return std::make_unique<WordAggregationAnalysis>(); }

} // namespace attnscope
