#include "ui/corpus/corpus_figures.h"

#include <algorithm>
#include <cmath>

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <torch/types.h>

#include "viz/figure/axis_ticks.h"
#include "viz/figure/value_axis.h"

namespace attnscope {

namespace {

const QColor kInk(31, 87, 163);
const QColor kBand(31, 87, 163, 55);
const QColor kMeanInk(178, 24, 43);

MatrixFigureData tableData(const CorpusScoreSummary &score, const QString &title, const QString &label)
{
    const int64_t layers = score.shape.at(0), heads = score.shape.at(1);
    std::vector<double> means;
    for (const CorpusEntryStats &entry : score.entries)
        means.push_back(entry.mean);
    MatrixFigureData data;
    data.source = denseTileSource(torch::tensor(means, torch::kFloat64).view({layers, heads}));
    data.rows = layers;
    data.cols = heads;
    for (int64_t layer = 0; layer < layers; ++layer)
        data.rowLabels << QStringLiteral("L%1").arg(layer);
    for (int64_t head = 0; head < heads; ++head)
        data.columnLabels << QStringLiteral("H%1").arg(head);
    data.rowAxis = QStringLiteral("layer");
    data.columnAxis = QStringLiteral("head");
    data.style = corpusTableStyle(score);
    data.title = title;
    data.colorbarLabel = label;
    data.pooling = Pooling::Mean;
    return data;
}

// The x axis under `frame.plot`: round ticks over [xLow, xHigh] and the axis title.
void drawXAxis(QPainter &painter, const PlotFrame &frame, const QFontMetricsF &metrics, const QString &title)
{
    ValueScale scale;
    scale.range = {frame.xLow, frame.xHigh};
    const int wanted = std::max(2, int(frame.plot.width() / (6 * metrics.averageCharWidth() + 12)));
    const std::vector<double> ticks = scaleTicks(scale, std::min(wanted, 8));
    const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : frame.xHigh - frame.xLow;
    const double line = metrics.height();
    for (const double tick : ticks) {
        const double x = frame.x(tick);
        painter.drawLine(QPointF(x, frame.plot.bottom()), QPointF(x, frame.plot.bottom() + 3));
        painter.drawText(QRectF(x - 40, frame.plot.bottom() + 3, 80, line), Qt::AlignHCenter | Qt::AlignTop, tickLabel(tick, step));
    }
    painter.drawText(QRectF(frame.plot.left(), frame.plot.bottom() + line + 4, frame.plot.width(), line), Qt::AlignCenter,
                     metrics.elidedText(title, Qt::ElideRight, frame.plot.width()));
}

// The plot inside `area`, leaving room for the value axis (labels `labelWidth` wide), the x
// axis below and a legend line above.
QRectF plotIn(const QRectF &area, const QFontMetricsF &metrics, double labelWidth, bool legend)
{
    const double line = metrics.height();
    const double left = line + labelWidth + 8, top = legend ? line * 1.6 : line / 2;
    return QRectF(area.left() + left, area.top() + top, std::max(1.0, area.width() - left - line),
                  std::max(1.0, area.height() - top - 2.6 * line - 4));
}

// The count axis in examples, thousands or millions, so that its labels stay plain numbers.
double countUnit(const CorpusHistogram &histogram)
{
    const double most = double(*std::max_element(histogram.counts.begin(), histogram.counts.end()));
    return most >= 1e7 ? 1e6 : most >= 1e4 ? 1e3 : 1;
}

ValueAxis countAxis(const CorpusHistogram &histogram, const QFontMetricsF &metrics)
{
    const double most = double(*std::max_element(histogram.counts.begin(), histogram.counts.end())) / countUnit(histogram);
    return ValueAxis(0, std::max(1.0, most), int(std::clamp(most, 1.0, 5.0)), metrics);
}

} // namespace

HeatmapStyle corpusTableStyle(const CorpusScoreSummary &score)
{
    double low = 0, high = 0;
    for (const CorpusEntryStats &entry : score.entries)
        if (std::isfinite(entry.mean)) {
            low = std::min(low, entry.mean);
            high = std::max(high, entry.mean);
        }
    HeatmapStyle style;
    style.colormap = Colormap::byName(QStringLiteral("viridis"));
    style.scale.range = {low, high > low ? high : low + 1};
    return style;
}

int intervalDecimals(const CorpusScoreSummary &score)
{
    std::vector<double> widths;
    double largest = 0;
    for (const CorpusEntryStats &entry : score.entries) {
        if (std::isfinite(entry.high - entry.low) && entry.high > entry.low)
            widths.push_back(entry.high - entry.low);
        if (std::isfinite(entry.mean))
            largest = std::max(largest, std::abs(entry.mean));
    }
    if (widths.empty()) // one example, or constant values: three significant digits
        return largest > 0 ? std::clamp(2 - int(std::floor(std::log10(largest))), 0, 4) : 2;
    std::nth_element(widths.begin(), widths.begin() + long(widths.size() / 2), widths.end());
    return std::clamp(-int(std::floor(std::log10(widths[widths.size() / 2] / 4))), 1, 4);
}

QColor textColorOn(QRgb background)
{
    return 0.299 * qRed(background) + 0.587 * qGreen(background) + 0.114 * qBlue(background) > 140 ? Qt::black : Qt::white;
}

QString intervalText(const CorpusEntryStats &entry, int decimals)
{
    if (!std::isfinite(entry.mean))
        return QStringLiteral("–");
    const auto number = [decimals](double value) {
        return std::isfinite(value) ? QString::number(value, 'f', decimals) : QStringLiteral("?");
    };
    return QStringLiteral("%1 [%2, %3]").arg(number(entry.mean), number(entry.low), number(entry.high));
}

CorpusTableFigure::CorpusTableFigure(const CorpusScoreSummary &score, const QString &title, const QString &label, double level)
    : m_score(score), m_title(title), m_level(level), m_matrix(tableData(score, title, label))
{
}

QRectF CorpusTableFigure::matrixArea(const QRectF &area, const FigureCanvas &canvas) const
{
    return area.adjusted(0, 0, 0, -1.5 * QFontMetricsF(canvas.font).height());
}

std::optional<QRectF> CorpusTableFigure::plotRect(const QRectF &area, const FigureCanvas &canvas) const
{
    return m_matrix.matrixRect(matrixArea(area, canvas), canvas);
}

void CorpusTableFigure::paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const
{
    m_matrix.paint(painter, matrixArea(area, canvas), canvas);
    // Each cell's mean, with its interval on a second line where the cell is wide enough.
    const QRectF cells = m_matrix.matrixRect(matrixArea(area, canvas), canvas);
    const int64_t heads = m_score.shape[1];
    const double side = cells.width() / double(heads);
    QFont font = canvas.font;
    const QFontMetricsF metrics(font);
    const int decimals = intervalDecimals(m_score);
    const HeatmapStyle style = corpusTableStyle(m_score);
    painter.save();
    painter.setFont(font);
    for (size_t k = 0; k < m_score.entries.size(); ++k) {
        const CorpusEntryStats &entry = m_score.entries[k];
        const QRectF cell(cells.left() + double(int64_t(k) % heads) * side, cells.top() + double(int64_t(k) / heads) * side, side, side);
        const QString text = intervalText(entry, decimals);
        const QString mean = text.section(QLatin1Char(' '), 0, 0), interval = text.section(QLatin1Char(' '), 1);
        const bool both = metrics.horizontalAdvance(interval) < side - 2 && 2 * metrics.height() < side;
        if (metrics.horizontalAdvance(mean) > side - 2 || metrics.height() > side)
            continue;
        painter.setPen(textColorOn(style.colorOf(entry.mean)));
        painter.drawText(cell, Qt::AlignCenter, both ? mean + QLatin1Char('\n') + interval : mean);
    }
    painter.setPen(Qt::black);
    painter.drawText(QRectF(cells.left(), cells.bottom(), cells.width(), area.bottom() - cells.bottom()), Qt::AlignCenter,
                     QStringLiteral("colour and number: mean · [ ]: its %1% interval").arg(std::lround(m_level * 100)));
    painter.restore();
}

CorpusBandFigure::CorpusBandFigure(const CorpusScoreSummary &score, const QString &title, const QString &label, double level,
                                   int selected)
    : m_score(score), m_title(title), m_label(label), m_level(level), m_selected(selected)
{
    bool any = false;
    for (const CorpusEntryStats &entry : m_score.entries)
        for (const double value : {entry.mean, entry.low, entry.high})
            if (std::isfinite(value)) {
                m_low = any ? std::min(m_low, value) : value;
                m_high = any ? std::max(m_high, value) : value;
                any = true;
            }
    m_low = std::min(0.0, m_low);
}

PlotFrame CorpusBandFigure::frame(const QRectF &area, const FigureCanvas &canvas) const
{
    const QFontMetricsF metrics(canvas.font);
    const ValueAxis axis(m_low, m_high, 5, metrics);
    return {plotIn(area, metrics, axis.labelWidth(), true), -0.5, double(m_score.entries.size()) - 0.5};
}

void CorpusBandFigure::paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const
{
    const QFontMetricsF metrics(canvas.font);
    const ValueAxis axis(m_low, m_high, 5, metrics);
    const PlotFrame at = frame(area, canvas);
    const int count = int(m_score.entries.size());
    painter.save();
    painter.setFont(canvas.font);
    axis.drawGrid(painter, at.plot);
    axis.drawAxes(painter, at.plot);
    axis.drawTitle(painter, area, at.plot, m_label);
    const double line = metrics.height();
    const int step = int(roundTickStep(3 * metrics.averageCharWidth() * 2 / std::max(1.0, at.plot.width() / count)));
    for (int k = 0; k < count; k += step) {
        const QString name = k == 0 ? QStringLiteral("emb") : QStringLiteral("L%1").arg(k - 1);
        painter.drawText(QRectF(at.x(k) - 30, at.plot.bottom() + 3, 60, line), Qt::AlignHCenter | Qt::AlignTop, name);
    }
    painter.drawText(QRectF(at.plot.left(), at.plot.bottom() + line + 4, at.plot.width(), line), Qt::AlignCenter,
                     QStringLiteral("residual stream (embedding, after each layer)"));

    QPainterPath band, mean;
    std::vector<QPointF> lower;
    for (int k = 0; k < count; ++k) {
        const CorpusEntryStats &entry = m_score.entries[size_t(k)];
        if (!std::isfinite(entry.mean))
            continue;
        const QPointF upper(at.x(k), axis.y(at.plot, std::isfinite(entry.high) ? entry.high : entry.mean));
        band.elementCount() == 0 ? band.moveTo(upper) : band.lineTo(upper);
        lower.emplace_back(at.x(k), axis.y(at.plot, std::isfinite(entry.low) ? entry.low : entry.mean));
        const QPointF point(at.x(k), axis.y(at.plot, entry.mean));
        mean.elementCount() == 0 ? mean.moveTo(point) : mean.lineTo(point);
    }
    for (auto point = lower.rbegin(); point != lower.rend(); ++point)
        band.lineTo(*point);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(kBand);
    painter.drawPath(band);
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(kInk, 1.4));
    painter.drawPath(mean);
    painter.setBrush(kInk);
    for (int k = 0; k < count; ++k)
        if (std::isfinite(m_score.entries[size_t(k)].mean)) {
            const QPointF point(at.x(k), axis.y(at.plot, m_score.entries[size_t(k)].mean));
            painter.drawEllipse(point, 2.2, 2.2);
            if (k == m_selected) {
                painter.setBrush(Qt::NoBrush);
                painter.setPen(QPen(kMeanInk, 1.4));
                painter.drawEllipse(point, 5, 5);
                painter.setPen(QPen(kInk, 1.4));
                painter.setBrush(kInk);
            }
        }
    painter.setPen(Qt::black);
    painter.drawText(QRectF(at.plot.left(), area.top(), at.plot.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
                     QStringLiteral("line: mean over the examples · band: its %1% interval").arg(std::lround(m_level * 100)));
    painter.restore();
}

int CorpusBandFigure::entryAt(const QRectF &area, const FigureCanvas &canvas, const QPointF &point) const
{
    const PlotFrame at = frame(area, canvas);
    if (!at.plot.adjusted(-8, -8, 8, 8).contains(point))
        return -1;
    return std::clamp(int(std::lround(at.valueAt(point.x()))), 0, int(m_score.entries.size()) - 1);
}

CorpusHistogramFigure::CorpusHistogramFigure(CorpusHistogram histogram, const CorpusEntryStats &entry, double level,
                                             const QString &title, const QString &label)
    : m_histogram(std::move(histogram)), m_entry(entry), m_level(level), m_title(title), m_label(label)
{
}

PlotFrame CorpusHistogramFigure::frame(const QRectF &area, const FigureCanvas &canvas) const
{
    const QFontMetricsF metrics(canvas.font);
    const ValueAxis axis = countAxis(m_histogram, metrics);
    return {plotIn(area, metrics, axis.labelWidth(), true), m_histogram.low, m_histogram.high};
}

void CorpusHistogramFigure::paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const
{
    const QFontMetricsF metrics(canvas.font);
    const ValueAxis axis = countAxis(m_histogram, metrics);
    const PlotFrame at = frame(area, canvas);
    painter.save();
    painter.setFont(canvas.font);
    axis.drawGrid(painter, at.plot);
    // The mean's interval as a band behind the bars, the mean as a line over them.
    if (std::isfinite(m_entry.low) && std::isfinite(m_entry.high)) {
        const double left = std::clamp(at.x(m_entry.low), at.plot.left(), at.plot.right());
        const double right = std::clamp(at.x(m_entry.high), at.plot.left(), at.plot.right());
        painter.fillRect(QRectF(left, at.plot.top(), std::max(1.0, right - left), at.plot.height()), QColor(178, 24, 43, 45));
    }
    const double width = (m_histogram.high - m_histogram.low) / double(m_histogram.counts.size());
    for (size_t bin = 0; bin < m_histogram.counts.size(); ++bin) {
        const double x0 = at.x(m_histogram.low + double(bin) * width), x1 = at.x(m_histogram.low + double(bin + 1) * width);
        const double top = axis.y(at.plot, double(m_histogram.counts[bin]) / countUnit(m_histogram));
        painter.fillRect(QRectF(x0, top, std::max(0.5, x1 - x0 - 0.6), at.plot.bottom() - top), QColor(120, 144, 180));
    }
    if (std::isfinite(m_entry.mean)) {
        painter.setPen(QPen(kMeanInk, 1.4, Qt::DashLine));
        painter.drawLine(QPointF(at.x(m_entry.mean), at.plot.top()), QPointF(at.x(m_entry.mean), at.plot.bottom()));
    }
    painter.setPen(Qt::black);
    axis.drawAxes(painter, at.plot);
    const double unit = countUnit(m_histogram);
    axis.drawTitle(painter, area, at.plot, unit == 1 ? QStringLiteral("examples")
                                           : unit == 1000 ? QStringLiteral("thousands of examples") : QStringLiteral("millions of examples"));
    drawXAxis(painter, at, metrics, m_label);
    QString legend = QStringLiteral("dashed: mean · shaded: its %1% interval").arg(std::lround(m_level * 100));
    if (m_histogram.undefined > 0)
        legend += QStringLiteral(" · undefined in %1 examples").arg(m_histogram.undefined);
    painter.drawText(QRectF(at.plot.left(), area.top(), at.plot.width(), metrics.height()), Qt::AlignLeft | Qt::AlignVCenter,
                     metrics.elidedText(legend, Qt::ElideRight, at.plot.width()));
    painter.restore();
}

int CorpusHistogramFigure::binAt(const QRectF &area, const FigureCanvas &canvas, const QPointF &point) const
{
    const PlotFrame at = frame(area, canvas);
    if (!at.plot.contains(point))
        return -1;
    return m_histogram.binOf(at.valueAt(point.x()));
}

} // namespace attnscope
