#include "viz/heatmap_raster.h"

#include <stdexcept>

#include <torch/torch.h>

namespace attnscope {

QImage rasterizeHeatmap(const torch::Tensor &values, const HeatmapStyle &style,
                        const torch::Tensor &masked, int cellSize)
{
    if (!values.defined() || values.dim() != 2)
        throw std::invalid_argument("heatmap: values must be a matrix");
    if (masked.defined() && masked.sizes() != values.sizes())
        throw std::invalid_argument("heatmap: the mask must have the shape of the values");
    if (cellSize < 1)
        throw std::invalid_argument("heatmap: cells must be at least one pixel");
    const int rows = int(values.size(0));
    const int cols = int(values.size(1));
    QImage image(cols * cellSize, rows * cellSize, QImage::Format_ARGB32);
    if (image.isNull())
        return image;

    // Doubles: float input converts exactly, double input keeps its exact value.
    const torch::Tensor cells = values.to(torch::kDouble).contiguous();
    const torch::Tensor hidden = masked.defined() ? masked.to(torch::kBool).contiguous() : masked;
    const double *cell = cells.data_ptr<double>();
    const bool *isMasked = hidden.defined() ? hidden.data_ptr<bool>() : nullptr;
    std::vector<QRgb> rowColors(size_t(cols), 0);
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c)
            rowColors[size_t(c)] = style.colorOf(cell[int64_t(r) * cols + c]);
        for (int dy = 0; dy < cellSize; ++dy) {
            const int y = r * cellSize + dy;
            auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
            for (int x = 0; x < cols * cellSize; ++x) {
                const int c = x / cellSize;
                const bool hiddenCell = isMasked && isMasked[int64_t(r) * cols + c];
                line[x] = hiddenCell ? style.maskedAt(x, y) : rowColors[size_t(c)];
            }
        }
    }
    return image;
}

} // namespace attnscope
