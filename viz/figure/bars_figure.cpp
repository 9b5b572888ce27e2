#include "viz/figure/bars_figure.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <QFontMetricsF>
#include <QPainter>

#include "viz/figure/value_axis.h"

namespace attnscope {

void BarsFigure::paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const
{
    const QFontMetricsF metrics(canvas.font);
    const double line = metrics.height();
    double low = 0, high = 1e-12;
    for (const auto &bar : m_data.bars) {
        low = std::min(low, bar.second);
        high = std::max(high, bar.second);
    }
    const ValueAxis axis(low, high, 4, metrics);
    double labelHeight = 0;
    for (const auto &bar : m_data.bars)
        labelHeight = std::max(labelHeight, metrics.horizontalAdvance(m_data.labels.value(bar.first)));
    labelHeight = canvas.labels ? std::min(labelHeight, area.height() * 0.35) + 4 : 0;
    const QRectF plot(area.left() + line + axis.labelWidth() + 6, area.top() + line / 2,
                      area.width() - line - axis.labelWidth() - 6, area.height() - line / 2 - labelHeight - line - 2);
    const double slot = plot.width() / double(std::max<size_t>(1, m_data.bars.size()));
    const double zero = axis.y(plot, 0);

    painter.save();
    painter.setFont(canvas.font);
    axis.drawGrid(painter, plot);
    painter.setPen(Qt::NoPen);
    for (size_t i = 0; i < m_data.bars.size(); ++i) {
        const double x = plot.left() + double(i) * slot;
        const double y = axis.y(plot, m_data.bars[i].second);
        painter.setBrush(m_data.bars[i].first == m_data.highlighted ? QColor(224, 96, 16) : QColor(31, 87, 163));
        painter.drawRect(QRectF(QPointF(x + slot * 0.1, std::min(y, zero)), QPointF(x + slot * 0.9, std::max(y, zero))));
    }
    axis.drawAxes(painter, plot);
    if (low < 0) { // the zero line the bars grow from
        painter.setPen(QPen(Qt::black, 0.4));
        painter.drawLine(QPointF(plot.left(), zero), QPointF(plot.right(), zero));
    }
    if (canvas.labels)
        for (size_t i = 0; i < m_data.bars.size(); ++i) {
            painter.save();
            painter.translate(plot.left() + (double(i) + 0.5) * slot, plot.bottom() + 2);
            painter.rotate(-90);
            painter.drawText(QRectF(-labelHeight, -line / 2, labelHeight, line), Qt::AlignRight | Qt::AlignVCenter,
                             metrics.elidedText(m_data.labels.value(m_data.bars[i].first), Qt::ElideRight, labelHeight));
            painter.restore();
        }
    painter.drawText(QRectF(plot.left(), area.bottom() - line, plot.width(), line), Qt::AlignCenter, m_data.entryAxis);
    axis.drawTitle(painter, area, plot, m_data.valueAxis);
    painter.restore();
}

std::vector<std::pair<int, double>> strongestBars(const std::vector<double> &values, int most)
{
    std::vector<int> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    if (int(order.size()) > most) {
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return std::abs(values[a]) > std::abs(values[b]); });
        order.resize(size_t(most));
        std::sort(order.begin(), order.end());
    }
    std::vector<std::pair<int, double>> bars;
    for (const int i : order)
        bars.emplace_back(i, values[size_t(i)]);
    return bars;
}

} // namespace attnscope
