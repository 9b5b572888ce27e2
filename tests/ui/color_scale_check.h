#pragma once
// Reads a colour scale as painted: a tick mark stands beside the bar at the height of each
// tick, there the bar shows the colour its colormap gives that tick's value (within a pixel
// or two: a tick may sit on a boundary between two entries), and the ticks lie in the range.

#include <algorithm>
#include <cmath>

#include <QColor>
#include <QImage>
#include <QString>

#include "ui/views/color_scale_bar.h"

namespace attnscope {

// Empty when every tick matches its colour; otherwise what did not.
inline QString colorScaleMismatch(ColorScaleBar &bar)
{
    if (!bar.isVisible())
        return QStringLiteral("the colour scale is hidden");
    const QImage shot = bar.grab().toImage();
    const HeatmapStyle &style = bar.style();
    const QRectF rect = bar.barRect();
    const std::vector<double> ticks = bar.tickValues();
    if (ticks.size() < 2)
        return QStringLiteral("%1 tick(s)").arg(ticks.size());
    const double slack = 2.5 / rect.height(); // the outline covers the bar's end rows
    for (const double tick : ticks) {
        if (tick < style.scale.range.low - 1e-12 || tick > style.scale.range.high + 1e-12)
            return QStringLiteral("tick %1 outside %2 … %3").arg(tick).arg(style.scale.range.low).arg(style.scale.range.high);
        const QPointF at = bar.tickPoint(tick);
        bool marked = false; // a dark mark just right of the bar
        for (int y = int(std::floor(at.y())) - 1; y <= int(std::ceil(at.y())) + 1; ++y)
            marked = marked || (y >= 0 && y < shot.height() && qGray(shot.pixel(int(rect.right()) + 2, y)) < 160);
        if (!marked)
            return QStringLiteral("no tick mark for %1 at y %2").arg(tick).arg(at.y());
        const double y = std::clamp(at.y(), rect.top() + 2, rect.bottom() - 2);
        const QRgb painted = shot.pixel(int(at.x()), int(y)) | 0xff000000u;
        const double t = style.scale.map(tick);
        bool matches = false;
        for (int i = style.colormap.indexOf(t - slack); i <= style.colormap.indexOf(t + slack); ++i)
            matches = matches || style.colormap.entry(i) == painted;
        if (!matches)
            return QStringLiteral("tick %1 at y %2: painted %3, the colormap gives %4")
                .arg(tick).arg(y).arg(QColor(painted).name(), QColor(style.colormap.color(t)).name());
    }
    return {};
}

} // namespace attnscope
