#pragma once
// Curves over one shared x axis, each in its own panel with its own value axis, stacked: the
// pruning curve's loss above its agreement, against the number of heads masked.

#include <vector>

#include <QString>

#include "viz/figure/figure_content.h"

namespace attnscope {

struct Curve {
    QString label;             // its value axis, unit included
    std::vector<double> values; // one per x
};

struct CurvesFigureData {
    std::vector<double> x;
    QString xLabel;
    std::vector<Curve> curves;
    QString title;
};

class CurvesFigure : public FigureContent {
public:
    explicit CurvesFigure(CurvesFigureData data) : m_data(std::move(data)) {}
    QString title() const override { return m_data.title; }
    void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const override;

private:
    CurvesFigureData m_data;
};

} // namespace attnscope
