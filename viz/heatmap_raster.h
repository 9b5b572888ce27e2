#pragma once
// A matrix of values → a QImage through a value scale and a colormap: each cell becomes a
// cellSize × cellSize block whose color is exactly colormap.color(scale.map(value)). Masked
// cells get a diagonal hatch so that they never read as a weight of zero.

#include <QImage>
#include <torch/types.h>

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

// values: [rows, cols], any floating dtype; masked: optional [rows, cols] bool (true = masked).
// Throws std::invalid_argument for a non-matrix or a masked tensor of another shape.
QImage rasterizeHeatmap(const torch::Tensor &values, const HeatmapStyle &style,
                        const torch::Tensor &masked = {}, int cellSize = 1);

} // namespace attnscope
