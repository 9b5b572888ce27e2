#pragma once
// The value (vertical) axis of the charts in figures: round ticks, the mapping of values to
// the plot's height, and its drawing (grid, axis lines, tick labels, rotated title).

#include <vector>

#include <QFontMetricsF>
#include <QRectF>
#include <QString>

class QPainter;

namespace attnscope {

class ValueAxis {
public:
    // About `wantedTicks` round ticks over [low, high]. The axis then ends on the first tick at
    // or above `high`, so that the largest value stays inside the plot.
    ValueAxis(double low, double high, int wantedTicks, const QFontMetricsF &metrics);

    double labelWidth() const { return m_labelWidth; }
    double y(const QRectF &plot, double value) const;

    void drawGrid(QPainter &painter, const QRectF &plot) const;
    // The left and bottom axis lines and the tick labels left of the plot.
    void drawAxes(QPainter &painter, const QRectF &plot) const;
    // `title` rotated along the left edge of `area`, centred on the plot.
    void drawTitle(QPainter &painter, const QRectF &area, const QRectF &plot, const QString &title) const;

private:
    QFontMetricsF m_metrics;
    std::vector<double> m_ticks;
    std::vector<QString> m_labels;
    double m_low;
    double m_high;
    double m_labelWidth = 0;
};

} // namespace attnscope
