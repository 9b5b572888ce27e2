#pragma once
// How a value becomes a position t ∈ [0, 1] on a colormap: linear, log (with a floor, since
// attention weights reach 0) or gamma, over a range fixed by the user or taken from the data.

#include <optional>

#include <QString>
#include <QStringList>
#include <torch/types.h>

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

// Smallest and largest finite value where masked is false (masked: optional bool tensor of the
// same shape). {0, 1} when nothing qualifies.
ValueRange dataRange(const torch::Tensor &values, const torch::Tensor &masked = {});

// [−m, m] with m the largest finite |value|, so that 0 sits at the middle of a diverging map.
ValueRange symmetricRange(const torch::Tensor &values, const torch::Tensor &masked = {});

// Each row divided by its largest |value| over unmasked cells (rows of zeros stay zero), so
// that a diffuse row shows its structure as clearly as a peaked one. Float32 result.
torch::Tensor normalizeRows(const torch::Tensor &values, const torch::Tensor &masked = {});

} // namespace attnscope
