#pragma once
// A matrix of values → a QImage through a value scale and a colormap: each cell becomes a
// cellSize × cellSize block whose color is exactly colormap.color(scale.map(value)). Masked
// cells get a diagonal hatch so that they never read as a weight of zero.

#include <QImage>
#include <torch/types.h>

#include "viz/heatmap_style.h"

namespace attnscope {

// values: [rows, cols], any floating dtype; masked: optional [rows, cols] bool (true = masked).
// Throws std::invalid_argument for a non-matrix or a masked tensor of another shape.
QImage rasterizeHeatmap(const torch::Tensor &values, const HeatmapStyle &style,
                        const torch::Tensor &masked = {}, int cellSize = 1);

} // namespace attnscope
