#pragma once
// How a value becomes a position t ∈ [0, 1] on a colormap: linear, log (with a floor, since
// attention weights reach 0) or gamma, over a range fixed by the user or taken from the data.

#include <optional>

#include <QString>
#include <QStringList>

namespace attnscope {

enum class ScaleKind { Linear, Log, Gamma };

QStringList scaleKindNames(); // "linear", "log", "gamma"
std::optional<ScaleKind> scaleKindFromName(const QString &name);
QString scaleKindName(ScaleKind kind);

struct ValueRange {
    double low = 0.0;
    double high = 1.0;
};

struct ValueScale {
    ScaleKind kind = ScaleKind::Linear;
    ValueRange range;
    double gamma = 0.5;      // Gamma: t = ((v − low) / (high − low))^gamma, < 1 lifts small weights
    double logFloor = 1e-6;  // Log: values under max(low, logFloor) sit at the bottom

    // t ∈ [0, 1], clamped; NaN stays NaN. A range of zero width maps everything to 0.
    double map(double value) const;
};

} // namespace attnscope
