#pragma once
// How heatmap cells are colored: a value scale, a colormap, and the pattern of masked cells.
// Free of LibTorch so that widget headers can hold one.

#include "viz/colormap.h"
#include "viz/value_scale.h"

namespace attnscope {

struct HeatmapStyle {
    Colormap colormap = Colormap::byName(QStringLiteral("viridis"));
    ValueScale scale;
    QRgb maskedColor = qRgb(236, 236, 236);
    QRgb maskedHatchColor = qRgb(170, 170, 170);

    // The color of one visible cell.
    QRgb colorOf(double value) const { return colormap.color(scale.map(value)); }
    // The masked pattern at image pixel (x, y): a hatch line every fourth diagonal.
    QRgb maskedAt(int x, int y) const { return (x + y) % 4 == 0 ? maskedHatchColor : maskedColor; }
};

} // namespace attnscope
