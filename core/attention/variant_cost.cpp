#include "core/attention/variant_cost.h"

#include <algorithm>
#include <cmath>

namespace attnscope {

double AttentionShape::visiblePairs() const
{
    return pairsWithAtMost(double(keys));
}

double AttentionShape::pairsWithAtMost(double perRow) const
{
    const double t = double(queries);
    const double s = double(keys);
    const double cap = std::min(perRow, s);
    if (!causal)
        return t * cap;
    // Query i (0-based) sees min(i + 1 + S - T, cap) keys.
    double pairs = 0;
    for (int64_t i = 0; i < queries; ++i)
        pairs += std::min(double(i) + 1 + s - t, cap);
    return pairs;
}

VariantCost pairwiseCost(const AttentionShape &shape, double pairs, double extraFlops,
                         double workingFloats)
{
    const double d = double(shape.headDim);
    const double dv = double(shape.valueDim);
    const double t = double(shape.queries);
    const double s = double(shape.keys);
    VariantCost cost;
    // q·k (2d), exp + sum + divide (≈ 3), p·v (2dv) per pair.
    cost.flops = pairs * (2 * d + 3 + 2 * dv) + extraFlops;
    cost.bytes = 4 * (t * d + s * d + s * dv + t * dv + workingFloats);
    return cost;
}

VariantCost denseCost(const AttentionShape &shape)
{
    return pairwiseCost(shape, shape.visiblePairs(), 0, double(shape.queries) * shape.keys);
}

VariantCost sortedDenseCost(const AttentionShape &shape)
{
    VariantCost cost = denseCost(shape);
    cost.flops += shape.visiblePairs() * std::log2(double(shape.keys) + 1);
    return cost;
}

VariantCost sparseCost(const AttentionShape &shape, double keysPerRow, double extraFlops)
{
    return pairwiseCost(shape, shape.pairsWithAtMost(keysPerRow), extraFlops,
                        double(shape.queries) * std::min(keysPerRow, double(shape.keys)));
}

} // namespace attnscope
