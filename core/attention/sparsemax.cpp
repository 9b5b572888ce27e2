// Sparsemax: the Euclidean projection of the scores onto the probability simplex,
// p = max(z − τ, 0), which gives exact zeros (Martins & Astudillo 2016, "From Softmax to
// Sparsemax"). τ from the sorted scores: k(z) = max{k : 1 + k·z₍ₖ₎ > Σ_{j≤k} z₍ⱼ₎},
// τ = (Σ_{j≤k(z)} z₍ⱼ₎ − 1) / k(z).

#include <torch/torch.h>

#include "core/attention/parameterized_variant.h"
#include "core/attention/score_block_math.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class SparsemaxVariant final : public ParameterizedVariant {
public:
    using ParameterizedVariant::ParameterizedVariant;

    torch::Tensor probabilities(const ScoreBlock &block) const override
    {
        // τ ≥ max(z) − 1, so a masked key placed at max − 2 never enters the support.
        const torch::Tensor z = maxShiftedScores(block, -2.0);
        const torch::Tensor sorted = std::get<0>(z.sort(-1, true));
        const torch::Tensor cumulative = sorted.cumsum(-1);
        const torch::Tensor rank = torch::arange(1, z.size(-1) + 1, z.options());
        const torch::Tensor support = (1 + rank * sorted > cumulative).sum(-1, true);
        const torch::Tensor tau = (cumulative.gather(-1, support - 1) - 1) / support.to(z.scalar_type());
        return (z - tau).clamp_min(0).masked_fill(block.allowed.logical_not(), 0);
    }

    VariantCost cost(const AttentionShape &shape) const override
    {
        return sortedDenseCost(shape);
    }
};

} // namespace

VariantInfo sparsemaxVariant()
{
    return describeVariant<SparsemaxVariant>(
        QStringLiteral("sparsemax"),
        QStringLiteral("Euclidean projection onto the simplex, exact zeros "
                       "(Martins & Astudillo 2016)"),
        {});
}

} // namespace attnscope
