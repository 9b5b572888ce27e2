#include "ui/views/heatmap_viewport.h"

#include <algorithm>

namespace attnscope {

void HeatmapViewport::setMatrixSize(int64_t rows, int64_t cols)
{
    m_rows = std::max<int64_t>(rows, 1);
    m_cols = std::max<int64_t>(cols, 1);
    fit();
}

void HeatmapViewport::setPlotRect(const QRectF &plot)
{
    const QPointF centre = toCell(m_plot.center());
    const bool fitted = isFitted();
    m_plot = plot.isEmpty() ? QRectF(plot.topLeft(), QSizeF(1, 1)) : plot;
    if (fitted) {
        fit();
        return;
    }
    m_origin = centre - QPointF(m_plot.width(), m_plot.height()) / (2 * m_cellPixels);
    clamp();
}

double HeatmapViewport::fitCellPixels() const
{
    return std::min(m_plot.width() / double(m_cols), m_plot.height() / double(m_rows));
}

void HeatmapViewport::fit()
{
    m_cellPixels = std::min(fitCellPixels(), kMaxCellPixels);
    m_origin = {};
    clamp();
}

bool HeatmapViewport::isFitted() const
{
    return m_cellPixels <= std::min(fitCellPixels(), kMaxCellPixels) * (1 + 1e-9);
}

void HeatmapViewport::zoomAt(double factor, const QPointF &anchorPixel)
{
    const QPointF anchorCell = toCell(anchorPixel);
    const double lowest = std::min(fitCellPixels(), kMaxCellPixels);
    m_cellPixels = std::clamp(m_cellPixels * factor, lowest, kMaxCellPixels);
    m_origin = anchorCell - (anchorPixel - m_plot.topLeft()) / m_cellPixels;
    clamp();
}

void HeatmapViewport::panBy(const QPointF &pixelDelta)
{
    m_origin -= pixelDelta / m_cellPixels;
    clamp();
}

QPointF HeatmapViewport::toCell(const QPointF &pixel) const
{
    return m_origin + (pixel - m_plot.topLeft()) / m_cellPixels;
}

QPointF HeatmapViewport::toPixel(const QPointF &cell) const
{
    return m_plot.topLeft() + (cell - m_origin) * m_cellPixels;
}

QRectF HeatmapViewport::visibleCells() const
{
    const QRectF shown(m_origin, QSizeF(m_plot.width(), m_plot.height()) / m_cellPixels);
    return shown.intersected(QRectF(0, 0, double(m_cols), double(m_rows)));
}

// Keeps the matrix on screen: centred along an axis it does not fill, else within bounds.
void HeatmapViewport::clamp()
{
    const auto clampAxis = [](double origin, double shownCells, double cells) {
        if (shownCells >= cells)
            return (cells - shownCells) / 2;
        return std::clamp(origin, 0.0, cells - shownCells);
    };
    m_origin.setX(clampAxis(m_origin.x(), m_plot.width() / m_cellPixels, double(m_cols)));
    m_origin.setY(clampAxis(m_origin.y(), m_plot.height() / m_cellPixels, double(m_rows)));
}

} // namespace attnscope
