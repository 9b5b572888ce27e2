#include "viz/figure/head_map_figure.h"

#include <algorithm>
#include <cmath>

#include <QFontMetricsF>
#include <QPainter>

#include "viz/colormap.h"
#include "viz/figure/axis_ticks.h"
#include "viz/figure/figure_page.h"

namespace attnscope {

namespace {

constexpr int kMostNamedPoints = 96; // more names than this overlap into a grey cloud
constexpr double kMargin = 0.06;     // of the larger span, around the points

QString colormapName() { return QStringLiteral("viridis"); }

} // namespace

struct HeadMapFigure::Frame {
    QRectF plot;        // square in data units: equal aspect
    double left = 0, bottom = 0, span = 1; // the data shown: [left, left + span] × [bottom, bottom + span]
    QPointF at(const QPointF &point) const
    {
        return {plot.left() + (point.x() - left) / span * plot.width(), plot.bottom() - (point.y() - bottom) / span * plot.height()};
    }
};

int HeadMapFigure::layers() const
{
    return std::max<int>(1, int((m_data.points.size() + size_t(m_data.heads) - 1) / size_t(std::max(1, m_data.heads))));
}

std::optional<FigureColorbar> HeadMapFigure::colorbar() const
{
    HeatmapStyle style;
    style.colormap = Colormap::byName(colormapName());
    style.scale.range = {0, double(std::max(1, layers() - 1))};
    return FigureColorbar{style, QStringLiteral("layer")};
}

HeadMapFigure::Frame HeadMapFigure::frameIn(const QRectF &area, const FigureCanvas &canvas) const
{
    const QFontMetricsF metrics(canvas.font);
    const double line = metrics.height();
    double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
    for (size_t i = 0; i < m_data.points.size(); ++i) {
        const QPointF &p = m_data.points[i];
        x0 = i ? std::min(x0, p.x()) : p.x();
        x1 = i ? std::max(x1, p.x()) : p.x();
        y0 = i ? std::min(y0, p.y()) : p.y();
        y1 = i ? std::max(y1, p.y()) : p.y();
    }
    Frame frame;
    frame.span = std::max({x1 - x0, y1 - y0, 1e-9}) * (1 + 2 * kMargin);
    frame.left = (x0 + x1) / 2 - frame.span / 2;
    frame.bottom = (y0 + y1) / 2 - frame.span / 2;
    const double labelWidth = metrics.horizontalAdvance(QStringLiteral("−0.00")) + 4;
    const QRectF room(area.left() + line + labelWidth + 4, area.top() + line / 2,
                      area.width() - line - labelWidth - 4 - line / 2, area.height() - line / 2 - 2 * line - 4);
    const double side = std::max(1.0, std::min(room.width(), room.height()));
    frame.plot = QRectF(room.left() + (room.width() - side) / 2, room.top(), side, side);
    return frame;
}

std::optional<QRectF> HeadMapFigure::plotRect(const QRectF &area, const FigureCanvas &canvas) const
{
    return frameIn(area, canvas).plot;
}

void HeadMapFigure::paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const
{
    const Frame frame = frameIn(area, canvas);
    const QFontMetricsF metrics(canvas.font);
    const double line = metrics.height();
    const Colormap colours = Colormap::byName(colormapName());
    ValueScale scale;
    painter.save();
    painter.setFont(canvas.font);
    painter.setPen(QPen(Qt::black, 0.6));
    painter.drawRect(frame.plot);
    // The same round ticks along both axes: one span, equal scale.
    scale.range = {frame.left, frame.left + frame.span};
    const std::vector<double> xTicks = scaleTicks(scale, 5);
    scale.range = {frame.bottom, frame.bottom + frame.span};
    const std::vector<double> yTicks = scaleTicks(scale, 5);
    const double step = xTicks.size() > 1 ? xTicks[1] - xTicks[0] : frame.span;
    for (const double x : xTicks) {
        const double px = frame.at({x, frame.bottom}).x();
        painter.drawLine(QPointF(px, frame.plot.bottom()), QPointF(px, frame.plot.bottom() + 3));
        painter.drawText(QRectF(px - 30, frame.plot.bottom() + 3, 60, line), Qt::AlignHCenter | Qt::AlignTop, tickLabel(x, step));
    }
    for (const double y : yTicks) {
        const double py = frame.at({frame.left, y}).y();
        painter.drawLine(QPointF(frame.plot.left() - 3, py), QPointF(frame.plot.left(), py));
        painter.drawText(QRectF(frame.plot.left() - 64, py - line / 2, 60, line), Qt::AlignRight | Qt::AlignVCenter, tickLabel(y, step));
    }
    const QString unit = m_data.axisUnit.isEmpty() ? QString() : QStringLiteral(", %1").arg(m_data.axisUnit);
    painter.drawText(QRectF(frame.plot.left(), frame.plot.bottom() + line + 4, frame.plot.width(), line), Qt::AlignCenter,
                     QStringLiteral("MDS dimension 1%1").arg(unit));
    painter.save(); // the axis title beside the tick labels, wherever the square plot sits
    painter.translate(std::max(area.left(), frame.plot.left() - 4 - metrics.horizontalAdvance(QStringLiteral("−0.00")) - line) + metrics.ascent(),
                      frame.plot.center().y());
    painter.rotate(-90);
    painter.drawText(QRectF(-frame.plot.height() / 2, -metrics.ascent(), frame.plot.height(), line), Qt::AlignCenter,
                     QStringLiteral("MDS dimension 2%1").arg(unit));
    painter.restore();

    const int lastLayer = std::max(1, layers() - 1);
    const double radius = std::clamp(frame.plot.width() / 120, 1.2, 3.0);
    QFont small = canvas.font; // the page's fonts are sized in pixels = points, never under its least size
    small.setPixelSize(std::max(FigurePage::kLeastFontPoints, int(std::lround(canvas.font.pixelSize() * 0.8))));
    painter.setFont(small);
    const bool named = m_data.points.size() <= size_t(kMostNamedPoints) && canvas.labels;
    for (size_t i = 0; i < m_data.points.size(); ++i) {
        const int layer = int(i) / std::max(1, m_data.heads), head = int(i) % std::max(1, m_data.heads);
        const QPointF at = frame.at(m_data.points[i]);
        painter.setPen(QPen(QColor(40, 40, 40), 0.3));
        painter.setBrush(QColor::fromRgb(colours.color(double(layer) / lastLayer)));
        painter.drawEllipse(at, radius, radius);
        if (named) {
            painter.setPen(QColor(60, 60, 60));
            painter.drawText(at + QPointF(radius + 1, -radius), QStringLiteral("L%1H%2").arg(layer).arg(head));
        }
    }
    painter.restore();
}

} // namespace attnscope
