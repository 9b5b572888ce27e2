#include "viz/figure/curves_figure.h"

#include <algorithm>

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include "viz/figure/axis_ticks.h"
#include "viz/figure/value_axis.h"

namespace attnscope {

void CurvesFigure::paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const
{
    const QFontMetricsF metrics(canvas.font);
    const double line = metrics.height();
    if (m_data.x.empty() || m_data.curves.empty())
        return;
    const auto [lowest, highest] = std::minmax_element(m_data.x.begin(), m_data.x.end());
    const double x0 = *lowest, x1 = std::max(*highest, *lowest + 1e-12);
    std::vector<ValueAxis> axes;
    double labelWidth = 0;
    for (const Curve &curve : m_data.curves) {
        const auto [low, high] = std::minmax_element(curve.values.begin(), curve.values.end());
        axes.emplace_back(std::min(0.0, *low), *high, 4, metrics);
        labelWidth = std::max(labelWidth, axes.back().labelWidth());
    }
    const double left = area.left() + line + labelWidth + 6;
    const double width = area.right() - left - line / 2;
    const double gap = line;
    const double panelHeight = (area.height() - 2 * line - 4 - gap * double(m_data.curves.size() - 1)) / double(m_data.curves.size());
    ValueScale xScale;
    xScale.range = {x0, x1};
    const std::vector<double> xTicks = scaleTicks(xScale, 6);
    const double xStep = xTicks.size() > 1 ? xTicks[1] - xTicks[0] : x1 - x0;
    const auto xOf = [&](const QRectF &plot, double x) { return plot.left() + (x - x0) / (x1 - x0) * plot.width(); };

    painter.save();
    painter.setFont(canvas.font);
    for (size_t c = 0; c < m_data.curves.size(); ++c) {
        const QRectF plot(left, area.top() + double(c) * (panelHeight + gap), width, panelHeight);
        const ValueAxis &axis = axes[c];
        axis.drawGrid(painter, plot);
        axis.drawAxes(painter, plot);
        axis.drawTitle(painter, QRectF(area.left(), plot.top(), area.width(), plot.height()), plot, m_data.curves[c].label);
        painter.setPen(QPen(Qt::black, 0.6));
        for (const double x : xTicks)
            painter.drawLine(QPointF(xOf(plot, x), plot.bottom()), QPointF(xOf(plot, x), plot.bottom() + 3));
        if (c + 1 == m_data.curves.size())
            for (const double x : xTicks)
                painter.drawText(QRectF(xOf(plot, x) - 30, plot.bottom() + 3, 60, line), Qt::AlignHCenter | Qt::AlignTop,
                                 tickLabel(x, xStep));
        QPainterPath path;
        const std::vector<double> &values = m_data.curves[c].values;
        for (size_t i = 0; i < values.size() && i < m_data.x.size(); ++i) {
            const QPointF point(xOf(plot, m_data.x[i]), axis.y(plot, values[i]));
            i == 0 ? path.moveTo(point) : path.lineTo(point);
        }
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(QColor(31, 87, 163), 1.2));
        painter.drawPath(path);
    }
    painter.setPen(Qt::black);
    painter.drawText(QRectF(left, area.bottom() - line, width, line), Qt::AlignCenter, m_data.xLabel);
    painter.restore();
}

} // namespace attnscope
