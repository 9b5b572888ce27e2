#pragma once
// A head's joint query–key map (AttentionViz, Yeh et al. 2023) as a figure: the sampled
// tokens' queries and keys in two colours on equal axes (PCA), one example's points marked
// (the one hovered in the view).

#include <cstdint>
#include <vector>

#include "ui/corpus/corpus_run_model.h"
#include "viz/figure/figure_content.h"

namespace attnscope {

class QueryKeyFigure : public FigureContent {
public:
    // `marked`: the example whose points are drawn larger (−1: none).
    QueryKeyFigure(QueryKeyPoints points, std::vector<int64_t> examples, int64_t marked, const QString &title);
    QString title() const override { return m_title; }
    void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const override;
    // The point nearest to `point` within `radius` (area units): its index in the map (queries
    // first, then keys), or −1.
    int pointAt(const QRectF &area, const FigureCanvas &canvas, const QPointF &point, double radius) const;

private:
    struct Mapping;
    Mapping mapping(const QRectF &area, const FigureCanvas &canvas) const;
    QueryKeyPoints m_points;
    std::vector<int64_t> m_examples; // of each query point
    int64_t m_marked;
    QString m_title;
};

} // namespace attnscope
