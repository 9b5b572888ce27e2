#pragma once
// The axes of a heatmap: queries down the left edge, keys along the top (turned upright),
// each right against the matrix. Tokens are shown whenever they can be read: every cell's
// token in the widget's font, or a smaller one down to kMinLabelPixels; then every n-th
// token (n ≤ kMaxTokenStep); only then cell indices at round steps. A token longer than its
// band ends in an ellipsis.

#include <vector>

#include <QFont>
#include <QStringList>

#include "ui/views/heatmap_viewport.h"
#include "viz/figure/axis_ticks.h"

class QPainter;

namespace attnscope {

constexpr int kMinLabelPixels = 7;  // the smallest label font, in pixels
constexpr qint64 kMaxTokenStep = 3; // tokens on every third cell at most, indices beyond

// The space around the plot: left and top hold the labels (as wide as the longest token
// needs, within a share of the widget), right the colour scale.
struct HeatmapMargins {
    int left = 0;
    int top = 0;
    int right = 0;
    int bottom = 8;
};
// The widest label an axis of `count` cells may need in `font`: its longest token, or its
// largest index. Measuring thousands of tokens takes milliseconds: views keep the result.
double widestAxisLabel(const QStringList &tokens, qint64 count, const QFont &font);
HeatmapMargins heatmapMargins(double widestQueryLabel, double widestKeyLabel, const QSize &widget, int rightSpace);

struct AxisLabel {
    qint64 cell = 0;
    QString text;  // as drawn (elided)
    QRectF box;    // the label's extent in widget pixels (tall and narrow for an upright key)
};

struct AxisLabels {
    QFont font;
    bool tokens = false; // tokens, or cell indices
    qint64 step = 1;     // a label every step-th cell
    std::vector<AxisLabel> labels;
};

struct HeatmapAxes {
    AxisLabels rows;    // queries
    AxisLabels columns; // keys
};

// The labels of the visible cells; `font` is the widget's.
HeatmapAxes layoutHeatmapAxes(const HeatmapViewport &viewport, const QStringList &queryTokens,
                              const QStringList &keyTokens, const QFont &font);
void paintHeatmapAxes(QPainter &painter, const HeatmapAxes &axes);

} // namespace attnscope
