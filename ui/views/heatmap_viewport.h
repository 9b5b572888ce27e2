#pragma once
// Which part of a rows × cols matrix a plot area shows: pixels per cell and the cell at the
// plot's top-left corner. Zoom keeps the cell under the cursor in place; the view never
// zooms out past the whole matrix nor in past kMaxCellPixels, and never leaves the matrix.
// Cell coordinates: x = column (key), y = row (query).

#include <cstdint>

#include <QPointF>
#include <QRectF>

namespace attnscope {

class HeatmapViewport {
public:
    static constexpr double kMaxCellPixels = 96.0;

    void setMatrixSize(int64_t rows, int64_t cols);
    void setPlotRect(const QRectF &plot); // keeps the centre cell in place
    QRectF plotRect() const { return m_plot; }
    int64_t rows() const { return m_rows; }
    int64_t cols() const { return m_cols; }

    void fit();
    bool isFitted() const;
    void zoomAt(double factor, const QPointF &anchorPixel);
    void panBy(const QPointF &pixelDelta);

    double cellPixels() const { return m_cellPixels; }
    QPointF toCell(const QPointF &pixel) const;
    QPointF toPixel(const QPointF &cell) const;
    // The visible cells, clipped to the matrix (x = first column, y = first row).
    QRectF visibleCells() const;

private:
    double fitCellPixels() const;
    void clamp();

    int64_t m_rows = 1;
    int64_t m_cols = 1;
    QRectF m_plot{0, 0, 1, 1};
    double m_cellPixels = 1.0;
    QPointF m_origin; // cell at the plot's top-left corner
};

} // namespace attnscope
