#include "viz/value_scale.h"

#include <algorithm>
#include <cmath>

namespace attnscope {

QStringList scaleKindNames()
{
    return {QStringLiteral("linear"), QStringLiteral("log"), QStringLiteral("gamma")};
}

std::optional<ScaleKind> scaleKindFromName(const QString &name)
{
    const int index = int(scaleKindNames().indexOf(name.trimmed().toLower()));
    if (index < 0)
        return std::nullopt;
    return ScaleKind(index);
}

QString scaleKindName(ScaleKind kind) { return scaleKindNames().at(int(kind)); }

double ValueScale::map(double value) const
{
    if (std::isnan(value))
        return value;
    double t = 0.0;
    if (kind == ScaleKind::Log) {
        const double low = std::max(range.low, logFloor);
        const double high = range.high;
        if (!(high > low))
            return 0.0;
        t = (std::log(std::max(value, low)) - std::log(low)) / (std::log(high) - std::log(low));
    } else {
        const double width = range.high - range.low;
        if (!(width > 0.0))
            return 0.0;
        t = (value - range.low) / width;
    }
    t = std::clamp(t, 0.0, 1.0);
    return kind == ScaleKind::Gamma ? std::pow(t, gamma) : t;
}

} // namespace attnscope
