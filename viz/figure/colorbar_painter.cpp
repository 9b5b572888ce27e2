#include "viz/figure/colorbar_painter.h"

#include <algorithm>
#include <cmath>

#include <QFontMetricsF>
#include <QImage>
#include <QPainter>

#include "viz/figure/axis_ticks.h"

namespace attnscope {

namespace {

constexpr double kTickLength = 3;
constexpr double kGap = 2;

std::vector<std::pair<double, QString>> labeledTicks(const ValueScale &scale)
{
    const std::vector<double> ticks = scaleTicks(scale);
    const double step = ticks.size() > 1 ? std::abs(ticks[1] - ticks[0]) : std::abs(scale.range.high - scale.range.low);
    std::vector<std::pair<double, QString>> labeled;
    for (const double tick : ticks)
        labeled.emplace_back(tick, scale.kind == ScaleKind::Log ? QString::number(tick, 'g', 3)
                                                                : tickLabel(tick, step > 0 ? step : 1));
    return labeled;
}

} // namespace

ColorbarLayout::ColorbarLayout(const FigureColorbar &colorbar, const QFont &font, double barWidth)
    : m_colorbar(colorbar), m_font(font), m_barWidth(barWidth)
{
    const QFontMetricsF metrics(m_font);
    for (const auto &[value, label] : labeledTicks(m_colorbar.style.scale))
        m_tickLabelWidth = std::max(m_tickLabelWidth, metrics.horizontalAdvance(label));
}

double ColorbarLayout::width() const
{
    const QFontMetricsF metrics(m_font);
    const double label = m_colorbar.label.isEmpty() ? 0 : kGap + metrics.height();
    return m_barWidth + kTickLength + kGap + m_tickLabelWidth + label;
}

QRectF colorbarBarRect(const QRectF &area, const ColorbarLayout &layout)
{
    const double inset = QFontMetricsF(layout.font()).height() / 2;
    return QRectF(area.left(), area.top() + inset, layout.barWidth(), std::max(1.0, area.height() - 2 * inset));
}

void paintColorbar(QPainter &painter, const QRectF &area, const ColorbarLayout &layout, double pixelsPerPoint)
{
    const QFontMetricsF metrics(layout.font());
    const double inset = metrics.height() / 2;
    const QRectF bar = colorbarBarRect(area, layout);
    const HeatmapStyle &style = layout.colorbar().style;
    const ValueScale &scale = style.scale;

    // The colors as an embedded raster of one column at device resolution (top = high).
    const int steps = std::clamp(int(std::ceil(bar.height() * pixelsPerPoint)), 2, 4096);
    QImage strip(1, steps, QImage::Format_ARGB32);
    for (int y = 0; y < steps; ++y)
        strip.setPixel(0, y, style.colormap.color(1.0 - (y + 0.5) / steps));
    painter.save();
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter.drawImage(bar, strip);
    painter.setPen(QPen(QColor(60, 60, 60), 0.5));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(bar);

    painter.setFont(layout.font());
    const double span = scale.range.high - scale.range.low;
    for (const auto &[value, label] : labeledTicks(scale)) {
        const double t = span > 0 ? scale.map(value) : 0.5;
        if (std::isnan(t))
            continue;
        const double y = bar.bottom() - t * bar.height();
        painter.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + kTickLength, y));
        painter.drawText(QRectF(bar.right() + kTickLength + kGap, y - inset, area.width(), 2 * inset),
                         Qt::AlignLeft | Qt::AlignVCenter, label);
    }
    if (!layout.colorbar().label.isEmpty()) {
        painter.translate(area.right() - metrics.descent(), bar.center().y());
        painter.rotate(-90);
        painter.drawText(QRectF(-bar.height() / 2, -metrics.ascent(), bar.height(), metrics.height()),
                         Qt::AlignCenter, layout.colorbar().label);
    }
    painter.restore();
}

} // namespace attnscope
