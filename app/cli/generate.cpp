// attnscope-cli generate MODEL_DIR (--text T | --text-file F) --max-new-tokens N
//                       [--greedy | --temperature τ --top-k K --top-p P --seed S]
//                       [--variant SPEC]… [--out STEPS.safetensors]
// Continues the text with a causal language model and prints the continuation. With --out it
// also writes "attentions" [L, H, T, T] (each row as computed at its step, through the KV
// cache), "step_logits" [N, vocab] (what each step chose from, before temperature) and
// "input_ids" (prompt + generated), with the prompt length and the sampling in the metadata.

#include <algorithm>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <torch/torch.h>

#include "app/cli/attention_output.h"
#include "app/cli/command.h"
#include "app/cli/text_input.h"
#include "core/attention/variant_spec.h"
#include "core/io/model_config.h"
#include "core/models/generation.h"
#include "core/models/model.h"
#include "core/tokenize/tokenizer.h"

namespace attnscope::cli {

namespace {

const QStringList kSamplingOptions{QStringLiteral("temperature"), QStringLiteral("top-k"), QStringLiteral("top-p"),
                                   QStringLiteral("seed")};

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

// Greedy unless a sampling option is given; never both.
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

QString samplingJson(const SamplingSettings &settings)
{
    QJsonObject json{{QStringLiteral("greedy"), settings.greedy}};
    if (!settings.greedy) {
        json.insert(QStringLiteral("temperature"), settings.temperature);
        json.insert(QStringLiteral("top_k"), qint64(settings.topK));
        json.insert(QStringLiteral("top_p"), settings.topP);
        json.insert(QStringLiteral("seed"), qint64(settings.seed));
    }
    return QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact));
}

void writeSteps(const QString &out, const Generation &generation, const tokenize::Tokenizer &tokenizer,
                const SamplingSettings &sampling, const QString &modelDir, const AttentionPlan &plan)
{
    QStringList tokens;
    for (const int64_t id : generation.ids)
        tokens << tokenizer.idToText(id);
    const NamedTensors tensors{{"attentions", generation.attentions},
                               {"step_logits", generation.stepLogits.contiguous()},
                               {"input_ids", torch::tensor(generation.ids, torch::kInt64)}};
    writeAttentionFile(out, tensors, tokens, modelDir, plan,
                       {{QStringLiteral("prompt_tokens"), QString::number(generation.promptTokens)},
                        {QStringLiteral("sampling"), samplingJson(sampling)}});
}

} // namespace

int runGenerate(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Continues the text with a causal language model and prints the continuation: greedy, or sampled "
        "with a temperature, top-k and top-p (in that order, as Hugging Face does) from a seed."));
    parser.addPositionalArgument(QStringLiteral("MODEL_DIR"), QStringLiteral("Hugging Face model folder"));
    parser.addOption({QStringLiteral("text"), QStringLiteral("Prompt."), QStringLiteral("T")});
    parser.addOption({QStringLiteral("text-file"), QStringLiteral("File holding the prompt."), QStringLiteral("F")});
    parser.addOption({QStringLiteral("max-new-tokens"), QStringLiteral("Tokens to add at most (default 32)."),
                      QStringLiteral("N"), QStringLiteral("32")});
    parser.addOption({QStringLiteral("greedy"), QStringLiteral("Pick the most likely token each step (the default).")});
    parser.addOption({QStringLiteral("temperature"), QStringLiteral("Sample from softmax(logits / τ), τ > 0 (default 1)."),
                      QStringLiteral("τ")});
    parser.addOption({QStringLiteral("top-k"), QStringLiteral("Sample among the K most likely tokens (default 0: all)."),
                      QStringLiteral("K")});
    parser.addOption({QStringLiteral("top-p"),
                      QStringLiteral("Sample among the fewest most likely tokens holding probability P, in (0, 1] "
                                     "(default 1)."),
                      QStringLiteral("P")});
    parser.addOption({QStringLiteral("seed"), QStringLiteral("Seed of the draws (default 0): the same seed writes the "
                                                             "same tokens."),
                      QStringLiteral("S")});
    parser.addOption({QStringLiteral("variant"), QStringLiteral("Variant SPEC (repeatable)."), QStringLiteral("SPEC")});
    parser.addOption({QStringLiteral("out"),
                      QStringLiteral("Steps file: .safetensors or .json (attentions, step_logits, input_ids and the "
                                     "metadata), .npy or .csv (the attentions)."),
                      QStringLiteral("OUT")});
    if (!parseArguments(parser, arguments, 1, 1))
        return ExitSuccess;
    const QByteArray text = *readText(parser, QStringLiteral("text"), true);
    const QString out = parser.value(QStringLiteral("out"));
    if (!out.isEmpty())
        checkTensorFileSuffix(out);
    GenerationRequest request;
    request.maxNewTokens = wholeNumber(parser, QStringLiteral("max-new-tokens"), 32, 1);
    request.sampling = samplingOf(parser);
    request.captureAttention = !out.isEmpty();
    const AttentionPlan plan = parsePlan(parser.values(QStringLiteral("variant")));
    const QString modelDir = parser.positionalArguments().first();

    const auto model = loadModel(modelDir);
    checkPlanFits(plan, model->info().layers, model->info().heads);
    const auto tokenizer = tokenize::loadTokenizer(modelDir);
    request.promptIds = torch::tensor(tokenizer->encode(text).ids(), torch::kInt64);
    request.stopIds = stopIds(ModelConfig::load(modelDir));
    const Generation generation = generate(*model, request, plan);
    if (!out.isEmpty())
        writeSteps(out, generation, *tokenizer, request.sampling, modelDir, plan);
    const std::vector<int64_t> added(generation.ids.begin() + generation.promptTokens, generation.ids.end());
    printLine(tokenizer->decode(added).toUtf8());
    return ExitSuccess;
}

} // namespace attnscope::cli
