#pragma once
// Where axes put their ticks: index steps of 1, 2, 5 × 10^k for token axes, and round values
// for a colorbar's scale (linear, gamma) or powers of ten (log).

#include <vector>

#include <QString>
#include <QtGlobal>

#include "viz/value_scale.h"

namespace attnscope {

// The smallest of 1, 2, 5 × 10^k that is at least `cells` (and at least 1).
qint64 roundTickStep(double cells);

// Values of `scale`'s range to label, about `wanted` of them, each within the range.
std::vector<double> scaleTicks(const ValueScale &scale, int wanted = 5);

// The shortest text for tick value v among ticks `step` apart (0.25, 1e-03, 12).
QString tickLabel(double value, double step);

} // namespace attnscope
