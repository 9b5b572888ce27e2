// attnscope-cli generate MODEL_DIR (--text T | --text-file F) --max-new-tokens N [--greedy]
//                       [--variant SPEC]…
// Continues the text with a causal language model and prints the continuation.

#include <QJsonArray>

#include <torch/torch.h>

#include "app/cli/command.h"
#include "app/cli/text_input.h"
#include "core/attention/variant_spec.h"
#include "core/io/model_config.h"
#include "core/models/generation.h"
#include "core/models/model.h"
#include "core/tokenize/tokenizer.h"

namespace attnscope::cli {

namespace {

// config.json's eos_token_id: one id or a list of them.
std::vector<int64_t> stopIds(const ModelConfig &config)
{
    const QJsonValue value = config.json().value(QStringLiteral("eos_token_id"));
    std::vector<int64_t> ids;
    if (value.isDouble())
        ids.push_back(config.integer(QStringLiteral("eos_token_id")));
    for (const QJsonValue &id : value.toArray())
        ids.push_back(id.toInteger(-1));
    return ids;
}

int64_t tokenCount(const QCommandLineParser &parser)
{
    bool ok = false;
    const qint64 count = parser.value(QStringLiteral("max-new-tokens")).toLongLong(&ok);
    if (!ok || count < 1)
        throw UsageError(QStringLiteral("--max-new-tokens needs a positive integer"));
    return count;
}

} // namespace

int runGenerate(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Continues the text with a causal language model (greedy decoding) and prints the continuation."));
    parser.addPositionalArgument(QStringLiteral("MODEL_DIR"), QStringLiteral("Hugging Face model folder"));
    parser.addOption({QStringLiteral("text"), QStringLiteral("Prompt."), QStringLiteral("T")});
    parser.addOption({QStringLiteral("text-file"), QStringLiteral("File holding the prompt."), QStringLiteral("F")});
    parser.addOption({QStringLiteral("max-new-tokens"), QStringLiteral("Tokens to add at most (default 32)."),
                      QStringLiteral("N"), QStringLiteral("32")});
    parser.addOption({QStringLiteral("greedy"), QStringLiteral("Pick the most likely token each step (the only mode).")});
    parser.addOption({QStringLiteral("variant"), QStringLiteral("Variant SPEC (repeatable)."), QStringLiteral("SPEC")});
    if (!parseArguments(parser, arguments, 1, 1))
        return ExitSuccess;
    const QByteArray text = *readText(parser, QStringLiteral("text"), true);
    const AttentionPlan plan = parsePlan(parser.values(QStringLiteral("variant")));
    const QString modelDir = parser.positionalArguments().first();

    const auto model = loadModel(modelDir);
    checkPlanFits(plan, model->info().layers, model->info().heads);
    const auto tokenizer = tokenize::loadTokenizer(modelDir);
    GenerationRequest request;
    request.promptIds = torch::tensor(tokenizer->encode(text).ids(), torch::kInt64);
    request.maxNewTokens = tokenCount(parser);
    request.stopIds = stopIds(ModelConfig::load(modelDir));
    const Generation generation = generateGreedy(*model, request, plan, nullptr);
    const std::vector<int64_t> added(generation.ids.begin() + generation.promptTokens, generation.ids.end());
    printLine(tokenizer->decode(added).toUtf8());
    return ExitSuccess;
}

} // namespace attnscope::cli
