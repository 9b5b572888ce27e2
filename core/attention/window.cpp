// Sliding-window attention: a query keeps the keys within distance `size` of itself
// (|i − j| < size; causal models: the `size` most recent keys, itself included)
// (Beltagy et al. 2020, "Longformer"; Child et al. 2019).

#include "core/attention/selection_variant.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class WindowVariant final : public SelectionVariant {
public:
    explicit WindowVariant(const VariantParameters &values)
        : SelectionVariant(values), m_size(values.integer(QStringLiteral("size"))) {}

    VariantCost cost(const AttentionShape &shape) const override
    {
        return sparseCost(shape, shape.causal ? double(m_size) : 2.0 * m_size - 1);
    }

protected:
    torch::Tensor keep(const ScoreBlock &block) const override
    {
        return keyDistances(block).abs() < m_size;
    }

private:
    int64_t m_size;
};

} // namespace

VariantInfo windowVariant()
{
    return describeVariant<WindowVariant>(
        QStringLiteral("window"),
        QStringLiteral("sliding window: keys with |i−j| < size (Longformer, Beltagy et al. 2020)"),
        {integerParameter(QStringLiteral("size"), 64, 1, 1 << 20,
                          QStringLiteral("reach of the window (causal: keys kept per row)"))});
}

} // namespace attnscope
