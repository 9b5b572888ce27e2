#pragma once
// A matrix as a figure: one head's attention, a rollout, a difference, a layers × heads
// score table. Cells are rectangles up to the page's vector limit, beyond it one raster at
// the page's resolution whose pixels pool (max or mean) exactly the cells they cover, as the
// head view's tile pyramid does. Rows are labelled down the left, columns along the top
// (rotated), with their tokens when the cells are tall enough for a line of text and with
// round indices otherwise. Masked cells are hatched, never drawn as a weight of zero.

#include <QStringList>

#include "viz/cell_mask.h"
#include "viz/figure/figure_content.h"
#include "viz/pyramid_pooling.h"
#include "viz/tile_source.h"

namespace attnscope {

struct MatrixFigureData {
    TileSource source;          // exact cells (recordTileSource, denseTileSource)
    int64_t rows = 0;
    int64_t cols = 0;
    CellMask mask;
    QStringList rowLabels;      // one per row, or empty for indices
    QStringList columnLabels;   // one per column, or empty
    QString rowAxis = QStringLiteral("query");
    QString columnAxis = QStringLiteral("key");
    HeatmapStyle style;         // its range is the colorbar's
    QString title;
    QString colorbarLabel = QStringLiteral("attention weight");
    Pooling pooling = Pooling::Max;
};

// Sets data.style's range from the cells: [min(0, low), high], or symmetric around 0 for a
// diverging colormap; taken from cells pooled to at most 1024 a side (exact below that).
void fitRangeToCells(MatrixFigureData &data);

class MatrixFigure : public FigureContent {
public:
    explicit MatrixFigure(MatrixFigureData data);
    QString title() const override { return m_data.title; }
    std::optional<FigureColorbar> colorbar() const override;
    std::optional<QRectF> plotRect(const QRectF &area, const FigureCanvas &canvas) const override { return matrixRect(area, canvas); }
    void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const override;

    // Where the cells go in `area` (for tests and for placing marks on the figure).
    QRectF matrixRect(const QRectF &area, const FigureCanvas &canvas) const;

private:
    struct Margins;
    Margins marginsFor(const QRectF &area, const FigureCanvas &canvas) const;
    void paintCells(QPainter &painter, const QRectF &cells, const FigureCanvas &canvas) const;
    void paintLabels(QPainter &painter, const QRectF &cells, const Margins &margins, const FigureCanvas &canvas) const;

    MatrixFigureData m_data;
};

} // namespace attnscope
