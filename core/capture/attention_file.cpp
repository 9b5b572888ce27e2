#include "core/capture/attention_file.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "core/io/input_error.h"
#include "core/io/safetensors_file.h"

namespace attnscope {

namespace {

constexpr double kRowSumTolerance = 1e-3;

std::string attentionTensorName(const SafetensorsFile &file, const QString &path)
{
    for (const char *name : {"attentions", "attention"})
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

} // namespace

AttentionFile loadAttentionFile(const QString &path)
{
    const auto file = SafetensorsFile::open(path);
    const std::string name = attentionTensorName(*file, path);
    const torch::Tensor stored = file->load(name);
    if (!stored.is_floating_point())
        throw InputError(path, QStringLiteral("tensor \"%1\" holds integers, not attention weights").arg(QString::fromStdString(name)));
    const torch::Tensor values = asLayersHeads(stored.to(torch::kFloat32), path);
    if (!torch::isfinite(values).all().item<bool>())
        throw InputError(path, QStringLiteral("attention holds NaN or infinite values"));
    if ((values < 0).any().item<bool>())
        throw InputError(path, QStringLiteral("attention holds negative values (are these scores before the softmax?)"));

    AttentionFile loaded;
    loaded.record = AttentionRecord::fromProbabilities(values.contiguous());
    const int64_t T = values.size(2);
    const QString tokensJson = file->metadata().value(QStringLiteral("tokens"));
    if (!tokensJson.isEmpty()) {
        const QJsonDocument document = QJsonDocument::fromJson(tokensJson.toUtf8());
        if (!document.isArray())
            throw InputError(path, QStringLiteral("metadata \"tokens\" is not a JSON list of strings"));
        const QJsonArray tokens = document.array();
        if (tokens.size() != T)
            throw InputError(path, QStringLiteral("metadata lists %1 tokens but the attention is %2 × %2").arg(tokens.size()).arg(T));
        for (const QJsonValue &token : tokens) {
            RecordedToken recorded;
            recorded.text = token.toString();
            loaded.record->tokens.push_back(recorded);
        }
    } else {
        for (int64_t t = 0; t < T; ++t) {
            RecordedToken recorded;
            recorded.text = QString::number(t);
            loaded.record->tokens.push_back(recorded);
        }
    }
    loaded.record->modelName = file->metadata().value(QStringLiteral("model"), path);
    const torch::Tensor sums = values.to(torch::kFloat64).sum(-1);
    const int64_t off = ((sums - 1).abs() > kRowSumTolerance).sum().item<int64_t>();
    if (off > 0)
        loaded.warnings << QStringLiteral("%1: %2 of %3 rows do not sum to 1 (shown as they are)")
                               .arg(path).arg(off).arg(sums.numel());
    return loaded;
}

} // namespace attnscope
