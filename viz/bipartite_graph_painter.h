#pragma once
// One head as a bipartite graph (as in BertViz's head view): the queries in a column on the
// left, the keys in a column on the right, a line from each query to each kept key, width and
// opacity following the weight. With a sentence pair, an empty row separates the sentences in
// both columns, labels of the second sentence take their own color, and a filter keeps the
// edges from one sentence to the other. The scene's graph has one layer: the head.

#include <QPainter>

#include "viz/graph_scene.h"
#include "viz/layered_graph_painter.h"

namespace attnscope {

enum class PairFilter { All, AToA, AToB, BToA, BToB };
QStringList pairFilterNames(); // "all", "A→A", "A→B", "B→A", "B→B"
bool pairFilterKeeps(PairFilter filter, int querySegment, int keySegment);

class BipartiteGeometry {
public:
    static constexpr double kHeaderHeight = 20;

    BipartiteGeometry(const TokenGraphScene &scene, const GraphViewport &viewport);
    double queryX() const;
    double keyX() const;
    double tokenY(int token) const; // the same row in both columns
    GraphNode nodeAt(const QPointF &pos) const; // column 1 = a query, 0 = a key
    bool rowVisible(int token) const;
    // Rows on the token axis: the tokens, plus the one between the sentences of a pair.
    static int rows(const TokenGraphScene &scene);

private:
    double row(int token) const;

    const TokenGraphScene &m_scene;
    GraphViewport m_viewport;
    int m_firstB = -1; // first token of the second sentence
};

GraphViewport fitBipartiteViewport(const TokenGraphScene &scene, const QRectF &area, const QFont &font);

GraphPaintStats paintBipartiteGraph(QPainter &painter, const TokenGraphScene &scene, const GraphViewport &viewport,
                                    PairFilter filter, const Influence &influence, const GraphStyle &style);

} // namespace attnscope
