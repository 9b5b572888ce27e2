// Dilated sliding window: a query keeps `size` keys on each side at distances 0, d, 2d, …
// (Beltagy et al. 2020, "Longformer", dilated sliding window).

#include "core/attention/selection_variant.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class DilatedVariant final : public SelectionVariant {
public:
    explicit DilatedVariant(const VariantParameters &values)
        : SelectionVariant(values), m_size(values.integer(QStringLiteral("size"))),
          m_dilation(values.integer(QStringLiteral("dilation"))) {}

    VariantCost cost(const AttentionShape &shape) const override
    {
        return sparseCost(shape, shape.causal ? double(m_size) : 2.0 * m_size - 1);
    }

protected:
    torch::Tensor keep(const ScoreBlock &block) const override
    {
        const torch::Tensor distance = keyDistances(block).abs();
        return (distance.remainder(m_dilation) == 0).logical_and(distance < m_size * m_dilation);
    }

private:
    int64_t m_size;
    int64_t m_dilation;
};

} // namespace

VariantInfo dilatedVariant()
{
    return describeVariant<DilatedVariant>(
        QStringLiteral("dilated"),
        QStringLiteral("dilated window: size keys per side spaced by dilation (Longformer, "
                       "Beltagy et al. 2020)"),
        {integerParameter(QStringLiteral("size"), 16, 1, 1 << 20,
                          QStringLiteral("keys per side, the query itself included")),
         integerParameter(QStringLiteral("dilation"), 2, 1, 1 << 16,
                          QStringLiteral("gap between kept keys"))});
}

} // namespace attnscope
