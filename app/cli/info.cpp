// attnscope-cli info MODEL_DIR: what the model is, as one JSON object on stdout.

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "app/cli/command.h"
#include "core/io/model_config.h"
#include "core/models/model.h"
#include "core/models/seq2seq_model.h"

namespace attnscope::cli {

namespace {

QJsonArray filesOf(const QString &modelDir)
{
    QJsonArray files;
    for (const QFileInfo &file : QDir(modelDir).entryInfoList(QDir::Files, QDir::Name))
        files.append(QJsonObject{{QStringLiteral("name"), file.fileName()},
                                 {QStringLiteral("bytes"), file.size()}});
    return files;
}

// The dtype the checkpoint was saved in, as config.json says ("float32" when it does not).
QString savedDtype(const ModelConfig &config)
{
    for (const char *key : {"torch_dtype", "dtype"})
        if (const QJsonValue value = config.json().value(QLatin1String(key)); value.isString())
            return value.toString();
    return QStringLiteral("float32");
}

// Per layer: whether it sees only a sliding window of recent keys, and how wide that is.
QJsonArray layerAttentionOf(const ModelInfo &info)
{
    QJsonArray layers;
    for (int i = 0; i < info.layers; ++i) {
        const int64_t window = size_t(i) < info.slidingWindows.size() ? info.slidingWindows[size_t(i)] : 0;
        QJsonObject layer{{QStringLiteral("sliding"), window > 0}};
        if (window > 0)
            layer.insert(QStringLiteral("window"), qint64(window));
        layers.append(layer);
    }
    return layers;
}

// Both stacks of an encoder–decoder model (the top-level layers and heads are the encoder's).
QJsonObject stacksOf(const Seq2SeqInfo &stacks)
{
    return QJsonObject{{QStringLiteral("encoder_layers"), stacks.encoderLayers},
                       {QStringLiteral("decoder_layers"), stacks.decoderLayers},
                       {QStringLiteral("encoder_heads"), stacks.encoderHeads},
                       {QStringLiteral("decoder_heads"), stacks.decoderHeads},
                       {QStringLiteral("cross_attention"), QJsonObject{{QStringLiteral("layers"), stacks.decoderLayers},
                                                                      {QStringLiteral("heads"), stacks.decoderHeads}}},
                       {QStringLiteral("decoder_vocab"), stacks.decoderVocabSize},
                       {QStringLiteral("decoder_start_token_id"), qint64(stacks.decoderStartTokenId)},
                       {QStringLiteral("positions"), stacks.positions},
                       {QStringLiteral("max_target_positions"), stacks.maxTargetPositions}};
}

} // namespace

int runInfo(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Describes a model folder as JSON."));
    parser.addPositionalArgument(QStringLiteral("MODEL_DIR"), QStringLiteral("Hugging Face model folder"));
    if (!parseArguments(parser, arguments, 1, 1))
        return ExitSuccess;
    const QString modelDir = parser.positionalArguments().first();
    const auto model = loadModel(modelDir);
    const ModelInfo &info = model->info();
    QJsonObject json{
        {QStringLiteral("model_type"), info.modelType},
        {QStringLiteral("architecture"), info.architecture},
        {QStringLiteral("layers"), info.layers},
        {QStringLiteral("layer_attention"), layerAttentionOf(info)},
        {QStringLiteral("heads"), info.heads},
        {QStringLiteral("kv_heads"), info.kvHeads},
        {QStringLiteral("hidden"), info.hidden},
        {QStringLiteral("head_dim"), info.headDim},
        {QStringLiteral("vocab"), info.vocabSize},
        {QStringLiteral("parameters"), qint64(info.parameters)},
        {QStringLiteral("dtype"), savedDtype(ModelConfig::load(modelDir))},
        {QStringLiteral("files"), filesOf(modelDir)},
        {QStringLiteral("max_positions"), info.maxPositions},
        {QStringLiteral("causal"), info.causal},
        {QStringLiteral("vision"), info.vision},
        {QStringLiteral("labels"), QJsonArray::fromStringList(info.labels)},
    };
    if (const auto *seq2seq = dynamic_cast<const Seq2SeqModel *>(model.get()))
        json.insert(QStringLiteral("encoder_decoder"), stacksOf(seq2seq->seq2seqInfo()));
    printLine(QJsonDocument(json).toJson(QJsonDocument::Compact));
    return ExitSuccess;
}

} // namespace attnscope::cli
