// attnscope-cli run MODEL_DIR (--text T | --text-file F | --image FILE) [--text-pair T2]
//                  [--variant SPEC]… [--timings] --out OUT.safetensors
// One forward pass; writes (by the suffix of OUT: .safetensors, .json, .npy, .csv)
// "attentions" [L, H, T, T], "logits" and "input_ids" (text) or
// "pixel_values" (images, preprocessed as the checkpoint says), with the tokens, the model
// folder and the variants in the metadata.

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
#include "core/capture/vision_tokens.h"
#include "core/io/input_error.h"
#include "core/io/model_config.h"
#include "core/io/safetensors_writer.h"
#include "core/io/tensor_export.h"
#include "core/models/model.h"
#include "core/models/position_limit.h"
#include "core/tokenize/tokenizer.h"
#include "viz/image_decoding.h"
#include "viz/image_preprocessor.h"

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

// Beyond learned positions the run is refused in one line (the model cannot run); beyond a
// rotary model's trained context it goes on with a warning.
void warnAboutPositions(const ModelConfig &config, int64_t tokens)
{
    const QString warning = positionLimitWarning(config, tokens);
    if (warning.isEmpty())
        return;
    if (positionLimitOf(config).kind == PositionKind::Learned)
        throw InputError(QStringLiteral("input"), warning);
    std::fprintf(stderr, "attnscope-cli: warning: %s\n", qPrintable(warning));
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
    parser.addOption({QStringLiteral("image"),
                      QStringLiteral("Image file for a vision model (PNG, JPEG, BMP, WebP, TIFF)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("variant"),
                      QStringLiteral("Variant SPEC (repeatable; the first that covers a head wins)."),
                      QStringLiteral("SPEC")});
    parser.addOption({QStringLiteral("timings"),
                      QStringLiteral("Print {\"load_ms\",\"tokenize_ms\",\"forward_ms\"} as one JSON line on stderr.")});
    parser.addOption({QStringLiteral("out"),
                      QStringLiteral("Output file: .safetensors or .json (every tensor and the metadata), .npy (the "
                                     "attentions) or .csv (the attentions, one row per weight with its tokens)."),
                      QStringLiteral("OUT")});
    if (!parseArguments(parser, arguments, 1, 1))
        return ExitSuccess;
    const QString out = parser.value(QStringLiteral("out"));
    if (out.isEmpty())
        throw UsageError(QStringLiteral("give the output file with --out OUT.safetensors"));
    if (!tensorFileSuffixes().contains(out.section(QLatin1Char('.'), -1).toLower()))
        throw UsageError(QStringLiteral("--out '%1' must end in .%2").arg(out, tensorFileSuffixes().join(QStringLiteral(", ."))));
    const QStringList specs = parser.values(QStringLiteral("variant"));
    const AttentionPlan plan = parsePlan(specs);
    const bool image = parser.isSet(QStringLiteral("image"));
    const std::optional<QByteArray> text = readText(parser, QStringLiteral("text"), !image);
    if (image && text)
        throw UsageError(QStringLiteral("give --image or --text, not both"));
    const std::optional<QByteArray> pair = readText(parser, QStringLiteral("text-pair"), false);
    const QString modelDir = parser.positionalArguments().first();

    QElapsedTimer timer;
    timer.start();
    const auto model = loadModel(modelDir);
    const ModelInfo &info = model->info();
    checkPlanFits(plan, info.layers, info.heads);
    if (info.vision != image)
        throw InputError(modelDir, info.vision ? QStringLiteral("is a vision model: give --image FILE")
                                               : QStringLiteral("is a text model: give --text, not --image"));
    NamedTensors tensors;
    AttentionRecord record;
    ModelInput input;
    qint64 loadMs = 0;
    if (image) {
        const ImagePreprocessing preprocessing = ImagePreprocessing::load(modelDir);
        loadMs = lap(timer);
        const QString path = parser.value(QStringLiteral("image"));
        const DecodedImage decoded = decodeImage(path);
        if (!decoded.warning.isEmpty())
            std::fprintf(stderr, "attnscope-cli: warning: %s\n", qPrintable(decoded.warning));
        const PreparedImage prepared = prepareImage(decoded.rgb, preprocessing, info.patchSize, path);
        input.pixelValues = prepared.pixelValues;
        record.tokens = visionTokens(info, prepared.geometry.gridRows(), prepared.geometry.gridCols());
        tensors.push_back({"pixel_values", prepared.pixelValues});
    } else {
        const auto tokenizer = tokenize::loadTokenizer(modelDir);
        loadMs = lap(timer);
        const tokenize::Encoding encoding = pair ? tokenizer->encodePair(*text, *pair) : tokenizer->encode(*text);
        input = modelInputOf(encoding, pair.has_value());
        record.tokens = recordedTokensOf(encoding);
        tensors.push_back({"input_ids", input.inputIds});
        warnAboutPositions(ModelConfig::load(modelDir), int64_t(encoding.tokens.size()));
    }
    const qint64 tokenizeMs = lap(timer);
    const torch::Tensor logits = model->forward(input, plan, &record);
    const qint64 forwardMs = lap(timer);

    tensors.insert(tensors.begin(), {{"attentions", record.all().contiguous()},
                                     {"logits", logits.detach().to(torch::kFloat32).contiguous()}});
    const QStringList tokens = tokenTexts(record.tokens);
    writeTensorFile(out, tensors,
                    {{QStringLiteral("tokens"), jsonList(tokens)},
                     {QStringLiteral("model"), modelDir},
                     {QStringLiteral("variants"), jsonList(planSpecs(plan))}},
                    {{QStringLiteral("layer"), {}}, {QStringLiteral("head"), {}}, {QStringLiteral("query"), tokens},
                     {QStringLiteral("key"), tokens}});
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
