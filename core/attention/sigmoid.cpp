// Sigmoid attention: p_ij = σ(s_ij − log n) with n the number of keys, each key weighted on
// its own (Ramapuram et al. 2025, "Theory, Analysis, and Best Practices for Sigmoid
// Self-Attention"). Rows are NOT normalized: their sums show how much the head reads.

#include <cmath>

#include <torch/torch.h>

#include "core/attention/parameterized_variant.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class SigmoidVariant final : public ParameterizedVariant {
public:
    using ParameterizedVariant::ParameterizedVariant;

    torch::Tensor probabilities(const ScoreBlock &block) const override
    {
        const double bias = -std::log(double(block.scores.size(-1)));
        return torch::sigmoid(block.scores + bias); // σ(−∞) = 0 where !allowed
    }

    VariantCost cost(const AttentionShape &shape) const override { return denseCost(shape); }
};

} // namespace

VariantInfo sigmoidVariant()
{
    return describeVariant<SigmoidVariant>(
        QStringLiteral("sigmoid"),
        QStringLiteral("σ(s − log n) per key, rows not normalized (Ramapuram et al. 2025)"),
        {});
}

} // namespace attnscope
