// attnscope-cli run MODEL_DIR (--text T | --text-file F | --image FILE) [--text-pair T2]
//                  [--variant SPEC]… [--layers RANGE] [--heads RANGE] [--dense] [--threads N]
//                  [--allow-longer] [--timings] --out OUT.safetensors
// One forward pass; writes (by the suffix of OUT: .safetensors, .json, .npy, .csv)
// "attentions" [L, H, T, T], "logits" and "input_ids" (text) or
// "pixel_values" (images, preprocessed as the checkpoint says), with the tokens, the model
// folder and the variants in the metadata. Beyond the dense budget the attention goes out as
// the compact capture (see capture_choice.h); --layers/--heads then add dense heads, listed
// in the metadata as "attention_layers" and "attention_heads".
// Encoder–decoder models take --target T | --target-file F and write Hugging Face's names
// (see seq2seq_run.h).

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>
#include <torch/torch.h>

#include "app/cli/attention_output.h"
#include "app/cli/capture_choice.h"
#include "app/cli/command.h"
#include "app/cli/position_check.h"
#include "app/cli/progress_bar.h"
#include "app/cli/seq2seq_run.h"
#include "app/cli/text_input.h"
#include "core/attention/variant_registry.h"
#include "core/attention/variant_spec.h"
#include "core/capture/attention_record.h"
#include "core/capture/compact_capture.h"
#include "core/capture/encoded_text.h"
#include "core/capture/progress_recorder.h"
#include "core/capture/vision_tokens.h"
#include "core/io/input_error.h"
#include "core/io/model_config.h"
#include "core/io/safetensors_writer.h"
#include "core/io/tensor_export.h"
#include "core/models/common/engine_threads.h"
#include "core/models/model.h"
#include "core/models/seq2seq_model.h"
#include "core/models/seq2seq_plans.h"
#include "core/tokenize/tokenizer.h"
#include "viz/image_decoding.h"
#include "viz/image_preprocessor.h"

namespace attnscope::cli {

namespace {

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

void printTimings(qint64 loadMs, qint64 tokenizeMs, qint64 forwardMs)
{
    const QJsonObject timings{{QStringLiteral("load_ms"), loadMs},
                              {QStringLiteral("tokenize_ms"), tokenizeMs},
                              {QStringLiteral("forward_ms"), forwardMs}};
    const QByteArray line = QJsonDocument(timings).toJson(QJsonDocument::Compact);
    std::fprintf(stderr, "%s\n", line.constData());
}

QStringList indexTexts(const std::vector<int> &indices)
{
    QStringList texts;
    for (const int index : indices)
        texts << QString::number(index);
    return texts;
}

// "attentions" of the chosen heads, and the compact capture when the run needs it.
void addAttention(const AttentionRecord &record, const CaptureChoice &choice, NamedTensors &tensors,
                  QMap<QString, QString> &metadata, std::vector<CsvDimension> &dimensions)
{
    if (choice.writeCompact)
        appendCompactCapture(record, tensors, metadata);
    if (!choice.writeDense)
        return;
    tensors.insert(tensors.begin(), {"attentions", choice.subset()
                                                       ? denseProbabilities(record, choice.layers, choice.heads)
                                                       : record.all().contiguous()});
    if (!choice.subset())
        return;
    const QStringList layers = indexTexts(choice.layers), heads = indexTexts(choice.heads);
    metadata.insert(QStringLiteral("attention_layers"), jsonList(layers));
    metadata.insert(QStringLiteral("attention_heads"), jsonList(heads));
    dimensions[0].labels = layers;
    dimensions[1].labels = heads;
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
    addPositionOptions(parser);
    parser.addOption({QStringLiteral("image"),
                      QStringLiteral("Image file for a vision model (PNG, JPEG, BMP, WebP, TIFF)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("variant"),
                      QStringLiteral("Variant SPEC (repeatable; the first that covers a head wins). On an encoder–decoder "
                                     "model @stack=encoder|decoder|cross puts it on those stacks only."),
                      QStringLiteral("SPEC")});
    parser.addOption({QStringLiteral("target"), targetOptionHelp(), QStringLiteral("T")});
    parser.addOption({QStringLiteral("target-file"), QStringLiteral("Read the target from a UTF-8 file."), QStringLiteral("F")});
    addCaptureOptions(parser);
    parser.addOption({QStringLiteral("threads"), QStringLiteral("Threads the forward pass uses (default: every core)."),
                      QStringLiteral("N")});
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
    checkTensorFileSuffix(out);
    const QStringList specs = parser.values(QStringLiteral("variant"));
    const Seq2SeqPlans stackPlans = parseSeq2SeqPlans(specs); // checks every SPEC; @stack= is for encoder–decoder models
    const bool image = parser.isSet(QStringLiteral("image"));
    const std::optional<QByteArray> text = readText(parser, QStringLiteral("text"), !image);
    if (image && text)
        throw UsageError(QStringLiteral("give --image or --text, not both"));
    const std::optional<QByteArray> pair = readText(parser, QStringLiteral("text-pair"), false);
    const std::optional<QByteArray> target = readText(parser, QStringLiteral("target"), false);
    const QString modelDir = parser.positionalArguments().first();
    const QString modelType = ModelConfig::load(modelDir).modelType();
    if (target && !isSeq2SeqModelType(modelType))
        throw InputError(modelDir, QStringLiteral("--target needs an encoder–decoder model (%1), not a %2 model")
                                       .arg(seq2seqModelTypes().join(QStringLiteral(", ")), modelType));
    const bool seq2seqType = isSeq2SeqModelType(modelType);
    if (seq2seqType && (image || pair))
        throw UsageError(QStringLiteral("an encoder–decoder model reads --text and --target"));
    const AttentionPlan plan = seq2seqType ? AttentionPlan() : parsePlan(specs);
    if (parser.isSet(QStringLiteral("threads"))) {
        bool ok = false;
        const int threads = parser.value(QStringLiteral("threads")).toInt(&ok);
        if (!ok || threads < 1)
            throw UsageError(QStringLiteral("--threads must be a positive number, not '%1'").arg(parser.value(QStringLiteral("threads"))));
        useThreads(threads);
    }

    ProgressBar progress;
    progress.show(QStringLiteral("loading ") + modelDir);
    QElapsedTimer timer;
    timer.start();
    const auto model = loadModel(modelDir);
    if (const auto *seq2seq = dynamic_cast<const Seq2SeqModel *>(model.get())) {
        const qint64 loadMs = lap(timer);
        progress.show(QStringLiteral("running ") + modelDir);
        const auto [tokenizeMs, forwardMs] = runSeq2Seq(*seq2seq, {modelDir, *text, target, stackPlans, specs, out});
        progress.clear();
        if (parser.isSet(QStringLiteral("timings")))
            printTimings(loadMs, tokenizeMs, forwardMs);
        return ExitSuccess;
    }
    const ModelInfo &info = model->info();
    checkPlanFits(plan, info.layers, info.heads);
    if (info.vision != image)
        throw InputError(modelDir, info.vision ? QStringLiteral("is a vision model: give --image FILE")
                                               : QStringLiteral("is a text model: give --text, not --image"));
    NamedTensors tensors;
    std::vector<RecordedToken> recordedTokens;
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
        recordedTokens = visionTokens(info, prepared.geometry.gridRows(), prepared.geometry.gridCols());
        tensors.push_back({"pixel_values", prepared.pixelValues});
    } else {
        const auto tokenizer = tokenize::loadTokenizer(modelDir);
        loadMs = lap(timer);
        const tokenize::Encoding encoding = pair ? tokenizer->encodePair(*text, *pair) : tokenizer->encode(*text);
        input = modelInputOf(encoding, pair.has_value());
        recordedTokens = recordedTokensOf(encoding);
        tensors.push_back({"input_ids", input.inputIds});
        checkPositions(parser, modelDir, int64_t(encoding.tokens.size()));
    }
    const qint64 tokenizeMs = lap(timer);
    progress.clear(); // before any note on the attention's size
    const CaptureChoice choice = chooseCapture(parser, info.layers, info.heads, int64_t(recordedTokens.size()), out);
    AttentionRecord record(choice.recordBudget);
    record.tokens = std::move(recordedTokens);
    const std::atomic<bool> neverCancelled{false};
    ProgressRecorder layerProgress(record, neverCancelled, [&progress](int layer, int layers) {
        progress.show(QStringLiteral("layer"), layer + 1, layers);
    });
    const torch::Tensor logits = model->forward(input, plan, &layerProgress);
    const qint64 forwardMs = lap(timer);

    progress.show(QStringLiteral("writing ") + out);
    tensors.insert(tensors.begin(), {"logits", logits.detach().to(torch::kFloat32).contiguous()});
    const QStringList tokens = tokenTexts(record.tokens);
    QMap<QString, QString> metadata{{QStringLiteral("tokens"), jsonList(tokens)},
                                    {QStringLiteral("model"), modelDir},
                                    {QStringLiteral("variants"), jsonList(planSpecs(plan))}};
    std::vector<CsvDimension> dimensions{{QStringLiteral("layer"), {}}, {QStringLiteral("head"), {}},
                                         {QStringLiteral("query"), tokens}, {QStringLiteral("key"), tokens}};
    addAttention(record, choice, tensors, metadata, dimensions);
    writeTensorFile(out, tensors, metadata, dimensions);
    progress.clear();
    if (parser.isSet(QStringLiteral("timings")))
        printTimings(loadMs, tokenizeMs, forwardMs);
    return ExitSuccess;
}

} // namespace attnscope::cli
