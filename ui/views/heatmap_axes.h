#pragma once
// The axes of a heatmap: queries down the left edge, keys along the top. Each visible cell
// gets its token once cells are as tall as a line of text; otherwise cell indices stand at
// round steps.

#include <QStringList>

#include "ui/views/heatmap_viewport.h"
#include "viz/figure/axis_ticks.h"

class QPainter;

namespace attnscope {

struct HeatmapMargins {
    static constexpr int left = 96;
    static constexpr int top = 72;
    static constexpr int right = 8;
    static constexpr int bottom = 8;
};

void paintHeatmapAxes(QPainter &painter, const HeatmapViewport &viewport,
                      const QStringList &queryTokens, const QStringList &keyTokens);

} // namespace attnscope
