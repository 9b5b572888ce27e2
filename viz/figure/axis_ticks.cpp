#include "viz/figure/axis_ticks.h"

#include <algorithm>
#include <cmath>

namespace attnscope {

namespace {

// The smallest of 1, 2, 5 × 10^k at least `span` (real-valued, for colorbar steps).
double roundStep(double span)
{
    const double power = std::pow(10.0, std::floor(std::log10(span)));
    for (double multiple : {1.0, 2.0, 5.0})
        if (multiple * power >= span * (1 - 1e-9))
            return multiple * power;
    return 10.0 * power;
}

} // namespace

qint64 roundTickStep(double cells)
{
    if (!(cells > 1.0))
        return 1;
    return qint64(std::llround(std::max(1.0, roundStep(cells))));
}

std::vector<double> scaleTicks(const ValueScale &scale, int wanted)
{
    const double low = scale.range.low, high = scale.range.high;
    if (!(high > low) || !std::isfinite(low) || !std::isfinite(high))
        return {low};
    std::vector<double> ticks;
    if (scale.kind == ScaleKind::Log) {
        const double floor = std::max(low, scale.logFloor);
        if (!(high > floor))
            return {high};
        for (double e = std::ceil(std::log10(floor)); e <= std::floor(std::log10(high)) + 1e-9; e += 1)
            ticks.push_back(std::pow(10.0, e));
        if (ticks.empty())
            ticks = {floor, high};
        return ticks;
    }
    const double step = roundStep((high - low) / std::max(1, wanted));
    // Multiples of the step, each computed afresh so that errors do not add up.
    for (int64_t k = int64_t(std::ceil(low / step - 1e-9)); double(k) * step <= high + step * 1e-9; ++k)
        ticks.push_back(double(k) * step);
    return ticks;
}

QString tickLabel(double value, double step)
{
    if (value == 0)
        return QStringLiteral("0");
    const double magnitude = std::abs(value);
    if (magnitude >= 1e4 || magnitude < 1e-3)
        return QString::number(value, 'e', 0);
    const int decimals = step >= 1 ? 0 : int(std::ceil(-std::log10(step) - 1e-9));
    return QString::number(value, 'f', std::clamp(decimals, 0, 6));
}

} // namespace attnscope
