// Differential attention preview: A_h − λ·A_g with g a partner head of the same layer,
// g = (h + partner) mod H. An emulation on a model trained with plain softmax — NOT a trained
// Differential Transformer (Ye et al. 2025, "Differential Transformer"), where both maps come
// from split query/key halves learned for it. Rows sum to 1 − λ and entries may be negative.

#include <torch/torch.h>

#include "core/attention/parameterized_variant.h"
#include "core/attention/score_block_math.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class DiffVariant final : public ParameterizedVariant {
public:
    explicit DiffVariant(const VariantParameters &values)
        : ParameterizedVariant(values), m_partner(values.integer(QStringLiteral("partner"))),
          m_lambda(values.real(QStringLiteral("lambda"))) {}

    torch::Tensor probabilities(const ScoreBlock &block) const override
    {
        const AttentionInputs &inputs = *block.inputs;
        const torch::Tensor partners = (block.heads + m_partner).remainder(inputs.heads());
        const ScoreBlock partner =
            scoreRows(inputs, partners, block.rowBegin, block.rowBegin + block.allowed.size(0));
        return referenceProbabilities(block) - m_lambda * referenceProbabilities(partner);
    }

    VariantCost cost(const AttentionShape &shape) const override
    {
        VariantCost twoMaps = denseCost(shape);
        twoMaps.flops *= 2;
        return twoMaps;
    }

private:
    int64_t m_partner;
    double m_lambda;
};

} // namespace

VariantInfo diffVariant()
{
    return describeVariant<DiffVariant>(
        QStringLiteral("diff"),
        QStringLiteral("EMULATION of differential attention A_h − λ·A_(h+partner), not a trained "
                       "Diff Transformer (Ye et al. 2025)"),
        {integerParameter(QStringLiteral("partner"), 1, 0, 4096,
                          QStringLiteral("partner head offset: g = (h + partner) mod heads")),
         realParameter(QStringLiteral("lambda"), 0.5, 0, 1,
                       QStringLiteral("weight λ of the partner map"))});
}

} // namespace attnscope
