#include "core/models/position_limit.h"

#include <algorithm>
#include <initializer_list>

#include <QJsonObject>

#include "core/io/model_config.h"

namespace attnscope {

namespace {

bool isOneOf(const QString &modelType, std::initializer_list<const char *> types)
{
    return std::any_of(types.begin(), types.end(), [&](const char *type) { return modelType == QLatin1String(type); });
}

// The context a RoPE model was made for: max_position_embeddings, or the window its
// rope_scaling stretches the original context to (original_max_position_embeddings × factor)
// when that is longer (Qwen2's YaRN keeps max_position_embeddings at the original length).
int64_t rotaryContext(const ModelConfig &config)
{
    int64_t context = config.integer(QStringLiteral("max_position_embeddings"), 0);
    const QJsonObject scaling = config.object(QStringLiteral("rope_scaling"));
    const double original = scaling.value(QStringLiteral("original_max_position_embeddings")).toDouble(0);
    const double factor = scaling.value(QStringLiteral("factor")).toDouble(1);
    if (original > 0 && factor > 0)
        context = std::max(context, int64_t(original * std::max(factor, 1.0)));
    return context;
}

// Positions a learned table gives to tokens (BART's two extra rows are never a token's;
// Marian's sinusoids cover max_position_embeddings too). RoBERTa numbers tokens from
// pad_token_id + 1, so the first pad_token_id + 1 rows are never a token's.
int64_t learnedPositions(const ModelConfig &config, const QString &modelType)
{
    if (modelType == QLatin1String("gpt2"))
        return config.integer(QStringLiteral("n_positions"), config.integer(QStringLiteral("n_ctx"), 0));
    const int64_t rows = config.integer(QStringLiteral("max_position_embeddings"), 0);
    if (modelType == QLatin1String("roberta"))
        return std::max<int64_t>(0, rows - (config.integer(QStringLiteral("pad_token_id"), 1) + 1));
    return rows;
}

} // namespace

QString assumedNote(const PositionLimit &limit)
{
    return limit.assumed ? QStringLiteral(" (assumed: config.json gives no max_position_embeddings)") : QString();
}

PositionLimit positionLimitOf(const ModelConfig &config)
{
    const QString modelType = config.modelType();
    PositionLimit limit;
    if (isOneOf(modelType, {"gpt2", "bert", "roberta", "distilbert", "bart", "marian"}))
        limit = {PositionKind::Learned, learnedPositions(config, modelType)};
    else if (isOneOf(modelType, {"llama", "mistral", "qwen2", "qwen3", "gpt_neox", "phi3", "olmo2", "gemma",
                                    "gemma2", "gemma3_text"}))
        limit = {PositionKind::Rotary, rotaryContext(config)};
    if (limit.kind == PositionKind::Rotary && limit.tokens <= 0)
        limit = {PositionKind::Rotary, kAssumedRotaryContext, true};
    if (limit.tokens <= 0)
        return {};
    return limit;
}

QString positionLimitWarning(const ModelConfig &config, int64_t tokens)
{
    const PositionLimit limit = positionLimitOf(config);
    if (limit.kind == PositionKind::None || tokens <= limit.tokens)
        return {};
    const QString modelType = config.modelType();
    if (limit.kind == PositionKind::Learned)
        return QStringLiteral("%1 tokens, but %2 has learned positions for only %3: it cannot run beyond them, "
                              "so the run is refused; shorten the input to %3 tokens")
            .arg(tokens).arg(modelType).arg(limit.tokens);
    return QStringLiteral("%1 tokens, but %2 was trained on contexts of %3%4: it runs (rotary positions), "
                          "but attention past the first %3 tokens is out of distribution")
        .arg(tokens).arg(modelType).arg(limit.tokens).arg(assumedNote(limit));
}

} // namespace attnscope
