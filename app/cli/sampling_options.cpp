#include "app/cli/sampling_options.h"

#include <algorithm>

#include "app/cli/command.h"

namespace attnscope::cli {

namespace {

const QStringList kSamplingOptions{QStringLiteral("temperature"), QStringLiteral("top-k"), QStringLiteral("top-p"),
                                   QStringLiteral("seed")};

double realNumber(const QCommandLineParser &parser, const QString &name, double fallback)
{
    if (!parser.isSet(name))
        return fallback;
    bool ok = false;
    const double value = parser.value(name).toDouble(&ok);
    if (!ok)
        throw UsageError(QStringLiteral("--%1 '%2' is not a number").arg(name, parser.value(name)));
    return value;
}

} // namespace

QList<QCommandLineOption> samplingOptions()
{
    return {
        {QStringLiteral("max-new-tokens"), QStringLiteral("Tokens to add at most (default 32)."), QStringLiteral("N"),
         QStringLiteral("32")},
        {QStringLiteral("greedy"), QStringLiteral("Pick the most likely token each step (the default).")},
        {QStringLiteral("temperature"), QStringLiteral("Sample from softmax(logits / τ), τ > 0 (default 1)."),
         QStringLiteral("τ")},
        {QStringLiteral("top-k"), QStringLiteral("Sample among the K most likely tokens (default 0: all)."),
         QStringLiteral("K")},
        {QStringLiteral("top-p"),
         QStringLiteral("Sample among the fewest most likely tokens holding probability P, in (0, 1] (default 1)."),
         QStringLiteral("P")},
        {QStringLiteral("seed"), QStringLiteral("Seed of the draws (default 0): the same seed writes the same tokens."),
         QStringLiteral("S")},
    };
}

qint64 wholeNumber(const QCommandLineParser &parser, const QString &name, qint64 fallback, qint64 minimum)
{
    if (!parser.isSet(name))
        return fallback;
    bool ok = false;
    const qint64 value = parser.value(name).toLongLong(&ok);
    if (!ok || value < minimum)
        throw UsageError(QStringLiteral("--%1 '%2' must be a whole number from %3 on")
                             .arg(name, parser.value(name)).arg(minimum));
    return value;
}

SamplingSettings samplingOf(const QCommandLineParser &parser)
{
    SamplingSettings settings;
    settings.greedy = std::none_of(kSamplingOptions.begin(), kSamplingOptions.end(),
                                   [&](const QString &name) { return parser.isSet(name); });
    if (parser.isSet(QStringLiteral("greedy")) && !settings.greedy)
        throw UsageError(QStringLiteral("--greedy takes no --temperature, --top-k, --top-p or --seed"));
    settings.temperature = realNumber(parser, QStringLiteral("temperature"), settings.temperature);
    settings.topK = wholeNumber(parser, QStringLiteral("top-k"), settings.topK, 0);
    settings.topP = realNumber(parser, QStringLiteral("top-p"), settings.topP);
    settings.seed = uint64_t(wholeNumber(parser, QStringLiteral("seed"), 0, 0));
    const QString problem = samplingProblem(settings);
    if (!problem.isEmpty())
        throw UsageError(QStringLiteral("--") + problem);
    return settings;
}

} // namespace attnscope::cli
