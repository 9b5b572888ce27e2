#include "viz/figure/value_axis.h"

#include <algorithm>
#include <cmath>

#include <QPainter>

#include "viz/figure/axis_ticks.h"

namespace attnscope {

ValueAxis::ValueAxis(double low, double high, int wantedTicks, const QFontMetricsF &metrics)
    : m_metrics(metrics), m_low(low), m_high(std::max(high, low + 1e-12))
{
    ValueScale scale;
    scale.range = {m_low, m_high};
    m_ticks = scaleTicks(scale, wantedTicks);
    const double step = m_ticks.size() > 1 ? m_ticks[1] - m_ticks[0] : m_high - m_low;
    if (m_ticks.size() > 1 && m_ticks.back() < m_high - step * 1e-9)
        m_ticks.push_back(m_ticks.back() + step);
    m_high = std::max(m_high, m_ticks.back());
    for (const double tick : m_ticks) {
        m_labels.push_back(tickLabel(tick, step));
        m_labelWidth = std::max(m_labelWidth, metrics.horizontalAdvance(m_labels.back()));
    }
}

double ValueAxis::y(const QRectF &plot, double value) const
{
    return plot.bottom() - (value - m_low) / (m_high - m_low) * plot.height();
}

void ValueAxis::drawGrid(QPainter &painter, const QRectF &plot) const
{
    painter.setPen(QPen(QColor(220, 220, 220), 0.5));
    for (const double tick : m_ticks)
        painter.drawLine(QPointF(plot.left(), y(plot, tick)), QPointF(plot.right(), y(plot, tick)));
}

void ValueAxis::drawAxes(QPainter &painter, const QRectF &plot) const
{
    const double line = m_metrics.height();
    painter.setPen(QPen(Qt::black, 0.6));
    painter.drawLine(plot.bottomLeft(), plot.bottomRight());
    painter.drawLine(plot.bottomLeft(), plot.topLeft());
    for (size_t i = 0; i < m_ticks.size(); ++i)
        painter.drawText(QRectF(plot.left() - m_labelWidth - 4, y(plot, m_ticks[i]) - line / 2, m_labelWidth, line),
                         Qt::AlignRight | Qt::AlignVCenter, m_labels[i]);
}

void ValueAxis::drawTitle(QPainter &painter, const QRectF &area, const QRectF &plot, const QString &title) const
{
    painter.save();
    painter.translate(area.left() + m_metrics.ascent(), plot.center().y());
    painter.rotate(-90);
    painter.drawText(QRectF(-plot.height() / 2, -m_metrics.ascent(), plot.height(), m_metrics.height()), Qt::AlignCenter, title);
    painter.restore();
}

} // namespace attnscope
