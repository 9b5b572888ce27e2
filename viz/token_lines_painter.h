#pragma once
// The lines view drawing (bertviz's head view): the tokens twice, queries on the left and keys
// on the right, and for each chosen head of a layer a line from a query to each key it attends
// to, in the head's color with opacity = weight. Hovering a token keeps only its lines. With a
// sentence pair an empty row separates the sentences and a filter keeps one direction.

#include <functional>
#include <vector>

#include <QColor>
#include <QFont>
#include <QRectF>
#include <QStringList>
#include <torch/types.h>

#include "viz/bipartite_graph_painter.h"

class QPainter;

namespace attnscope {

// One head's lines: per query, the kept keys (weight ≥ minWeight, the strongest maxPerQuery).
struct HeadLines {
    int head = 0;
    QColor color;
    std::vector<std::vector<std::pair<int, float>>> keysOf; // [T] → (key, weight)
};

// probabilities: [T, S] of one head.
HeadLines headLinesOf(const torch::Tensor &probabilities, int head, const QColor &color, double minWeight = 0.01,
                      int maxPerQuery = 32);

// Distinct colors for heads 0 … count − 1.
QColor headColor(int head, int count);

class TokenLinesGeometry {
public:
    static constexpr double kHeaderHeight = 22;
    static constexpr double kRowHeight = 18;

    // segments: per token 0 (A) or 1 (B); may be empty. A figure sets its rows to its font;
    // the view keeps the defaults.
    TokenLinesGeometry(const QRectF &area, const std::vector<int> &segments, int tokens, double labelWidth,
                       double rowHeight = kRowHeight, double headerHeight = kHeaderHeight);
    double height() const; // what the drawing needs: header + rows
    double rowHeight() const { return m_rowHeight; }
    double headerHeight() const { return m_headerHeight; }
    double labelWidth() const { return m_labelWidth; } // room of a label, its 4-point gap included
    double queryX() const;
    double keyX() const;
    double tokenY(int token) const;
    // The token under pos: side 1 = a query (left), 0 = a key (right); {-1, -1} = none.
    std::pair<int, int> tokenAt(const QPointF &pos) const;

private:
    int row(int token) const;

    QRectF m_area;
    int m_tokens = 0;
    int m_firstB = -1;
    double m_labelWidth = 0;
    double m_rowHeight = kRowHeight;
    double m_headerHeight = kHeaderHeight;
};

struct LinesFocus {
    int side = -1; // 1 = a query's lines, 0 = the lines into a key, -1 = every line
    int token = -1;
};

// Calls shown(head, query, key, weight) for every line the focus and the filter keep.
void forEachShownLine(const std::vector<HeadLines> &heads, const std::vector<int> &segments, PairFilter filter,
                      const LinesFocus &focus, const std::function<void(const HeadLines &, int, int, float)> &shown);

void paintTokenLines(QPainter &painter, const TokenLinesGeometry &geometry, const QStringList &labels,
                     const std::vector<int> &segments, const std::vector<HeadLines> &heads, PairFilter filter,
                     const LinesFocus &focus, const QFont &font, const QRectF &exposed);

} // namespace attnscope
