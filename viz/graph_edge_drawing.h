#pragma once
// Level of detail and batched stroking shared by the token graph painters. The painters
// offer the edges that survive culling; the strongest levels are taken first until the edge
// budget is spent (weaker levels are dropped), an edge landing on the pixels of a stronger one
// is merged into it, and each level is stroked with one pen, weakest first so that strong
// edges stay on top. With a highlight, the other edges fade and the highlighted ones are
// stroked last in the highlight color.

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include <QLineF>
#include <QPainterPath>

#include "viz/graph_scene.h"

class QPainter;

namespace attnscope {

struct EdgeShape {
    QLineF line;        // straight edges
    QPainterPath curve; // arcs (used when not empty)
    uint64_t pixelKey = 0; // equal keys = the same pixels; the weaker edge is merged
};

class EdgeDrawing {
public:
    // clip: the drawing's area (straight edges are cut to it); tokenPixels: the zoom.
    EdgeDrawing(const TokenGraphScene &scene, const GraphStyle &style, const QRectF &clip, double tokenPixels);

    void offer(uint32_t edge) { m_offered[m_scene.levels[edge]].push_back(edge); }
    void cull() { ++m_stats.culledEdges; }
    // Offers the edges with an end in tokens first … last and culls the rest (layered and arc
    // drawings, whose token axis scrolls).
    void offerEdgesTouching(int first, int last);
    // highlighted: null when nothing is highlighted; otherwise per edge, non-zero = on a path.
    GraphPaintStats draw(QPainter &painter, const std::function<EdgeShape(uint32_t)> &shapeOf,
                         const std::vector<char> *highlighted);

    double levelWidth(int level) const;

private:
    const TokenGraphScene &m_scene;
    const GraphStyle &m_style;
    QRectF m_clip;
    double m_maxWidth;
    double m_minWidth;
    std::array<std::vector<uint32_t>, kWeightLevels> m_offered;
    GraphPaintStats m_stats;
};

// The pixel key of a straight edge between two rounded points on the token axis.
uint64_t pixelKeyOf(int group, double from, double to);

} // namespace attnscope
