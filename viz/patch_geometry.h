#pragma once
// Where a vision model's patches are: the original image is resized, then cropped, to the
// model's input; the input is cut into patchSize × patchSize patches in row-major order
// (pixels past the last whole patch are not seen). Maps patch indices to rectangles in the
// input and in the original image, and original pixels back to patches.

#include <QPointF>
#include <QRectF>

namespace attnscope {

struct PatchGeometry {
    int originalWidth = 0, originalHeight = 0;
    int resizedWidth = 0, resizedHeight = 0; // after the resize, before the crop
    int cropLeft = 0, cropTop = 0;           // of the input within the resized image (negative: padded)
    int inputWidth = 0, inputHeight = 0;     // what the model takes
    int patchSize = 16;

    int gridCols() const { return inputWidth / patchSize; }
    int gridRows() const { return inputHeight / patchSize; }
    int patches() const { return gridRows() * gridCols(); }
    QRectF patchInInput(int patch) const;
    QRectF patchInOriginal(int patch) const;
    // The region of the original image the patch grid covers.
    QRectF gridInOriginal() const;
    // The patch under a point of the original image; -1 outside the grid.
    int patchAt(const QPointF &originalPixel) const;
};

} // namespace attnscope
