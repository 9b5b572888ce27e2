// The charts figure: one per-head score of an analysis that needs only the attention (head
// statistics, sinks) as a layers × heads table, or as its mean per layer with every head's
// value beside it.

#include <algorithm>
#include <cmath>

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <torch/torch.h>

#include "core/analysis/analysis_registry.h"
#include "viz/figure/axis_ticks.h"
#include "viz/figure/value_axis.h"
#include "viz/figure/matrix_figure.h"
#include "viz/figure/view_figures.h"

namespace attnscope {

namespace {

struct ScoreSource {
    const char *score;
    const char *method;
    const char *tensor;
    const char *label;
};

const std::vector<ScoreSource> &scoreSources()
{
    static const std::vector<ScoreSource> sources{
        {"entropy", "head-stats", "entropy", "mean row entropy (bits)"},
        {"cls-entropy", "head-stats", "cls_entropy", "entropy of the first row (bits)"},
        {"to-cls", "head-stats", "to_cls", "attention to CLS"},
        {"to-separator", "head-stats", "to_separator", "attention to SEP/EOS"},
        {"to-punctuation", "head-stats", "to_punctuation", "attention to punctuation"},
        {"self", "head-stats", "self", "attention to the token itself"},
        {"previous", "head-stats", "previous", "attention to the previous token"},
        {"next", "head-stats", "next", "attention to the next token"},
        {"distance", "head-stats", "distance", "mean attention distance (tokens)"},
        {"sink", "sinks", "first_token", "attention to the first token"},
    };
    return sources;
}

const ScoreSource &scoreSourceNamed(const QString &name)
{
    QStringList names;
    for (const ScoreSource &source : scoreSources()) {
        if (name == QLatin1String(source.score))
            return source;
        names << QLatin1String(source.score);
    }
    throw FigureRequestError(QStringLiteral("--score '%1' is not one of: %2").arg(name, names.join(QStringLiteral(", "))));
}

// [L, H] float64.
torch::Tensor perHeadScore(const ScoreSource &score, const FigureSource &source)
{
    const Analysis *analysis = findAnalysis(QLatin1String(score.method));
    AnalysisContext context;
    context.record = source.record;
    const AnalysisResult result = analysis->run(context, AnalysisOptions(analysis->name(), analysis->options(), {}));
    return result.tensors.at(score.tensor).to(torch::kFloat64).contiguous();
}

// The score's mean per layer as a line, each head's value as a dot at its layer.
class LayerLineChart : public FigureContent {
public:
    LayerLineChart(torch::Tensor values, QString title, QString label)
        : m_values(std::move(values)), m_title(std::move(title)), m_label(std::move(label))
    {
    }
    QString title() const override { return m_title; }

    void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const override
    {
        const QFontMetricsF metrics(canvas.font);
        const int64_t layers = m_values.size(0);
        const ValueAxis axis(std::min(0.0, m_values.min().item<double>()), m_values.max().item<double>(), 5, metrics);
        const double line = metrics.height();
        const QRectF plot(area.left() + line + axis.labelWidth() + 6, area.top() + line / 2,
                          area.width() - line - axis.labelWidth() - 6 - line / 2, area.height() - 2.5 * line - 4);
        const auto xOf = [&](double layer) {
            return plot.left() + (layers > 1 ? layer / double(layers - 1) : 0.5) * plot.width();
        };
        const auto yOf = [&](double value) { return axis.y(plot, value); };

        painter.save();
        painter.setFont(canvas.font);
        axis.drawGrid(painter, plot);
        axis.drawAxes(painter, plot);
        const int64_t layerStep = roundTickStep(2.0 * line / std::max(1e-9, plot.width() / double(std::max<int64_t>(1, layers - 1))));
        for (int64_t layer = 0; layer < layers; layer += layerStep)
            painter.drawText(QRectF(xOf(double(layer)) - 20, plot.bottom() + 2, 40, line), Qt::AlignHCenter | Qt::AlignTop,
                             QString::number(layer));
        painter.drawText(QRectF(plot.left(), plot.bottom() + line + 2, plot.width(), line), Qt::AlignCenter,
                         QStringLiteral("layer"));
        axis.drawTitle(painter, area, plot, m_label);

        const double *value = m_values.data_ptr<double>();
        const int64_t heads = m_values.size(1);
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(31, 87, 163, 90));
        for (int64_t layer = 0; layer < layers; ++layer)
            for (int64_t head = 0; head < heads; ++head)
                painter.drawEllipse(QPointF(xOf(double(layer)), yOf(value[layer * heads + head])), 1.2, 1.2);
        QPainterPath mean;
        for (int64_t layer = 0; layer < layers; ++layer) {
            const QPointF point(xOf(double(layer)), yOf(m_values[layer].mean().item<double>()));
            layer == 0 ? mean.moveTo(point) : mean.lineTo(point);
        }
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(QColor(31, 87, 163), 1.2));
        painter.drawPath(mean);
        painter.restore();
    }

private:
    torch::Tensor m_values; // [L, H]
    QString m_title;
    QString m_label;
};

} // namespace

QString figureScoreFor(const QString &method, const QString &tensor)
{
    for (const ScoreSource &source : scoreSources())
        if (method == QLatin1String(source.method) && tensor == QLatin1String(source.tensor))
            return QLatin1String(source.score);
    return {};
}

QString figureScoreLabel(const QString &method, const QString &tensor)
{
    for (const ScoreSource &source : scoreSources())
        if (method == QLatin1String(source.method) && tensor == QLatin1String(source.tensor))
            return QLatin1String(source.label);
    return {};
}

std::unique_ptr<FigureContent> chartFigure(const FigureRequest &request, const FigureSource &source)
{
    const ScoreSource &score = scoreSourceNamed(request.score.isEmpty() ? QStringLiteral("entropy") : request.score);
    const torch::Tensor values = perHeadScore(score, source);
    const QString label = QLatin1String(score.label);
    if (request.chart == QLatin1String("layers"))
        return std::make_unique<LayerLineChart>(values, QStringLiteral("%1 per layer").arg(label), label);
    return headTableFigure(values, label.left(1).toUpper() + label.mid(1), label, requestedStyle(request, QStringLiteral("viridis")));
}

std::unique_ptr<FigureContent> headTableFigure(const torch::Tensor &values, const QString &title, const QString &label,
                                               const HeatmapStyle &style)
{
    MatrixFigureData data;
    data.source = denseTileSource(values);
    data.rows = values.size(0);
    data.cols = values.size(1);
    for (int64_t layer = 0; layer < data.rows; ++layer)
        data.rowLabels << QStringLiteral("L%1").arg(layer);
    for (int64_t head = 0; head < data.cols; ++head)
        data.columnLabels << QStringLiteral("H%1").arg(head);
    data.rowAxis = QStringLiteral("layer");
    data.columnAxis = QStringLiteral("head");
    data.style = style;
    data.title = title;
    data.colorbarLabel = label;
    data.pooling = Pooling::Mean;
    fitRangeToCells(data);
    return std::make_unique<MatrixFigure>(std::move(data));
}

} // namespace attnscope
