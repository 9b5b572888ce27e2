#pragma once
// The layered token graph drawn with QPainter: one column of token nodes per layer boundary,
// inputs on the left (column 0) and outputs on the right (column L), edges from each query
// node to the key nodes of the column before it, their width and opacity following the
// weight. Tokens run down the columns; the viewport scrolls and zooms along them. Level of
// detail: edges outside the visible rows are culled, edges on the same pixels merged, the
// weakest levels dropped beyond the edge budget, node dots and token labels drawn only when
// the rows are tall enough. A chosen node's paths of influence are drawn on top.

#include <QPainter>

#include "viz/graph_scene.h"

namespace attnscope {

struct GraphNode {
    int column = -1; // 0 … L (layered graph); 0 for the other drawings
    int token = -1;
    bool isValid() const { return token >= 0; }
    bool operator==(const GraphNode &other) const { return column == other.column && token == other.token; }
};

class LayeredGraphGeometry {
public:
    static constexpr double kHeaderHeight = 20; // the column titles

    LayeredGraphGeometry(const TokenGraphScene &scene, const GraphViewport &viewport);
    double columnX(int column) const;
    double tokenY(double token) const;
    int firstVisibleToken() const { return m_first; }
    int lastVisibleToken() const { return m_last; }
    // The node under `pos`: near a column, or on a label of the first or last column.
    GraphNode nodeAt(const QPointF &pos) const;

private:
    GraphViewport m_viewport;
    int m_columns = 1;
    int m_tokens = 0;
    int m_first = 0;
    int m_last = -1;
};

// Every token in `area`, with room for the labels in `font`.
GraphViewport fitLayeredViewport(const TokenGraphScene &scene, const QRectF &area, const QFont &font);

// "in", "L0", "L1", …: column c holds the tokens after layer c − 1.
QString layeredColumnTitle(int column);

GraphPaintStats paintLayeredGraph(QPainter &painter, const TokenGraphScene &scene, const GraphViewport &viewport,
                                  const Influence &influence, const GraphStyle &style);

} // namespace attnscope
