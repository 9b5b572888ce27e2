#include "viz/patch_geometry.h"

#include <cmath>

namespace attnscope {

QRectF PatchGeometry::patchInInput(int patch) const
{
    const int row = patch / gridCols(), col = patch % gridCols();
    return QRectF(col * patchSize, row * patchSize, patchSize, patchSize);
}

QRectF PatchGeometry::patchInOriginal(int patch) const
{
    const QRectF input = patchInInput(patch);
    const double sx = double(originalWidth) / resizedWidth, sy = double(originalHeight) / resizedHeight;
    return QRectF((input.left() + cropLeft) * sx, (input.top() + cropTop) * sy, input.width() * sx, input.height() * sy);
}

QRectF PatchGeometry::gridInOriginal() const
{
    const double sx = double(originalWidth) / resizedWidth, sy = double(originalHeight) / resizedHeight;
    return QRectF(cropLeft * sx, cropTop * sy, gridCols() * patchSize * sx, gridRows() * patchSize * sy);
}

int PatchGeometry::patchAt(const QPointF &originalPixel) const
{
    const double x = originalPixel.x() * resizedWidth / originalWidth - cropLeft;
    const double y = originalPixel.y() * resizedHeight / originalHeight - cropTop;
    const int col = int(std::floor(x / patchSize)), row = int(std::floor(y / patchSize));
    if (col < 0 || row < 0 || col >= gridCols() || row >= gridRows())
        return -1;
    return row * gridCols() + col;
}

} // namespace attnscope
