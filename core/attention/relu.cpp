// Normalized ReLU attention: p = relu(s) / Σ relu(s) (cf. Wortsman et al. 2023, "Replacing
// Softmax with ReLU in Vision Transformers", which divides by the length instead). Rows
// with no positive score have nothing to weigh and stay all zero.

#include <torch/torch.h>

#include "core/attention/parameterized_variant.h"
#include "core/attention/score_block_math.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class ReluVariant final : public ParameterizedVariant {
public:
    using ParameterizedVariant::ParameterizedVariant;

    torch::Tensor probabilities(const ScoreBlock &block) const override
    {
        return normalizeRows(torch::relu(block.scores)); // relu(−∞) = 0 where !allowed
    }

    VariantCost cost(const AttentionShape &shape) const override { return denseCost(shape); }
};

} // namespace

VariantInfo reluVariant()
{
    return describeVariant<ReluVariant>(
        QStringLiteral("relu"),
        QStringLiteral("relu(s) normalized per row; rows without a positive score are zero "
                       "(cf. Wortsman et al. 2023)"),
        {});
}

} // namespace attnscope
