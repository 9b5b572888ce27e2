// 1.5-entmax: p = [z/2 − τ]₊², between softmax (α = 1) and sparsemax (α = 2), computed
// exactly by sorting (Peters, Niculae & Martins 2019, "Sparse Sequence-to-Sequence Models",
// Algorithm 2). For the k largest halved scores with mean μₖ and mean square sₖ:
// τₖ = μₖ − sqrt(max(0, (1 − k(sₖ − μₖ²)) / k)); the support is the largest k with τₖ ≤ z₍ₖ₎.

#include <torch/torch.h>

#include "core/attention/parameterized_variant.h"
#include "core/attention/score_block_math.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class EntmaxVariant final : public ParameterizedVariant {
public:
    using ParameterizedVariant::ParameterizedVariant;

    torch::Tensor probabilities(const ScoreBlock &block) const override
    {
        // τ ≥ max(z) − 1 after halving, so a masked key at max − 4 (−2 halved) never enters the support.
        const torch::Tensor z = maxShiftedScores(block, -4.0) / 2;
        const torch::Tensor sorted = std::get<0>(z.sort(-1, true));
        const torch::Tensor rank = torch::arange(1, z.size(-1) + 1, z.options());
        const torch::Tensor mean = sorted.cumsum(-1) / rank;
        const torch::Tensor meanSquare = sorted.square().cumsum(-1) / rank;
        const torch::Tensor delta = (1 - rank * (meanSquare - mean.square())) / rank;
        const torch::Tensor tau = mean - delta.clamp_min(0).sqrt();
        const torch::Tensor support = (tau <= sorted).sum(-1, true);
        const torch::Tensor tauStar = tau.gather(-1, support - 1);
        return (z - tauStar).clamp_min(0).square().masked_fill(block.allowed.logical_not(), 0);
    }

    VariantCost cost(const AttentionShape &shape) const override
    {
        return sortedDenseCost(shape);
    }
};

} // namespace

VariantInfo entmaxVariant()
{
    return describeVariant<EntmaxVariant>(
        QStringLiteral("entmax"),
        QStringLiteral("1.5-entmax, sparse and smoother than sparsemax (Peters et al. 2019)"),
        {});
}

} // namespace attnscope
