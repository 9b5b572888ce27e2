#pragma once
// The image overlay as a page figure, like every other view: the image fitted to the page,
// the attention map over it at the output's resolution (patches stay sharp-edged with nearest
// upsampling however small the image), the patch grid as vector lines, a colorbar from 0 to
// the map's peak, and a title naming the run, the map, the layer and the head.

#include <memory>

#include <QImage>
#include <torch/types.h>

#include "viz/attention_overlay.h"
#include "viz/figure/figure_content.h"
#include "viz/vision_maps.h"

namespace attnscope {

struct OverlayFigureData {
    QImage original;       // the image as loaded
    torch::Tensor map;     // [gridRows, gridCols], one value per patch
    PatchGeometry geometry;
    OverlayStyle style;
    QString title;
    QString valueName;     // the colorbar's label, e.g. "CLS attention weight"
};

// "circle.png: CLS → patches, layer 3, head 0" (the head only for maps of one head).
QString overlayFigureTitle(const QString &run, VisionMap kind, int layer, int head, int patch);
QString overlayValueName(VisionMap kind);

std::unique_ptr<FigureContent> overlayFigure(OverlayFigureData data);

} // namespace attnscope
