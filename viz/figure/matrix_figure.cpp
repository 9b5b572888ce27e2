#include "viz/figure/matrix_figure.h"

#include <algorithm>
#include <cmath>

#include <QFontMetricsF>
#include <QPainter>
#include <torch/torch.h>

#include "viz/figure/axis_ticks.h"
#include "viz/figure/token_axis.h"
#include "viz/heatmap_raster.h"
#include "viz/pyramid_geometry.h"
#include "viz/value_range.h"

namespace attnscope {

namespace {

constexpr double kGap = 2;
constexpr double kLabelShare = 0.3; // labels take at most this share of the page's side

// The widest label an axis shows in its own font.
double widestShown(const TokenAxis &axis, const QStringList &labels, int64_t count)
{
    const QFontMetricsF metrics(axis.font);
    double width = 0;
    for (int64_t i = 0; i < count; i += axis.step)
        width = std::max(width, metrics.horizontalAdvance(axis.text(labels, i)));
    return width;
}

} // namespace

void fitRangeToCells(MatrixFigureData &data)
{
    if (data.rows <= 0 || data.cols <= 0)
        return;
    constexpr int64_t kOverviewSide = 1024;
    int level = 0;
    while (ceilDiv(std::max(data.rows, data.cols), PyramidGeometry::blockSize(level)) > kOverviewSide)
        ++level;
    PoolingPass pass;
    pass.source = data.source;
    pass.pooling = data.pooling;
    pass.matrixCols = data.cols;
    const torch::Tensor pooled = poolCells(pass, CellRect{0, data.rows, 0, data.cols}, level, level).front();
    const torch::Tensor masked = data.mask.isEmpty()
                                     ? torch::Tensor()
                                     : data.mask.blocks(0, data.rows, 0, data.cols, PyramidGeometry::blockSize(level));
    if (data.style.colormap.isDiverging()) {
        data.style.scale.range = symmetricRange(pooled, masked);
        return;
    }
    const ValueRange range = dataRange(pooled, masked);
    data.style.scale.range = {std::min(0.0, range.low), range.high};
}

struct MatrixFigure::Margins {
    double left = 0; // row labels and the row axis title
    double top = 0;  // column labels and the column axis title
    double cell = 0;
};

MatrixFigure::MatrixFigure(MatrixFigureData data) : m_data(std::move(data)) {}

std::optional<FigureColorbar> MatrixFigure::colorbar() const
{
    return FigureColorbar{m_data.style, m_data.colorbarLabel};
}

MatrixFigure::Margins MatrixFigure::marginsFor(const QRectF &area, const FigureCanvas &canvas) const
{
    const QFontMetricsF metrics(canvas.font);
    const double axisTitle = metrics.height() + kGap;
    const auto cellFor = [&](double left, double top) {
        return std::max(0.0, std::min((area.width() - left) / double(m_data.cols), (area.height() - top) / double(m_data.rows)));
    };
    Margins margins;
    if (!canvas.labels) {
        margins.cell = cellFor(0, 0);
        return margins;
    }
    // First as if every token fits; then with the labels the cells leave room for.
    const auto labelSpace = [&](const QStringList &labels, int64_t count, double side, double cell) {
        const TokenAxis axis = chooseTokenAxis(labels, count, cell, canvas.font);
        return std::min(widestShown(axis, labels, count), kLabelShare * side) + kGap;
    };
    double left = axisTitle + labelSpace(m_data.rowLabels, m_data.rows, area.width(), 1e9);
    double top = axisTitle + labelSpace(m_data.columnLabels, m_data.cols, area.height(), 1e9);
    const double cell = cellFor(left, top);
    left = axisTitle + labelSpace(m_data.rowLabels, m_data.rows, area.width(), cell);
    top = axisTitle + labelSpace(m_data.columnLabels, m_data.cols, area.height(), cell);
    margins.left = left;
    margins.top = top;
    margins.cell = cellFor(left, top);
    return margins;
}

QRectF MatrixFigure::matrixRect(const QRectF &area, const FigureCanvas &canvas) const
{
    const Margins margins = marginsFor(area, canvas);
    const QSizeF size(margins.cell * double(m_data.cols), margins.cell * double(m_data.rows));
    const double x = area.left() + margins.left + (area.width() - margins.left - size.width()) / 2;
    return QRectF(QPointF(x, area.top() + margins.top), size);
}

void MatrixFigure::paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const
{
    if (m_data.rows <= 0 || m_data.cols <= 0)
        return;
    const Margins margins = marginsFor(area, canvas);
    const QRectF cells = matrixRect(area, canvas);
    paintCells(painter, cells, canvas);
    painter.setPen(QPen(QColor(60, 60, 60), 0.5));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(cells);
    if (canvas.labels)
        paintLabels(painter, cells, margins, canvas);
}

void MatrixFigure::paintCells(QPainter &painter, const QRectF &cells, const FigureCanvas &canvas) const
{
    const HeatmapStyle &style = m_data.style;
    const double cell = cells.width() / double(m_data.cols);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    if (m_data.rows <= canvas.vectorCellLimit && m_data.cols <= canvas.vectorCellLimit) {
        const torch::Tensor values = m_data.source(0, m_data.rows, 0, m_data.cols).to(torch::kFloat64).contiguous();
        const torch::Tensor masked = m_data.mask.isEmpty() ? torch::Tensor() : m_data.mask.blocks(0, m_data.rows, 0, m_data.cols);
        const double *value = values.data_ptr<double>();
        const bool *maskedCell = masked.defined() ? masked.contiguous().data_ptr<bool>() : nullptr;
        // Each cell overlaps its right and lower neighbours by a hairline, so that viewers
        // antialiasing the edges show no seams between cells.
        const double overlap = cell * 0.02;
        for (int64_t r = 0; r < m_data.rows; ++r)
            for (int64_t c = 0; c < m_data.cols; ++c) {
                const QRectF rect(cells.left() + double(c) * cell, cells.top() + double(r) * cell,
                                  cell + (c + 1 < m_data.cols ? overlap : 0), cell + (r + 1 < m_data.rows ? overlap : 0));
                if (maskedCell && maskedCell[r * m_data.cols + c]) {
                    painter.fillRect(rect, QColor::fromRgb(style.maskedColor));
                    continue;
                }
                const QRgb color = style.colorOf(value[r * m_data.cols + c]);
                if (qAlpha(color) > 0)
                    painter.fillRect(rect, QColor::fromRgba(color));
            }
        painter.restore();
        return;
    }
    // One raster at the page's resolution: the smallest pyramid level that fits its pixels.
    const double pixels = cell * canvas.pixelsPerPoint; // device pixels per cell
    int level = 0;
    while (pixels * double(PyramidGeometry::blockSize(level)) < 1.0)
        ++level;
    const int64_t block = PyramidGeometry::blockSize(level);
    PoolingPass pass;
    pass.source = m_data.source;
    pass.pooling = m_data.pooling;
    pass.matrixCols = m_data.cols;
    const torch::Tensor pooled = poolCells(pass, CellRect{0, m_data.rows, 0, m_data.cols}, level, level).front();
    const torch::Tensor masked = m_data.mask.isEmpty() ? torch::Tensor() : m_data.mask.blocks(0, m_data.rows, 0, m_data.cols, block);
    const int cellSize = std::clamp(int(std::floor(pixels * double(block))), 1, 64);
    const QImage image = rasterizeHeatmap(pooled, style, masked, cellSize);
    const double blockPoints = cell * double(block);
    painter.setClipRect(cells, Qt::IntersectClip);
    painter.drawImage(QRectF(cells.topLeft(), QSizeF(double(pooled.size(1)) * blockPoints, double(pooled.size(0)) * blockPoints)), image);
    painter.restore();
}

void MatrixFigure::paintLabels(QPainter &painter, const QRectF &cells, const Margins &margins, const FigureCanvas &canvas) const
{
    const QFontMetricsF metrics(canvas.font);
    const double cell = margins.cell;
    const double lineHeight = metrics.height();
    painter.save();
    painter.setFont(canvas.font);
    painter.setPen(Qt::black);

    bool abbreviated = false;
    const auto shown = [&](const QString &full, const QFontMetricsF &labelMetrics, double room) {
        const QString text = labelMetrics.elidedText(full, Qt::ElideRight, room);
        abbreviated = abbreviated || text != full;
        return text;
    };
    const TokenAxis rows = chooseTokenAxis(m_data.rowLabels, m_data.rows, cell, canvas.font);
    const QFontMetricsF rowMetrics(rows.font);
    const double rowWidth = margins.left - lineHeight - 2 * kGap;
    painter.setFont(rows.font);
    for (int64_t r = 0; r < m_data.rows; r += rows.step) {
        const double y = cells.top() + (double(r) + 0.5) * cell;
        painter.drawText(QRectF(cells.left() - kGap - rowWidth, y - rowMetrics.height() / 2, rowWidth, rowMetrics.height()),
                         Qt::AlignRight | Qt::AlignVCenter, shown(rows.text(m_data.rowLabels, r), rowMetrics, rowWidth));
    }
    const TokenAxis columns = chooseTokenAxis(m_data.columnLabels, m_data.cols, cell, canvas.font);
    const QFontMetricsF columnMetrics(columns.font);
    const double columnHeight = margins.top - lineHeight - 2 * kGap;
    painter.setFont(columns.font);
    for (int64_t c = 0; c < m_data.cols; c += columns.step) {
        const double x = cells.left() + (double(c) + 0.5) * cell;
        painter.save();
        painter.translate(x, cells.top() - kGap);
        painter.rotate(-90);
        painter.drawText(QRectF(0, -columnMetrics.height() / 2, columnHeight, columnMetrics.height()),
                         Qt::AlignLeft | Qt::AlignVCenter, shown(columns.text(m_data.columnLabels, c), columnMetrics, columnHeight));
        painter.restore();
    }
    if (abbreviated && canvas.notes)
        canvas.notes->append(QStringLiteral("token labels abbreviated with …"));
    painter.setFont(canvas.font);
    // The axis titles: the column axis above its labels, the row axis turned along its side.
    painter.drawText(QRectF(cells.left(), cells.top() - margins.top, cells.width(), lineHeight), Qt::AlignCenter,
                     m_data.columnAxis);
    painter.translate(cells.left() - margins.left + metrics.ascent(), cells.center().y());
    painter.rotate(-90);
    painter.drawText(QRectF(-cells.height() / 2, -metrics.ascent(), cells.height(), lineHeight), Qt::AlignCenter, m_data.rowAxis);
    painter.restore();
}

} // namespace attnscope
