#include "ui/views/color_scale_bar.h"

#include <cmath>

#include <QFontMetricsF>
#include <QPainter>

#include "viz/figure/axis_ticks.h"
#include "viz/figure/colorbar_painter.h"

namespace attnscope {

namespace {
constexpr double kBarWidth = 12;
constexpr int kMargin = 3;
constexpr int kMinimumHeight = 80;
} // namespace

QString scaleCaption(const ValueScale &scale)
{
    if (scale.kind == ScaleKind::Gamma)
        return QStringLiteral("gamma %1").arg(scale.gamma, 0, 'g', 3);
    return scaleKindName(scale.kind);
}

ColorScaleBar::ColorScaleBar(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
}

void ColorScaleBar::setScale(const HeatmapStyle &style, const QString &unit)
{
    m_style = style;
    m_unit = unit;
    setToolTip(tr("%1: %2 … %3").arg(caption()).arg(style.scale.range.low, 0, 'g', 4).arg(style.scale.range.high, 0, 'g', 4));
    updateGeometry();
    update();
}

QString ColorScaleBar::caption() const
{
    return m_unit.isEmpty() ? scaleCaption(m_style.scale) : m_unit + QStringLiteral(" · ") + scaleCaption(m_style.scale);
}

std::vector<double> ColorScaleBar::tickValues() const { return scaleTicks(m_style.scale); }

QRectF ColorScaleBar::scaleArea() const { return QRectF(rect()).adjusted(kMargin, kMargin, -kMargin, -kMargin); }

QRectF ColorScaleBar::barRect() const
{
    return colorbarBarRect(scaleArea(), ColorbarLayout(FigureColorbar{m_style, caption()}, font(), kBarWidth));
}

QPointF ColorScaleBar::tickPoint(double value) const
{
    const QRectF bar = barRect();
    const ValueScale &scale = m_style.scale;
    const double t = scale.range.high > scale.range.low ? scale.map(value) : 0.5; // as paintColorbar places it
    return QPointF(bar.center().x(), bar.bottom() - t * bar.height());
}

QSize ColorScaleBar::sizeHint() const
{
    const ColorbarLayout layout(FigureColorbar{m_style, caption()}, font(), kBarWidth);
    return QSize(int(std::ceil(layout.width())) + 2 * kMargin, 200);
}

QSize ColorScaleBar::minimumSizeHint() const { return QSize(sizeHint().width(), kMinimumHeight); }

void ColorScaleBar::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QRectF area = scaleArea();
    // The caption runs along the bar: cut it to the bar's length rather than past the widget.
    const QString caption = QFontMetricsF(font()).elidedText(this->caption(), Qt::ElideRight, barRect().height());
    const ColorbarLayout layout(FigureColorbar{m_style, caption}, font(), kBarWidth);
    painter.setPen(palette().color(QPalette::WindowText));
    paintColorbar(painter, area, layout, devicePixelRatioF());
}

} // namespace attnscope
