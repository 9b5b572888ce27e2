// attnscope-cli compare MODEL_DIR (--text T | --text-file F) [--text-pair T2] --variant SPEC…
// Runs the model with the reference softmax and with the variants, and prints one JSON
// object: per layer and head JS divergence, kept fraction and mass kept; output KL, top-1
// agreement, perplexity (causal LM) or masked-LM loss change, top-5 before and after; and
// the estimated attention cost either way.

#include <QJsonDocument>
#include <QJsonObject>

#include "app/cli/command.h"
#include "app/cli/position_check.h"
#include "app/cli/text_input.h"
#include "app/cli/variant_option.h"
#include "core/attention/variant_report.h"
#include "core/capture/encoded_text.h"
#include "core/tokenize/tokenizer.h"

namespace attnscope::cli {

int runCompare(const QStringList &arguments)
{
    QCommandLineParser parser;
    addVariantOption(parser, QStringLiteral("Compares attention variants with the reference "
                                            "softmax on one input and prints JSON."));
    parser.addPositionalArgument(QStringLiteral("MODEL_DIR"), QStringLiteral("Hugging Face model folder"));
    addTextOptions(parser);
    addPositionOptions(parser);
    if (!parseArguments(parser, arguments, 1, 1))
        return ExitSuccess;
    const AttentionPlan plan = variantPlan(parser);
    if (plan.isReference())
        throw UsageError(QStringLiteral("give at least one --variant SPEC; see --help"));
    const QByteArray text = *readText(parser, QStringLiteral("text"), true);
    const std::optional<QByteArray> pair = readText(parser, QStringLiteral("text-pair"), false);

    const QString modelDir = parser.positionalArguments().first();
    const auto model = loadModel(modelDir);
    const auto tokenizer = tokenize::loadTokenizer(modelDir);
    const tokenize::Encoding encoding = pair ? tokenizer->encodePair(text, *pair) : tokenizer->encode(text);
    checkPositions(parser, modelDir, int64_t(encoding.tokens.size()));
    const VariantReport report = compareVariant(*model, comparisonInputOf(encoding, pair.has_value(), *tokenizer), plan);
    QJsonObject json = variantReportJson(report, [&](int64_t id) { return tokenizer->idToToken(id); },
                                         [&](int64_t id) { return tokenizer->idToText(id); });
    json.insert(QStringLiteral("model"), model->info().directory);
    printLine(QJsonDocument(json).toJson(QJsonDocument::Compact));
    return ExitSuccess;
}

} // namespace attnscope::cli
