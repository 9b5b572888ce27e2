// Top-p (nucleus) attention: each query keeps the fewest keys whose softmax mass reaches p,
// then renormalizes — the adaptive budget of Twilight (Lin et al. 2025, "Twilight: Adaptive
// Attention Sparsity with Hierarchical Top-p Pruning").


#include "core/attention/selection_variant.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class ToppVariant final : public SelectionVariant {
public:
    explicit ToppVariant(const VariantParameters &values)
        : SelectionVariant(values), m_p(values.real(QStringLiteral("p"))) {}

    VariantCost cost(const AttentionShape &shape) const override
    {
        return sortedDenseCost(shape);
    }

protected:
    torch::Tensor keep(const ScoreBlock &block) const override
    {
        const auto [sorted, order] = referenceProbabilities(block).sort(-1, true);
        // A key is kept while the mass strictly before it is still below p.
        const torch::Tensor keptSorted = (sorted.cumsum(-1) - sorted) < m_p;
        return torch::zeros_like(keptSorted).scatter_(-1, order, keptSorted);
    }

private:
    double m_p;
};

} // namespace

VariantInfo toppVariant()
{
    return describeVariant<ToppVariant>(
        QStringLiteral("topp"),
        QStringLiteral("nucleus: fewest keys holding mass ≥ p per row, renormalized "
                       "(Twilight, Lin et al. 2025)"),
        {realParameter(QStringLiteral("p"), 0.9, 0.001, 1,
                       QStringLiteral("attention mass each row keeps"))});
}

} // namespace attnscope
