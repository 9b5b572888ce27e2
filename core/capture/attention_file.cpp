#include "core/capture/attention_file.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "core/capture/compact_capture.h"
#include "core/io/input_error.h"
#include "core/io/safetensors_file.h"

namespace attnscope {

namespace {

constexpr double kRowSumTolerance = 1e-3;
// Tokens are shown on axes and in lists: no real token comes near this, and megabyte-long
// "tokens" would make every view lay out megabytes of text.
constexpr qsizetype kMaxTokenChars = 1000;

std::string attentionTensorName(const SafetensorsFile &file, const QString &path)
{
    // An encoder–decoder file (run --target, or Hugging Face's seq2seq outputs) opens its encoder.
    for (const char *name : {"attentions", "attention", "encoder_attentions"})
        if (file.contains(name))
            return name;
    const std::vector<std::string> names = file.names();
    if (names.size() == 1)
        return names.front();
    throw InputError(path, QStringLiteral("has no tensor named \"attentions\" (and %1 others to choose from)").arg(names.size()));
}

QString shapeText(const torch::Tensor &tensor)
{
    QStringList sizes;
    for (const int64_t size : tensor.sizes())
        sizes << QString::number(size);
    return QStringLiteral("[%1]").arg(sizes.join(QStringLiteral(", ")));
}

// [L, H, T, T] from any of the accepted shapes.
torch::Tensor asLayersHeads(torch::Tensor values, const QString &path)
{
    const QString given = shapeText(values);
    if (values.dim() == 5 && values.size(0) == 1)
        values = values.squeeze(0);
    else if (values.dim() == 5 && values.size(1) == 1)
        values = values.squeeze(1); // torch.stack(output.attentions): [L, 1, H, T, T]
    if (values.dim() == 3)
        values = values.unsqueeze(0);
    else if (values.dim() == 2)
        values = values.unsqueeze(0).unsqueeze(0);
    if (values.dim() != 4)
        throw InputError(path, QStringLiteral("attention has shape %1; expected [L, H, T, T], [H, T, T] or [T, T], "
                                              "optionally with a batch dimension of 1").arg(given));
    if (values.size(2) != values.size(3) || values.size(2) == 0)
        throw InputError(path, QStringLiteral("attention has shape %1: the last two sizes must be equal (T × T)").arg(given));
    return values;
}

// Rows that do not sum to 1 are shown as they are, with a warning.
QStringList rowSumWarnings(const torch::Tensor &values, const QString &path)
{
    const torch::Tensor sums = values.to(torch::kFloat64).sum(-1);
    const int64_t off = ((sums - 1).abs() > kRowSumTolerance).sum().item<int64_t>();
    if (off == 0)
        return {};
    return {QStringLiteral("%1: %2 of %3 rows do not sum to 1 (shown as they are)").arg(path).arg(off).arg(sums.numel())};
}

AttentionFile loadDenseAttention(const SafetensorsFile &file, const QString &path)
{
    const std::string name = attentionTensorName(file, path);
    const torch::Tensor stored = file.load(name);
    if (!stored.is_floating_point())
        throw InputError(path, QStringLiteral("tensor \"%1\" holds integers, not attention weights").arg(QString::fromStdString(name)));
    const torch::Tensor values = asLayersHeads(stored.to(torch::kFloat32), path);
    if (!torch::isfinite(values).all().item<bool>())
        throw InputError(path, QStringLiteral("attention holds NaN or infinite values"));
    if ((values < 0).any().item<bool>())
        throw InputError(path, QStringLiteral("attention holds negative values (are these scores before the softmax?)"));
    return {AttentionRecord::fromProbabilities(values.contiguous()), rowSumWarnings(values, path)};
}

std::vector<RecordedToken> tokensOf(const SafetensorsFile &file, int64_t T, const QString &path)
{
    std::vector<RecordedToken> recorded(static_cast<size_t>(T));
    const QString tokensJson = file.metadata().value(QStringLiteral("tokens"));
    if (tokensJson.isEmpty()) {
        for (int64_t t = 0; t < T; ++t)
            recorded[size_t(t)].text = QString::number(t);
        return recorded;
    }
    const QJsonDocument document = QJsonDocument::fromJson(tokensJson.toUtf8());
    if (!document.isArray())
        throw InputError(path, QStringLiteral("metadata \"tokens\" is not a JSON list of strings"));
    const QJsonArray tokens = document.array();
    if (tokens.size() != T)
        throw InputError(path, QStringLiteral("metadata lists %1 tokens but the attention is %2 × %2").arg(tokens.size()).arg(T));
    for (int64_t t = 0; t < T; ++t) {
        if (!tokens[t].isString())
            throw InputError(path, QStringLiteral("metadata \"tokens\" item %1 is not a string").arg(t));
        recorded[size_t(t)].text = tokens[t].toString();
        if (recorded[size_t(t)].text.size() > kMaxTokenChars)
            throw InputError(path, QStringLiteral("metadata \"tokens\" item %1 is %2 characters long; tokens of at most %3 are shown")
                                       .arg(t).arg(recorded[size_t(t)].text.size()).arg(kMaxTokenChars));
    }
    return recorded;
}

} // namespace

AttentionFile loadAttentionFile(const QString &path)
{
    const auto file = SafetensorsFile::open(path);
    AttentionFile loaded = isCompactCapture(*file) ? AttentionFile{readCompactCapture(*file), {}}
                                                   : loadDenseAttention(*file, path);
    loaded.record->tokens = tokensOf(*file, loaded.record->queries(), path);
    loaded.record->modelName = file->metadata().value(QStringLiteral("model"), path);
    if (loaded.record->modelName.size() > kMaxTokenChars)
        throw InputError(path, QStringLiteral("metadata \"model\" is %1 characters long; at most %2 are shown")
                                   .arg(loaded.record->modelName.size()).arg(kMaxTokenChars));
    return loaded;
}

} // namespace attnscope
