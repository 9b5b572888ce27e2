#pragma once
// The image of a vision run, kept for the overlays: the original (EXIF orientation applied)
// at its own resolution, the model's input, and where the patches are.

#include <QImage>
#include <QString>

#include "viz/patch_geometry.h"

namespace attnscope {

struct VisionImage {
    QString path;
    QImage original;  // RGB888
    QImage modelView; // the resized and cropped input, RGB888
    PatchGeometry geometry;
    int leadingTokens = 1; // CLS (and DeiT's distillation token) before the patches
    QString warning;  // from decoding, e.g. a misleading file name
};

} // namespace attnscope
