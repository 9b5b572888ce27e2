// PowerAttention: a query keeps the keys at power-of-two distances (1, 2, 4, 8, …), a local
// window and the first tokens, so the receptive field doubles with every layer
// (Chen et al. 2025, "PowerAttention: Exponentially Scaling of Receptive Fields for
// Effective Sparse Attention"; token-level form of the paper's block pattern).

#include <cmath>

#include "core/attention/selection_variant.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class PowerVariant final : public SelectionVariant {
public:
    explicit PowerVariant(const VariantParameters &values)
        : SelectionVariant(values), m_window(values.integer(QStringLiteral("window"))),
          m_sinks(values.integer(QStringLiteral("sinks"))) {}

    VariantCost cost(const AttentionShape &shape) const override
    {
        const double sides = shape.causal ? 1 : 2;
        const double powers = std::log2(double(shape.keys) + 1);
        return sparseCost(shape, double(m_sinks) + sides * (double(m_window) + powers));
    }

protected:
    torch::Tensor keep(const ScoreBlock &block) const override
    {
        const torch::Tensor distance = keyDistances(block).abs();
        const torch::Tensor powerOfTwo =
            (distance > 0).logical_and(distance.bitwise_and(distance - 1) == 0);
        const torch::Tensor keys = torch::arange(block.scores.size(-1), torch::kInt64);
        return powerOfTwo.logical_or(distance < m_window).logical_or(keys < m_sinks);
    }

private:
    int64_t m_window;
    int64_t m_sinks;
};

} // namespace

VariantInfo powerVariant()
{
    return describeVariant<PowerVariant>(
        QStringLiteral("power"),
        QStringLiteral("keys at power-of-two distances + local window + sinks (PowerAttention, "
                       "Chen et al. 2025)"),
        {integerParameter(QStringLiteral("window"), 1, 1, 1 << 20,
                          QStringLiteral("local reach (1 = the query itself)")),
         integerParameter(QStringLiteral("sinks"), 1, 0, 1 << 20,
                          QStringLiteral("initial tokens every query keeps"))});
}

} // namespace attnscope
