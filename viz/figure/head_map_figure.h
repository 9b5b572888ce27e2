#pragma once
// The heads' map as a figure (head distances, Clark et al. 2019): every head a point of the
// 2-D MDS embedding of their distances, coloured by layer, on axes of equal scale that cover
// every point with a margin; each point named "L2H4" while the names stay legible.

#include <vector>

#include <QPointF>

#include "viz/figure/figure_content.h"

namespace attnscope {

struct HeadMapFigureData {
    std::vector<QPointF> points; // [layer · heads + head]
    int heads = 1;
    QString title;
    QString axisUnit;            // what a unit along either axis is, e.g. "JS distance (bits)"
};

class HeadMapFigure : public FigureContent {
public:
    explicit HeadMapFigure(HeadMapFigureData data) : m_data(std::move(data)) {}
    QString title() const override { return m_data.title; }
    std::optional<FigureColorbar> colorbar() const override;
    std::optional<QRectF> plotRect(const QRectF &area, const FigureCanvas &canvas) const override;
    void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const override;

private:
    struct Frame;
    Frame frameIn(const QRectF &area, const FigureCanvas &canvas) const;
    int layers() const;

    HeadMapFigureData m_data;
};

} // namespace attnscope
