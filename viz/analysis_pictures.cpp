#include "viz/analysis_pictures.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <torch/torch.h>

#include "core/analysis/analysis.h"
#include "viz/figure/figure_request.h"

namespace attnscope {

namespace {

bool isIndexTensor(const std::string &name)
{
    return name == "word_of_token" || name == "input_ids" || name == "target_ids" || name == "corrupted_input_ids";
}

// The tensor each method shows first when it is not named after the method.
QString preferredTensor(const QString &method)
{
    static const QHash<QString, QString> preferred{
        {QStringLiteral("head-stats"), QStringLiteral("entropy")},
        {QStringLiteral("head-distances"), QStringLiteral("mds")},
        {QStringLiteral("words"), QStringLiteral("word_attention")},
        {QStringLiteral("sinks"), QStringLiteral("first_token")},
        {QStringLiteral("relevance"), QStringLiteral("relevance_of_output")},
        {QStringLiteral("graph-topology"), QStringLiteral("cycles")},
        {QStringLiteral("logit-lens"), QStringLiteral("top_ids")},
        {QStringLiteral("value-norms"), QStringLiteral("norms")},
        {QStringLiteral("direct-logit-attribution"), QStringLiteral("head_logit")},
        {QStringLiteral("activation-patching"), QStringLiteral("head_recovered")},
    };
    return preferred.value(method, method);
}

QString numberText(double value) { return QString::number(value, 'g', 4); }

// The residual stream's L + 1 entries: after the embedding, then after each layer.
QString streamLabel(int64_t index)
{
    return index == 0 ? QStringLiteral("embedding") : QStringLiteral("after L%1").arg(index - 1);
}

QString jsonText(const QJsonValue &value)
{
    if (value.isDouble())
        return numberText(value.toDouble());
    if (value.isArray()) {
        QStringList items;
        for (const QJsonValue &item : value.toArray())
            items << jsonText(item);
        return items.join(QStringLiteral(", "));
    }
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (object.contains(QStringLiteral("max_layer")) && object.contains(QStringLiteral("max_head")))
            return QStringLiteral("mean %1, max %2 (L%3 H%4)") // a per-head statistic
                .arg(numberText(object.value(QStringLiteral("mean")).toDouble()),
                     numberText(object.value(QStringLiteral("max")).toDouble()))
                .arg(object.value(QStringLiteral("max_layer")).toInt())
                .arg(object.value(QStringLiteral("max_head")).toInt());
        QStringList items;
        for (auto it = object.begin(); it != object.end(); ++it)
            items << QStringLiteral("%1 %2").arg(it.key(), jsonText(it.value()));
        return QStringLiteral("{%1}").arg(items.join(QStringLiteral(", ")));
    }
    return value.toVariant().toString();
}

} // namespace

PictureKind pictureKind(const std::string &name, const torch::Tensor &tensor, const RecordShape &shape)
{
    if (isIndexTensor(name) || !tensor.defined() || tensor.numel() == 0)
        return PictureKind::None;
    if (name == "mds" && tensor.dim() == 2 && tensor.size(1) == 2)
        return PictureKind::HeadMap;
    if (name == "pruning_curve" && tensor.dim() == 2 && tensor.size(1) >= 2)
        return PictureKind::PruningCurve;
    if (name == "top_ids" && tensor.dim() == 3)
        return PictureKind::TokenGrid;
    if (name == "head_logit" && tensor.dim() == 3 && tensor.size(0) == shape.layers && tensor.size(1) == shape.heads)
        return PictureKind::HeadScores; // per head and position: shown at one position
    if (tensor.dim() == 2 && tensor.size(0) == shape.layers && tensor.size(1) == shape.heads
        && !(name == "rollout" || name == "flow" || name == "flow_normalized" || name == "relevance" || name == "alti"))
        return PictureKind::HeadScores; // token × token results named as such, even when T = L and H
    if (tensor.dim() == 1)
        return PictureKind::Bars;
    if (tensor.dim() >= 2 && tensor.dim() <= 4)
        return PictureKind::Matrix;
    return PictureKind::None;
}

QStringList drawableTensors(const QString &method, const AnalysisResult &result, const RecordShape &shape)
{
    QStringList names;
    for (const auto &[name, tensor] : result.tensors)
        if (pictureKind(name, tensor, shape) != PictureKind::None)
            names << QString::fromStdString(name);
    const QString first = preferredTensor(method);
    if (names.removeOne(first))
        names.prepend(first);
    return names;
}

QString valueLabel(const QString &method, const QString &tensor)
{
    if (const QString label = figureScoreLabel(method, tensor); !label.isEmpty())
        return label;
    // Short: they title axes and colour scales.
    static const QHash<QString, QString> labels{
        {QStringLiteral("rollout"), QStringLiteral("rollout weight")},
        {QStringLiteral("rollout_by_layer"), QStringLiteral("rollout weight")},
        {QStringLiteral("flow"), QStringLiteral("attention flow")},
        {QStringLiteral("flow_normalized"), QStringLiteral("flow, share of the row")},
        {QStringLiteral("relevance"), QStringLiteral("relevance")},
        {QStringLiteral("relevance_of_output"), QStringLiteral("relevance")},
        {QStringLiteral("word_attention"), QStringLiteral("word attention")},
        {QStringLiteral("distances"), QStringLiteral("JS distance (bits)")},
        {QStringLiteral("received"), QStringLiteral("attention received")},
        {QStringLiteral("induction"), QStringLiteral("induction score")},
        {QStringLiteral("previous_token"), QStringLiteral("previous-token score")},
        {QStringLiteral("induction_over_uniform"), QStringLiteral("induction ÷ uniform")},
        {QStringLiteral("retrieval"), QStringLiteral("retrieval score")},
        {QStringLiteral("importance"), QStringLiteral("importance (normalized)")},
        {QStringLiteral("importance_raw"), QStringLiteral("|∂loss/∂gate|")},
        {QStringLiteral("edges"), QStringLiteral("graph edges")},
        {QStringLiteral("components"), QStringLiteral("graph components")},
        {QStringLiteral("cycles"), QStringLiteral("graph cycles")},
        {QStringLiteral("top_logprobs"), QStringLiteral("log-probability")},
        {QStringLiteral("next_token_logprob"), QStringLiteral("log-probability of the next token")},
        {QStringLiteral("next_token_rank"), QStringLiteral("rank of the next token")},
        {QStringLiteral("norms"), QStringLiteral("‖α f(x)‖")},
        {QStringLiteral("norms_summed"), QStringLiteral("‖Σ_h α f(x)‖")},
        {QStringLiteral("rank_correlation"), QStringLiteral("Spearman ρ (weights, norms)")},
        {QStringLiteral("alti"), QStringLiteral("contribution, rolled out")},
        {QStringLiteral("alti_by_layer"), QStringLiteral("contribution, rolled out")},
        {QStringLiteral("contributions"), QStringLiteral("contribution in the layer")},
        {QStringLiteral("head_logit"), QStringLiteral("direct logit")},
        {QStringLiteral("mlp_logit"), QStringLiteral("direct logit")},
        {QStringLiteral("head_recovered"), QStringLiteral("recovered fraction")},
        {QStringLiteral("residual_recovered"), QStringLiteral("recovered fraction")},
    };
    return labels.value(tensor, tensor);
}

QStringList entryLabels(int64_t size, const AnalysisResult &result, const QStringList &tokens, const RecordShape &shape)
{
    const QJsonArray words = result.summary.value(QStringLiteral("words")).toArray();
    QStringList labels;
    if (!words.isEmpty() && words.size() == size) {
        for (const QJsonValue &word : words)
            labels << word.toString();
    } else if (size == shape.tokens && tokens.size() == size) {
        labels = tokens;
    } else if (size == shape.layers + 1) {
        for (int64_t i = 0; i < size; ++i)
            labels << streamLabel(i);
    } else if (size == shape.layers * shape.heads && shape.heads > 0) {
        for (int64_t i = 0; i < size; ++i)
            labels << QStringLiteral("L%1 H%2").arg(i / shape.heads).arg(i % shape.heads);
    } else {
        for (int64_t i = 0; i < size; ++i)
            labels << QString::number(i);
    }
    return labels;
}

torch::Tensor matrixSlice(const torch::Tensor &tensor, int64_t first, int64_t second)
{
    torch::Tensor slice = tensor.to(torch::kFloat64);
    if (slice.dim() >= 3)
        slice = slice[first];
    if (slice.dim() == 3)
        slice = second < 0 ? slice.mean(0) : slice[second];
    return slice.contiguous();
}

int64_t sliceLayerOffset(const torch::Tensor &tensor, const RecordShape &shape)
{
    return tensor.dim() == 3 && tensor.size(0) <= shape.layers ? shape.layers - tensor.size(0) : 0;
}

std::vector<double> toVector(const torch::Tensor &values)
{
    const torch::Tensor flat = values.to(torch::kFloat64).contiguous().view(-1);
    return {flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel()};
}

std::vector<std::vector<double>> toHeadValues(const torch::Tensor &values)
{
    std::vector<std::vector<double>> table(size_t(values.size(0)));
    for (int64_t layer = 0; layer < values.size(0); ++layer)
        table[size_t(layer)] = toVector(values[layer]);
    return table;
}

TokenGrid logitLensGrid(const AnalysisResult &result)
{
    const torch::Tensor ids = result.tensors.at("top_ids").select(2, 0).contiguous();
    const torch::Tensor probabilities = result.tensors.at("top_logprobs").select(2, 0).exp().contiguous();
    const QJsonObject texts = result.summary.value(QStringLiteral("top_token_texts")).toObject();
    TokenGrid grid;
    for (int64_t row = 0; row < ids.size(0); ++row) {
        QStringList line;
        std::vector<double> values;
        for (int64_t column = 0; column < ids.size(1); ++column) {
            const QString id = QString::number(ids[row][column].item<int64_t>());
            line << texts.value(id).toString(id);
            values.push_back(probabilities[row][column].item<double>());
        }
        grid.texts.push_back(line);
        grid.probabilities.push_back(values);
        grid.rowLabels << streamLabel(row);
    }
    return grid;
}

TokenGrid logitLensCell(const AnalysisResult &result, int row, int column)
{
    const torch::Tensor ids = result.tensors.at("top_ids")[row][column];
    const torch::Tensor probabilities = result.tensors.at("top_logprobs")[row][column].exp();
    const QJsonObject texts = result.summary.value(QStringLiteral("top_token_texts")).toObject();
    TokenGrid cell{{{}}, {{}}, {}};
    for (int64_t i = 0; i < ids.size(0); ++i) {
        const QString id = QString::number(ids[i].item<int64_t>());
        cell.texts[0] << texts.value(id).toString(id);
        cell.probabilities[0].push_back(probabilities[i].item<double>());
    }
    return cell;
}

QString summaryText(const QJsonObject &summary)
{
    QStringList lines;
    for (auto it = summary.begin(); it != summary.end(); ++it)
        if (it.key() != QLatin1String("top_token_texts")) // the grid shows them
            lines << QStringLiteral("%1: %2").arg(it.key(), jsonText(it.value()));
    return lines.join(QLatin1Char('\n'));
}

} // namespace attnscope
