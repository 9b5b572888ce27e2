// Strided attention: a query keeps the keys closer than `stride` and every key at a multiple
// of `stride` from it (Child et al. 2019, "Generating Long Sequences with Sparse
// Transformers", strided pattern).

#include "core/attention/selection_variant.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class StridedVariant final : public SelectionVariant {
public:
    explicit StridedVariant(const VariantParameters &values)
        : SelectionVariant(values), m_stride(values.integer(QStringLiteral("stride"))) {}

    VariantCost cost(const AttentionShape &shape) const override
    {
        const double local = shape.causal ? double(m_stride) : 2.0 * m_stride - 1;
        return sparseCost(shape, local + double(shape.keys) / double(m_stride));
    }

protected:
    torch::Tensor keep(const ScoreBlock &block) const override
    {
        const torch::Tensor distance = keyDistances(block).abs();
        return (distance < m_stride).logical_or(distance.remainder(m_stride) == 0);
    }

private:
    int64_t m_stride;
};

} // namespace

VariantInfo stridedVariant()
{
    return describeVariant<StridedVariant>(
        QStringLiteral("strided"),
        QStringLiteral("local window + every stride-th key (Sparse Transformer, Child et al. 2019)"),
        {integerParameter(QStringLiteral("stride"), 8, 1, 1 << 20,
                          QStringLiteral("window reach and spacing of the strided keys"))});
}

} // namespace attnscope
