#pragma once
// Attention over an image: a map with one value per patch (a CLS row over the patches, a
// hovered patch's row, the layer mean, rollout, relevance) upsampled over the region of the
// original image the patch grid covers, colored, and alpha-blended onto the original at its
// own resolution: out = (1 − α)·image + α·colormap(v / peak) where v / peak ≥ threshold, the
// image unchanged elsewhere (and outside the grid). Optional patch grid lines.

#include <QImage>
#include <torch/types.h>

#include "viz/colormap.h"
#include "viz/patch_geometry.h"

namespace attnscope {

enum class Upsampling { Nearest, Bilinear };

struct OverlayStyle {
    Colormap colormap = Colormap::byName(QStringLiteral("inferno"));
    double opacity = 0.6;   // α
    double threshold = 0.0; // share of the map's peak below which the image shows through
    Upsampling upsampling = Upsampling::Bilinear;
    bool gridLines = false;
    QColor gridColor = QColor(255, 255, 255, 110);
};

// One attention row over all keys [S] → the patches' share, [rows, cols] (the leading CLS and
// distillation keys dropped).
torch::Tensor patchMap(const torch::Tensor &row, int leadingTokens, int rows, int cols);

// The map's values / its peak at every pixel of the original image, [height, width] float;
// NaN outside the patch grid.
torch::Tensor upsampledMap(const torch::Tensor &map, const PatchGeometry &geometry, Upsampling upsampling);

// original: the image as loaded (any format; the result is ARGB32 of the same size).
QImage attentionOverlay(const QImage &original, const torch::Tensor &map, const PatchGeometry &geometry,
                        const OverlayStyle &style);

} // namespace attnscope
