#include "core/corpus/example_scores.h"

#include <torch/torch.h>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/context_tokenizer.h"
#include "core/capture/attention_record.h"
#include "core/capture/encoded_text.h"
#include "core/io/input_error.h"
#include "core/tokenize/tokenizer.h"

namespace attnscope {

namespace {

const QStringList &perHeadAnalyses()
{
    static const QStringList names{QStringLiteral("head-stats"), QStringLiteral("sinks")};
    return names;
}

const char *const kAgreement = "logit-lens/top1_agreement";

AnalysisResult runDefault(const QString &name, const AnalysisContext &context)
{
    const Analysis *analysis = findAnalysis(name);
    return analysis->run(context, AnalysisOptions(name, analysis->options(), {}));
}

// [L + 1]: per stream, the share of positions whose top-1 is the output's top-1.
torch::Tensor topOneAgreement(const torch::Tensor &topIds)
{
    const torch::Tensor top = topIds.select(2, 0);
    return top.eq(top[-1].unsqueeze(0)).to(torch::kFloat64).mean(1);
}

} // namespace

int64_t CorpusScore::size() const
{
    int64_t size = 1;
    for (const int64_t extent : shape)
        size *= extent;
    return size;
}

ExampleScorer::ExampleScorer(const Model &model, std::shared_ptr<const tokenize::Tokenizer> tokenizer)
    : m_model(model), m_tokenizer(std::move(tokenizer))
{
    const ModelInfo &info = model.info();
    // The names and shapes come from the analyses themselves, run on a tiny record.
    auto record = AttentionRecord::fromProbabilities(torch::full({info.layers, info.heads, 2, 2}, 0.5));
    record->tokens.resize(2);
    AnalysisContext context;
    context.record = record;
    for (const QString &analysis : perHeadAnalyses())
        for (const auto &[name, tensor] : runDefault(analysis, context).tensors)
            if (tensor.dim() == 2 && tensor.size(0) == info.layers && tensor.size(1) == info.heads && tensor.is_floating_point())
                m_blocks.push_back({analysis + QLatin1Char('/') + QString::fromStdString(name), {info.layers, info.heads}});
    m_logitLens = info.causal && info.vocabSize > 0;
    if (m_logitLens)
        m_blocks.push_back({QLatin1String(kAgreement), {info.layers + 1}});
}

QStringList ExampleScorer::analyses()
{
    return perHeadAnalyses() + QStringList{QStringLiteral("logit-lens (causal LMs: top-1 agreement per layer)")};
}

std::shared_ptr<AttentionRecord> ExampleScorer::run(const CorpusExample &example, const QString &corpus,
                                                    AnalysisContext &context) const
{
    const QString where = QStringLiteral("%1:%2").arg(corpus).arg(example.line);
    if (example.text.trimmed().isEmpty())
        throw InputError(where, QStringLiteral("the example's text is empty"));
    const tokenize::Encoding encoding = example.pair.isEmpty() ? m_tokenizer->encode(example.text)
                                                               : m_tokenizer->encodePair(example.text, example.pair);
    const int64_t tokens = int64_t(encoding.tokens.size());
    const ModelInfo &info = m_model.info();
    if (info.maxPositions > 0 && tokens > info.maxPositions)
        throw InputError(where, QStringLiteral("%1 tokens exceed the model's %2 positions").arg(tokens).arg(info.maxPositions));
    const torch::NoGradGuard noGradients;
    context.model = &m_model;
    context.input = modelInputOf(encoding, !example.pair.isEmpty());
    setContextTokenizer(context, m_tokenizer);
    auto record = std::make_shared<AttentionRecord>();
    record->tokens = recordedTokensOf(encoding);
    record->logits = m_model.forward(context.input, {}, record.get());
    context.record = record;
    return record;
}

std::shared_ptr<AttentionRecord> ExampleScorer::run(const CorpusExample &example, const QString &corpus) const
{
    AnalysisContext context;
    return run(example, corpus, context);
}

ExampleScores ExampleScorer::score(const CorpusExample &example, const QString &corpus) const
{
    AnalysisContext context;
    const int64_t tokens = run(example, corpus, context)->queries();
    const torch::NoGradGuard noGradients;
    std::map<QString, torch::Tensor> named;
    for (const QString &analysis : perHeadAnalyses())
        for (const auto &[name, tensor] : runDefault(analysis, context).tensors)
            named[analysis + QLatin1Char('/') + QString::fromStdString(name)] = tensor;
    if (m_logitLens)
        named[QLatin1String(kAgreement)] = topOneAgreement(runDefault(QStringLiteral("logit-lens"), context).tensors.at("top_ids"));
    ExampleScores scores;
    scores.tokens = tokens;
    for (const CorpusScore &block : m_blocks) {
        const torch::Tensor values = named.at(block.name).to(torch::kFloat64).contiguous().view(-1);
        scores.values.insert(scores.values.end(), values.data_ptr<double>(), values.data_ptr<double>() + values.numel());
    }
    return scores;
}

} // namespace attnscope
