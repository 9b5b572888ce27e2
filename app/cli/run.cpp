// attnscope-cli run MODEL_DIR (--text T | --text-file F) [--text-pair T2] [--variant SPEC]…
//                  [--timings] --out OUT.safetensors
// One forward pass; writes "attentions" [L, H, T, T], "logits" and "input_ids", with the
// tokens, the model folder and the variants in the metadata.

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>
#include <torch/torch.h>

#include "app/cli/command.h"
#include "app/cli/text_input.h"
#include "core/attention/variant_registry.h"
#include "core/attention/variant_spec.h"
#include "core/capture/attention_record.h"
#include "core/capture/encoded_text.h"
#include "core/io/safetensors_writer.h"
#include "core/models/model.h"
#include "core/tokenize/tokenizer.h"

namespace attnscope::cli {

namespace {

QString jsonList(const QStringList &values)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(values)).toJson(QJsonDocument::Compact));
}

QStringList tokenTexts(const std::vector<RecordedToken> &tokens)
{
    QStringList texts;
    for (const RecordedToken &token : tokens)
        texts << token.text;
    return texts;
}

qint64 lap(QElapsedTimer &timer)
{
    return timer.restart();
}

} // namespace

int runRun(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Runs the model once on the input and writes its attention, logits and "
                       "token ids as safetensors.\n\n") + variantHelpText());
    parser.addPositionalArgument(QStringLiteral("MODEL_DIR"), QStringLiteral("Hugging Face model folder"));
    addTextOptions(parser);
    parser.addOption({QStringLiteral("variant"),
                      QStringLiteral("Variant SPEC (repeatable; the first that covers a head wins)."),
                      QStringLiteral("SPEC")});
    parser.addOption({QStringLiteral("timings"),
                      QStringLiteral("Print {\"load_ms\",\"tokenize_ms\",\"forward_ms\"} as one JSON line on stderr.")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Output .safetensors file."), QStringLiteral("OUT")});
    if (!parseArguments(parser, arguments, 1, 1))
        return ExitSuccess;
    const QString out = parser.value(QStringLiteral("out"));
    if (out.isEmpty())
        throw UsageError(QStringLiteral("give the output file with --out OUT.safetensors"));
    const QStringList specs = parser.values(QStringLiteral("variant"));
    const AttentionPlan plan = parsePlan(specs);
    const QByteArray text = *readText(parser, QStringLiteral("text"), true);
    const std::optional<QByteArray> pair = readText(parser, QStringLiteral("text-pair"), false);
    const QString modelDir = parser.positionalArguments().first();

    QElapsedTimer timer;
    timer.start();
    const auto model = loadModel(modelDir);
    checkPlanFits(plan, model->info().layers, model->info().heads);
    const auto tokenizer = tokenize::loadTokenizer(modelDir);
    const qint64 loadMs = lap(timer);
    const tokenize::Encoding encoding = pair ? tokenizer->encodePair(text, *pair) : tokenizer->encode(text);
    const ModelInput input = modelInputOf(encoding, pair.has_value());
    const qint64 tokenizeMs = lap(timer);
    AttentionRecord record;
    record.tokens = recordedTokensOf(encoding);
    const torch::Tensor logits = model->forward(input, plan, &record);
    const qint64 forwardMs = lap(timer);

    writeSafetensors(out, {{"attentions", record.all().contiguous()},
                           {"logits", logits.detach().to(torch::kFloat32).contiguous()},
                           {"input_ids", input.inputIds}},
                     {{QStringLiteral("tokens"), jsonList(tokenTexts(record.tokens))},
                      {QStringLiteral("model"), modelDir},
                      {QStringLiteral("variants"), jsonList(planSpecs(plan))}});
    if (parser.isSet(QStringLiteral("timings"))) {
        const QJsonObject timings{{QStringLiteral("load_ms"), loadMs},
                                  {QStringLiteral("tokenize_ms"), tokenizeMs},
                                  {QStringLiteral("forward_ms"), forwardMs}};
        const QByteArray line = QJsonDocument(timings).toJson(QJsonDocument::Compact);
        std::fprintf(stderr, "%s\n", line.constData());
    }
    return ExitSuccess;
}

} // namespace attnscope::cli
