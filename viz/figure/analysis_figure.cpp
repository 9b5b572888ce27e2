// The analysis figure: one tensor of an analysis result, drawn as the Analyses tab draws it
// (viz/analysis_pictures.h decides which picture): per-head scores as a layers × heads table,
// token × token results as a matrix at a layer (and head), values per token as bars, the
// logit lens' grid, the heads' MDS map, the pruning curve. The result comes with the source:
// viz never runs a model, so the CLI and the GUI, which hold one, run the analysis.

#include <QJsonArray>
#include <torch/torch.h>

#include "core/analysis/analysis.h"
#include "core/analysis/analysis_registry.h"
#include "viz/analysis_pictures.h"
#include "viz/figure/bars_figure.h"
#include "viz/figure/curves_figure.h"
#include "viz/figure/head_map_figure.h"
#include "viz/figure/matrix_figure.h"
#include "viz/figure/token_grid_figure.h"
#include "viz/figure/view_figures.h"

namespace attnscope {

namespace {

constexpr int kMostBars = 64; // beyond this many entries the bars keep the strongest

struct Drawn {
    const FigureRequest &request;
    const FigureSource &source;
    const AnalysisResult &result;
    RecordShape shape;
    torch::Tensor tensor;
    QString label; // what the values are, unit included

    QString title(const QString &where) const
    {
        const QString what = label.left(1).toUpper() + label.mid(1);
        return QStringLiteral("%1 (%2)%3").arg(what, request.method, where.isEmpty() ? QString() : QStringLiteral(", ") + where);
    }
    QString tokenText(int64_t position) const
    {
        return QStringLiteral("position %1 “%2”").arg(position).arg(source.labels.value(int(position)));
    }
    // Signed values (logit shares, recovered fractions, differences) go on the diverging map.
    HeatmapStyle styleFor(const torch::Tensor &values) const
    {
        const bool signedValues = values.numel() > 0 && values.min().item<double>() < 0;
        return requestedStyle(request, signedValues ? QStringLiteral("rdbu") : QStringLiteral("viridis"));
    }
};

int64_t checkedIndex(int64_t value, int64_t fallback, int64_t begin, int64_t end, const QString &option)
{
    const int64_t index = value >= 0 ? value : fallback;
    if (index < begin || index >= end)
        throw FigureRequestError(QStringLiteral("--%1 %2 is outside %3 … %4").arg(option).arg(index).arg(begin).arg(end - 1));
    return index;
}

// What runs along an axis of `size` entries.
QString axisName(int64_t size, const Drawn &drawn, bool rows)
{
    if (drawn.result.summary.value(QStringLiteral("words")).toArray().size() == size)
        return QStringLiteral("word");
    if (size == drawn.shape.tokens) {
        if (drawn.request.method == QLatin1String("value-norms"))
            return rows ? QStringLiteral("query") : QStringLiteral("key");
        return drawn.tensor.dim() >= 2 && drawn.tensor.size(-1) == drawn.tensor.size(-2)
                   ? (rows ? QStringLiteral("output token") : QStringLiteral("input token"))
                   : QStringLiteral("position");
    }
    if (size == drawn.shape.layers + 1)
        return QStringLiteral("residual stream");
    if (size == drawn.shape.layers)
        return QStringLiteral("layer");
    return QStringLiteral("index");
}

std::unique_ptr<FigureContent> headScores(const Drawn &drawn)
{
    torch::Tensor values = drawn.tensor.to(torch::kFloat64);
    QString where;
    if (values.dim() == 3) { // per position (direct logit attribution): the last by default
        const int64_t position = checkedIndex(drawn.request.token, values.size(2) - 1, 0, values.size(2), QStringLiteral("token"));
        values = values.select(2, position);
        where = drawn.tokenText(position);
    }
    values = values.contiguous();
    return headTableFigure(values, drawn.title(where), drawn.label, drawn.styleFor(values));
}

std::unique_ptr<FigureContent> matrix(const Drawn &drawn)
{
    const torch::Tensor &tensor = drawn.tensor;
    QString where;
    int64_t first = 0, second = -1;
    if (tensor.dim() >= 3) { // the last layer by default, as the Analyses tab opens it
        const int64_t offset = sliceLayerOffset(tensor, drawn.shape);
        const int64_t layer = checkedIndex(drawn.request.layer, offset + tensor.size(0) - 1, offset, offset + tensor.size(0),
                                           QStringLiteral("layer"));
        first = layer - (tensor.dim() == 3 ? offset : 0);
        where = QStringLiteral("layer %1").arg(layer);
    }
    if (tensor.dim() == 4) {
        second = drawn.request.head >= 0 ? checkedIndex(drawn.request.head, 0, 0, tensor.size(1), QStringLiteral("head")) : -1;
        where += second >= 0 ? QStringLiteral(", head %1").arg(second) : QStringLiteral(", mean of the heads");
    }
    const torch::Tensor slice = matrixSlice(tensor, first, second);
    MatrixFigureData data;
    data.source = denseTileSource(slice);
    data.rows = slice.size(0);
    data.cols = slice.size(1);
    data.rowLabels = entryLabels(data.rows, drawn.result, drawn.source.labels, drawn.shape);
    data.columnLabels = entryLabels(data.cols, drawn.result, drawn.source.labels, drawn.shape);
    data.rowAxis = axisName(data.rows, drawn, true);
    data.columnAxis = axisName(data.cols, drawn, false);
    // A decoder's token × token results are zero above the diagonal: masked, as in the tab.
    if (drawn.source.causal && data.rows == data.cols && data.rows == drawn.shape.tokens && data.rowLabels == drawn.source.labels)
        data.mask = CellMask::causal(data.rows, data.cols);
    data.style = drawn.styleFor(slice);
    data.title = drawn.title(where);
    data.colorbarLabel = drawn.label;
    data.pooling = Pooling::Mean;
    fitRangeToCells(data);
    return std::make_unique<MatrixFigure>(std::move(data));
}

std::unique_ptr<FigureContent> bars(const Drawn &drawn)
{
    BarsFigureData data;
    const std::vector<double> values = toVector(drawn.tensor);
    data.bars = strongestBars(values, kMostBars);
    data.labels = entryLabels(int64_t(values.size()), drawn.result, drawn.source.labels, drawn.shape);
    data.entryAxis = axisName(int64_t(values.size()), drawn, false);
    if (int(values.size()) > kMostBars)
        data.entryAxis += QStringLiteral(" (the %1 largest of %2)").arg(kMostBars).arg(values.size());
    data.valueAxis = drawn.label;
    data.title = drawn.title({});
    return std::make_unique<BarsFigure>(std::move(data));
}

std::unique_ptr<FigureContent> tokenGrid(const Drawn &drawn)
{
    const TokenGrid grid = logitLensGrid(drawn.result);
    TokenGridFigureData data;
    data.texts = grid.texts;
    data.probabilities = grid.probabilities;
    data.rowLabels = grid.rowLabels;
    data.columnLabels = entryLabels(int64_t(grid.texts.empty() ? 0 : grid.texts.front().size()), drawn.result,
                                    drawn.source.labels, drawn.shape);
    data.title = drawn.source.causal ? QStringLiteral("Top next token after each layer (logit-lens)")
                                     : QStringLiteral("Top token after each layer (logit-lens)");
    return std::make_unique<TokenGridFigure>(std::move(data));
}

std::unique_ptr<FigureContent> headMap(const Drawn &drawn)
{
    const torch::Tensor points = drawn.tensor.to(torch::kFloat64).contiguous();
    HeadMapFigureData data;
    for (int64_t i = 0; i < points.size(0); ++i)
        data.points.emplace_back(points[i][0].item<double>(), points[i][1].item<double>());
    data.heads = int(std::max<int64_t>(1, drawn.shape.heads));
    data.title = QStringLiteral("Heads by attention distance (%1, MDS)").arg(drawn.request.method);
    data.axisUnit = valueLabel(drawn.request.method, QStringLiteral("distances"));
    return std::make_unique<HeadMapFigure>(std::move(data));
}

std::unique_ptr<FigureContent> pruningCurve(const Drawn &drawn)
{
    const torch::Tensor rows = drawn.tensor.to(torch::kFloat64).contiguous();
    CurvesFigureData data;
    data.xLabel = QStringLiteral("heads masked, least important first");
    data.curves = {{QStringLiteral("loss (nats)"), {}}, {QStringLiteral("agreement with the unmasked model"), {}}};
    for (int64_t i = 0; i < rows.size(0); ++i) {
        data.x.push_back(rows[i][0].item<double>());
        data.curves[0].values.push_back(rows[i][1].item<double>());
        if (rows.size(1) > 2)
            data.curves[1].values.push_back(rows[i][2].item<double>());
    }
    if (rows.size(1) <= 2)
        data.curves.pop_back();
    data.title = QStringLiteral("Pruning the least important heads (%1, Michel et al. 2019)").arg(drawn.request.method);
    return std::make_unique<CurvesFigure>(std::move(data));
}

} // namespace

std::unique_ptr<FigureContent> analysisFigure(const FigureRequest &request, const FigureSource &source)
{
    if (!findAnalysis(request.method))
        throw FigureRequestError(QStringLiteral("--view analysis needs --method NAME, one of: %1")
                                     .arg(analysisNames().join(QStringLiteral(", "))));
    if (!source.analysis)
        throw FigureRequestError(QStringLiteral("there is no %1 result to draw yet").arg(request.method));
    const AttentionRecord &record = *source.record;
    const RecordShape shape{record.layers(), record.heads(), record.queries()};
    const QStringList drawable = drawableTensors(request.method, *source.analysis, shape);
    if (drawable.isEmpty())
        throw FigureRequestError(QStringLiteral("the %1 result has nothing to draw").arg(request.method));
    const QString name = request.tensor.isEmpty() ? drawable.first() : request.tensor;
    if (!drawable.contains(name))
        throw FigureRequestError(QStringLiteral("--tensor '%1' is not one of the %2 result's pictures: %3")
                                     .arg(name, request.method, drawable.join(QStringLiteral(", "))));
    const torch::Tensor &tensor = source.analysis->tensors.at(name.toStdString());
    const Drawn drawn{request, source, *source.analysis, shape, tensor, valueLabel(request.method, name)};
    switch (pictureKind(name.toStdString(), tensor, shape)) {
    case PictureKind::HeadScores: return headScores(drawn);
    case PictureKind::Matrix: return matrix(drawn);
    case PictureKind::Bars: return bars(drawn);
    case PictureKind::TokenGrid: return tokenGrid(drawn);
    case PictureKind::HeadMap: return headMap(drawn);
    case PictureKind::PruningCurve: return pruningCurve(drawn);
    case PictureKind::None: break;
    }
    throw FigureRequestError(QStringLiteral("the %1 result's %2 has no picture").arg(request.method, name));
}

} // namespace attnscope
