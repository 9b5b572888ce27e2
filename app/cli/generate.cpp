// attnscope-cli generate MODEL_DIR (--text T | --text-file F) --max-new-tokens N
//                       [--greedy | --temperature τ --top-k K --top-p P --seed S]
//                       [--variant SPEC]… [--allow-longer] [--out STEPS.safetensors]
// Continues the text with a causal language model and prints the continuation. With --out it
// also writes "attentions" [L, H, T, T] (each row as computed at its step, through the KV
// cache), "step_logits" [N, vocab] (what each step chose from, before temperature) and
// "input_ids" (prompt + generated), with the prompt length and the sampling in the metadata.
// Prompt + N past a rotary model's trained context is refused unless --allow-longer (position_check.h).
// Ctrl-C ends it after the current step: what was written is printed (and goes to --out), exit 130.
// An encoder–decoder model translates the text instead (seq2seq_generate.h).

#include <atomic>
#include <csignal>
#include <cstdio>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <torch/torch.h>

#include "app/cli/attention_output.h"
#include "app/cli/command.h"
#include "app/cli/position_check.h"
#include "app/cli/sampling_options.h"
#include "app/cli/seq2seq_generate.h"
#include "app/cli/text_input.h"
#include "core/attention/variant_spec.h"
#include "core/capture/generation_steps.h"
#include "core/io/model_config.h"
#include "core/models/generation.h"
#include "core/models/model.h"
#include "core/models/seq2seq_model.h"
#include "core/tokenize/tokenizer.h"

namespace attnscope::cli {

namespace {

std::atomic<bool> interrupted{false};

extern "C" void stopAfterThisStep(int) { interrupted = true; }

// Generates with Ctrl-C ending it after the current step (the tokens so far kept), as a stop id would.
Generation generateUntilInterrupted(const Model &model, GenerationRequest &request, const AttentionPlan &plan)
{
    interrupted = false;
    request.stop = &interrupted;
    const auto previousHandler = std::signal(SIGINT, stopAfterThisStep);
    try {
        Generation generation = generate(model, request, plan);
        std::signal(SIGINT, previousHandler);
        return generation;
    } catch (...) {
        std::signal(SIGINT, previousHandler);
        throw;
    }
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
                        {QStringLiteral("sampling"), samplingSettingsJson(sampling)}});
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
    parser.addOptions(samplingOptions());
    addPositionOptions(parser);
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
    request.stopIds = stopIdsOf(ModelConfig::load(modelDir));
    if (const auto *seq2seq = dynamic_cast<const Seq2SeqModel *>(model.get()))
        return generateWithSeq2Seq(*seq2seq, modelDir, text, request, plan, out);
    const int64_t promptTokens = request.promptIds.numel();
    request.pastTrainedContext = checkPositions(
        parser, modelDir, promptTokens + request.maxNewTokens,
        QStringLiteral("%1 prompt tokens + %2 new tokens").arg(number(promptTokens), number(request.maxNewTokens)));
    const Generation generation = generateUntilInterrupted(*model, request, plan);
    if (!out.isEmpty())
        writeSteps(out, generation, *tokenizer, request.sampling, modelDir, plan);
    const std::vector<int64_t> added(generation.ids.begin() + generation.promptTokens, generation.ids.end());
    printLine(tokenizer->decode(added).toUtf8());
    if (!interrupted)
        return ExitSuccess;
    std::fprintf(stderr, "attnscope-cli generate: interrupted after %lld of %lld new tokens\n",
                 static_cast<long long>(added.size()), static_cast<long long>(request.maxNewTokens));
    return 130;
}

} // namespace attnscope::cli
