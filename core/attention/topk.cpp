// Top-k attention: each query keeps its k highest-scoring allowed keys and renormalizes
// softmax over them (Gupta et al. 2021, "Memory-efficient Transformers via Top-k Attention").
// Rows with fewer than k allowed keys keep them all.

#include <cmath>

#include "core/attention/selection_variant.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class TopkVariant final : public SelectionVariant {
public:
    explicit TopkVariant(const VariantParameters &values)
        : SelectionVariant(values), m_k(values.integer(QStringLiteral("k"))) {}

    VariantCost cost(const AttentionShape &shape) const override
    {
        // Every score is still computed to choose the k largest.
        const double pairs = shape.visiblePairs();
        return sparseCost(shape, double(m_k),
                          pairs * (2.0 * shape.headDim + std::log2(double(m_k) + 1)));
    }

protected:
    torch::Tensor keep(const ScoreBlock &block) const override
    {
        return topkMask(block.scores, m_k);
    }

private:
    int64_t m_k;
};

} // namespace

VariantInfo topkVariant()
{
    return describeVariant<TopkVariant>(
        QStringLiteral("topk"),
        QStringLiteral("keep the k highest scores per row, renormalized (Gupta et al. 2021)"),
        {integerParameter(QStringLiteral("k"), 8, 1, 1 << 20,
                          QStringLiteral("keys kept per query row"))});
}

} // namespace attnscope
