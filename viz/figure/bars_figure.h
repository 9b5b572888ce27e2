#pragma once
// Bars labelled with their entries (tokens, words, streams) under a value axis: one token's
// attention row, a per-token relevance, a per-layer logit share. Signed values grow from 0 up
// or down; one entry can stand out in another colour (the token the row belongs to).

#include <utility>
#include <vector>

#include <QStringList>

#include "viz/figure/figure_content.h"

namespace attnscope {

struct BarsFigureData {
    std::vector<std::pair<int, double>> bars; // (entry, value), drawn in this order
    QStringList labels;                       // the text of each entry
    int highlighted = -1;                     // the entry drawn in the accent colour
    QString title;
    QString entryAxis;                        // under the bars, e.g. "key"
    QString valueAxis;                        // along the value axis, unit included
};

class BarsFigure : public FigureContent {
public:
    explicit BarsFigure(BarsFigureData data) : m_data(std::move(data)) {}
    QString title() const override { return m_data.title; }
    void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const override;

private:
    BarsFigureData m_data;
};

// The bars of `values` (one per entry), all of them up to `most`, else the `most` largest in
// magnitude, in entry order.
std::vector<std::pair<int, double>> strongestBars(const std::vector<double> &values, int most);

} // namespace attnscope
