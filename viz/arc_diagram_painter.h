#pragma once
// One head as an arc diagram (after Dodrio, Wang et al. 2021): the tokens in a row, labels
// written upwards beneath it, and an arc from each query to each kept key, width and opacity
// following the weight. Arcs to earlier keys rise above the row, arcs to later keys hang below
// it (that half is left out when no kept edge goes forward, as in causal models); a token's
// attention to itself is a small loop. The scene's graph has one layer: the head. The
// viewport scrolls and zooms along the row; a chosen token's edges are drawn on top.

#include <QPainter>

#include "viz/graph_scene.h"
#include "viz/layered_graph_painter.h"

namespace attnscope {

class ArcDiagramGeometry {
public:
    ArcDiagramGeometry(const TokenGraphScene &scene, const GraphViewport &viewport, bool labels);
    double tokenX(double token) const;
    double baseline() const { return m_baseline; } // arcs to earlier keys rise from here
    double lowerBaseline() const { return m_lower; } // arcs to later keys hang from here
    double upperRoom() const;
    double lowerRoom() const;
    int firstVisibleToken() const { return m_first; }
    int lastVisibleToken() const { return m_last; }
    GraphNode nodeAt(const QPointF &pos) const; // column 1: the token as a query

private:
    GraphViewport m_viewport;
    int m_tokens = 0;
    double m_baseline = 0;
    double m_lower = 0;
    int m_first = 0;
    int m_last = -1;
};

bool hasForwardEdges(const TokenGraph &graph);

GraphViewport fitArcViewport(const TokenGraphScene &scene, const QRectF &area, const QFont &font);

GraphPaintStats paintArcDiagram(QPainter &painter, const TokenGraphScene &scene, const GraphViewport &viewport,
                                const Influence &influence, const GraphStyle &style);

} // namespace attnscope
