#include "viz/attention_overlay.h"

#include <cmath>

#include <QPainter>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

namespace attnscope {

torch::Tensor patchMap(const torch::Tensor &row, int leadingTokens, int rows, int cols)
{
    if (row.dim() != 1 || row.size(0) != leadingTokens + int64_t(rows) * cols)
        throw std::invalid_argument("overlay: an attention row of " + std::to_string(row.numel()) + " keys is not "
                                    + std::to_string(leadingTokens) + " leading tokens and " + std::to_string(rows)
                                    + "×" + std::to_string(cols) + " patches");
    return row.slice(0, leadingTokens).reshape({rows, cols});
}

torch::Tensor upsampledMap(const torch::Tensor &map, const PatchGeometry &geometry, Upsampling upsampling)
{
    if (map.dim() != 2 || map.size(0) != geometry.gridRows() || map.size(1) != geometry.gridCols())
        throw std::invalid_argument("overlay: the map does not have the patch grid's shape");
    const torch::Tensor values = map.to(torch::kFloat32).contiguous();
    const float peak = values.max().item<float>();
    torch::Tensor result = torch::full({geometry.originalHeight, geometry.originalWidth}, NAN, torch::kFloat32);
    const QRectF region = geometry.gridInOriginal();
    const int x0 = std::max(0, int(std::lround(region.left()))), y0 = std::max(0, int(std::lround(region.top())));
    const int x1 = std::min(geometry.originalWidth, int(std::lround(region.right())));
    const int y1 = std::min(geometry.originalHeight, int(std::lround(region.bottom())));
    if (x1 <= x0 || y1 <= y0)
        return result;
    const cv::Mat cells(int(values.size(0)), int(values.size(1)), CV_32F, values.data_ptr<float>());
    cv::Mat pixels;
    cv::resize(cells, pixels, cv::Size(x1 - x0, y1 - y0), 0, 0,
               upsampling == Upsampling::Bilinear ? cv::INTER_LINEAR : cv::INTER_NEAREST);
    if (peak > 0)
        pixels /= peak;
    const torch::Tensor placed = torch::from_blob(pixels.data, {pixels.rows, pixels.cols}, torch::kFloat32);
    result.slice(0, y0, y1).slice(1, x0, x1).copy_(placed);
    return result;
}

QImage attentionOverlay(const QImage &original, const torch::Tensor &map, const PatchGeometry &geometry,
                        const OverlayStyle &style)
{
    QImage result = original.convertToFormat(QImage::Format_ARGB32);
    const torch::Tensor values = upsampledMap(map, geometry, style.upsampling);
    const auto v = values.accessor<float, 2>();
    const double alpha = std::clamp(style.opacity, 0.0, 1.0);
    for (int y = 0; y < result.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(result.scanLine(y));
        for (int x = 0; x < result.width(); ++x) {
            const float t = v[y][x];
            if (std::isnan(t) || t < style.threshold)
                continue;
            const QRgb color = style.colormap.color(t);
            const auto blend = [alpha](int image, int overlay) { return int(std::lround((1 - alpha) * image + alpha * overlay)); };
            line[x] = qRgba(blend(qRed(line[x]), qRed(color)), blend(qGreen(line[x]), qGreen(color)),
                            blend(qBlue(line[x]), qBlue(color)), qAlpha(line[x]));
        }
    }
    if (style.gridLines) {
        QPainter painter(&result);
        painter.setPen(QPen(style.gridColor, 0));
        const QRectF region = geometry.gridInOriginal();
        const double cellWidth = region.width() / geometry.gridCols(), cellHeight = region.height() / geometry.gridRows();
        for (int col = 0; col <= geometry.gridCols(); ++col)
            painter.drawLine(QPointF(region.left() + col * cellWidth, region.top()), QPointF(region.left() + col * cellWidth, region.bottom()));
        for (int row = 0; row <= geometry.gridRows(); ++row)
            painter.drawLine(QPointF(region.left(), region.top() + row * cellHeight), QPointF(region.right(), region.top() + row * cellHeight));
    }
    return result;
}

} // namespace attnscope
