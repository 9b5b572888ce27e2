#include "core/capture/compact_capture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <torch/torch.h>

#include "core/attention/variant_spec.h"
#include "core/capture/attention_record.h"
#include "core/io/input_error.h"
#include "core/io/safetensors_file.h"

namespace attnscope {

namespace {

const QString kCaptureKey = QStringLiteral("capture");
const QString kSettingsKey = QStringLiteral("layer_settings");

std::string tensorName(int layer, const char *part)
{
    return "layers." + std::to_string(layer) + "." + part;
}

QJsonObject settingsOf(const AttentionInputs &inputs)
{
    return {{QStringLiteral("scale"), inputs.scale},
            {QStringLiteral("soft_cap"), inputs.softCap},
            {QStringLiteral("causal"), inputs.causal},
            {QStringLiteral("sliding_window"), qint64(inputs.slidingWindow)}};
}

std::vector<int> allIndices(int64_t count)
{
    std::vector<int> indices(size_t(count), 0);
    for (int64_t i = 0; i < count; ++i)
        indices[size_t(i)] = int(i);
    return indices;
}

} // namespace

void appendCompactCapture(const AttentionRecord &record, NamedTensors &tensors, QMap<QString, QString> &metadata)
{
    QJsonArray settings;
    for (int layer = 0; layer < record.layers(); ++layer) {
        const AttentionRecord::CompactLayer compact = record.compactLayer(layer);
        const AttentionInputs &inputs = compact.inputs;
        tensors.push_back({tensorName(layer, "q"), inputs.q.contiguous()});
        tensors.push_back({tensorName(layer, "k"), inputs.k.contiguous()});
        tensors.push_back({tensorName(layer, "row_max"), compact.rowMax.contiguous()});
        tensors.push_back({tensorName(layer, "row_sum"), compact.rowSum.contiguous()});
        if (inputs.keyMask.defined())
            tensors.push_back({tensorName(layer, "key_mask"), inputs.keyMask.to(torch::kBool).contiguous()});
        settings.append(settingsOf(inputs));
    }
    metadata.insert(kCaptureKey, QStringLiteral("compact"));
    metadata.insert(kSettingsKey, QString::fromUtf8(QJsonDocument(settings).toJson(QJsonDocument::Compact)));
}

bool isCompactCapture(const SafetensorsFile &file)
{
    return file.metadata().value(kCaptureKey) == QLatin1String("compact");
}

std::shared_ptr<AttentionRecord> readCompactCapture(const SafetensorsFile &file)
{
    const QJsonArray settings = QJsonDocument::fromJson(file.metadata().value(kSettingsKey).toUtf8()).array();
    if (settings.isEmpty())
        throw InputError(file.path(), QStringLiteral("is a compact capture without \"layer_settings\" metadata"));
    const auto floats = [&](int layer, const char *part, int64_t rank) {
        const std::string name = tensorName(layer, part);
        if (!file.contains(name))
            throw InputError(file.path(), QStringLiteral("compact capture has no tensor '%1'").arg(QString::fromStdString(name)));
        const torch::Tensor tensor = file.load(name);
        if (!tensor.is_floating_point() || tensor.dim() != rank)
            throw InputError(file.path(), QStringLiteral("compact capture tensor '%1' must be floats of rank %2")
                                              .arg(QString::fromStdString(name)).arg(rank));
        return tensor.to(torch::kFloat32);
    };
    std::vector<AttentionRecord::CompactLayer> layers;
    for (int layer = 0; layer < settings.size(); ++layer) {
        const QJsonObject setting = settings[layer].toObject();
        AttentionRecord::CompactLayer compact;
        AttentionInputs &inputs = compact.inputs;
        inputs.layer = layer;
        inputs.q = floats(layer, "q", 3);
        inputs.k = floats(layer, "k", 3);
        inputs.scale = setting.value(QStringLiteral("scale")).toDouble(1.0);
        inputs.softCap = setting.value(QStringLiteral("soft_cap")).toDouble(0.0);
        inputs.causal = setting.value(QStringLiteral("causal")).toBool();
        inputs.slidingWindow = setting.value(QStringLiteral("sliding_window")).toInteger();
        if (file.contains(tensorName(layer, "key_mask")))
            inputs.keyMask = file.load(tensorName(layer, "key_mask")).to(torch::kBool);
        compact.rowMax = floats(layer, "row_max", 2);
        compact.rowSum = floats(layer, "row_sum", 2);
        const AttentionInputs &first = layers.empty() ? inputs : layers.front().inputs;
        const bool consistent = inputs.q.size(2) == inputs.k.size(2) && inputs.kvHeads() > 0
            && inputs.heads() % inputs.kvHeads() == 0 && inputs.heads() == first.heads()
            && inputs.queries() == first.queries() && inputs.keys() == first.keys()
            && compact.rowMax.sizes() == torch::IntArrayRef({inputs.heads(), inputs.queries()})
            && compact.rowSum.sizes() == compact.rowMax.sizes()
            && (!inputs.keyMask.defined() || inputs.keyMask.sizes() == torch::IntArrayRef({inputs.keys()}));
        if (!consistent)
            throw InputError(file.path(), QStringLiteral("compact capture layer %1 has shapes that disagree").arg(layer));
        layers.push_back(compact);
    }
    QStringList specs;
    for (const QJsonValue &spec : QJsonDocument::fromJson(file.metadata().value(QStringLiteral("variants")).toUtf8()).array())
        specs << spec.toString();
    return AttentionRecord::fromCompactLayers(layers, parsePlan(specs));
}

torch::Tensor denseProbabilities(const AttentionRecord &record, const std::vector<int> &layers,
                                 const std::vector<int> &heads)
{
    std::vector<torch::Tensor> rows;
    for (const int layer : layers.empty() ? allIndices(record.layers()) : layers) {
        std::vector<torch::Tensor> perHead;
        for (const int head : heads.empty() ? allIndices(record.heads()) : heads)
            perHead.push_back(record.tile(layer, head, 0, record.queries(), 0, record.keys()));
        rows.push_back(torch::stack(perHead));
    }
    return torch::stack(rows);
}

} // namespace attnscope
