#include "viz/figure/token_axis.h"

#include <algorithm>
#include <cmath>

#include <QFontMetricsF>

#include "viz/figure/axis_ticks.h"

namespace attnscope {

namespace {
constexpr double kLineShare = 0.9;    // a token fits a cell at least this share of a line tall
constexpr double kIndexSpacing = 2.5; // index labels at least this many lines apart
}

QString TokenAxis::text(const QStringList &labels, qint64 cell) const
{
    return tokens ? labels.at(int(cell)) : QString::number(cell);
}

TokenAxis chooseTokenAxis(const QStringList &labels, qint64 count, double cell, const QFont &base)
{
    TokenAxis axis;
    axis.font = base;
    const int basePoints = std::max(base.pixelSize(), FigurePage::kLeastFontPoints);
    if (count > 0 && labels.size() == count && cell > 0) {
        axis.tokens = true;
        for (int points = basePoints; points >= FigurePage::kLeastFontPoints; --points) {
            axis.font.setPixelSize(points);
            if (QFontMetricsF(axis.font).height() * kLineShare <= cell)
                return axis;
        }
        axis.step = qint64(std::ceil(QFontMetricsF(axis.font).height() * kLineShare / cell));
        if (axis.step <= kMostTokenStep)
            return axis;
    }
    axis.font = base;
    axis.tokens = false;
    axis.step = roundTickStep(kIndexSpacing * QFontMetricsF(base).height() / std::max(cell, 1e-9));
    return axis;
}

} // namespace attnscope
