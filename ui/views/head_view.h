#pragma once
// One head's attention matrix as a heatmap. Drag to pan; wheel or +/− to zoom down to single
// cells; Home to fit; Shift+arrows to pan (plain arrows ask for the next layer or head, and a
// click picks the query and key of a cell: both go to the shared selection). Token labels on
// the axes whenever they can be read (HeatmapAxes), a colour scale beside the matrix, and a
// "per row" box that divides each row by its peak. Hovering a cell reports the query and key
// tokens, the exact weight and its rank in the row. Tiles come from a TilePyramid computed in
// a worker: the view shows coarser tiles until finer ones arrive, with a progress bar and Cancel.

#include <memory>

#include <QStringList>
#include <QWidget>

#include "viz/heatmap_style.h"

class QPainter;

namespace attnscope {

class ColorScaleBar;
class TilePyramid;
struct HeatmapAxes;

struct HoveredCell {
    qint64 row = -1; // -1 outside the matrix
    qint64 col = -1;
    double weight = 0.0;
    qint64 rank = 0;  // 1 = the largest weight of the row
    bool masked = false;
    bool isValid() const { return row >= 0; }
};

class HeadView : public QWidget {
    Q_OBJECT
public:
    explicit HeadView(QWidget *parent = nullptr);
    ~HeadView() override;

    // The head to show; tokens label rows (queries) and columns (keys) and may be empty. With
    // row normalization on, the view shows a row-normalized pyramid over the same source.
    void setHead(std::shared_ptr<TilePyramid> pyramid, const QStringList &queryTokens,
                 const QStringList &keyTokens);
    // rangeFromData: the scale's range becomes that of the overview ([min(0, low), high], or
    // symmetric for a diverging colormap) once it is computed.
    void setStyle(const HeatmapStyle &style, bool rangeFromData = true);
    HeatmapStyle style() const;
    bool hasOverview() const; // the colors' range is known and tiles can be drawn
    // What a cell's value is, for the colour scale; empty: "attention weight".
    void setValueName(const QString &name);
    QString valueName() const; // as the colour scale names it (with "÷ its row's peak")
    // Each row divided by its largest weight (PyramidOptions::normalizeRows), so that a
    // diffuse row shows its pattern as clearly as a peaked one. Off by default.
    void setRowNormalized(bool normalized);
    bool isRowNormalized() const;
    ColorScaleBar *colorScale() const;
    HeatmapAxes axes() const; // the axis labels as painted at the current size and zoom

    QRectF visibleCells() const; // x = first key, y = first query
    double cellPixels() const;
    QPointF cellCenter(qint64 row, qint64 col) const; // in widget pixels
    HoveredCell cellAt(const QPointF &pos) const;
    QString describe(const HoveredCell &cell) const;
    // The picked query (row) and key (column), outlined; -1 = none.
    void setSelectedCell(qint64 row, qint64 col);

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    void resetView();

Q_SIGNALS:
    void cellHovered(qint64 row, qint64 col, double weight);
    void cellClicked(qint64 row, qint64 col);
    void stepRequested(int layers, int heads); // arrows: ±1 layer (up/down) or head (left/right)
    void viewChanged();
    void overviewReady(); // the head's overview arrived: colors are known, tiles drawable
    void colorsChanged(); // style() holds the colours now drawn (their range known)
    void rowNormalizationChanged(bool normalized);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void onViewChanged();
    void onTileReady(int level);
    void takeRangeFromOverview();
    void showColors();
    void relayout();
    void placeScaleBar();
    void paintSelectedCell(QPainter &painter) const;

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace attnscope
