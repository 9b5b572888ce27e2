// Reference softmax with a temperature: softmax(s / τ). τ = 1 is the model's own attention;
// τ < 1 sharpens, τ > 1 flattens.

#include "core/attention/parameterized_variant.h"
#include "core/attention/score_block_math.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class SoftmaxVariant final : public ParameterizedVariant {
public:
    explicit SoftmaxVariant(const VariantParameters &values)
        : ParameterizedVariant(values), m_temperature(values.real(QStringLiteral("temperature"))) {}

    torch::Tensor probabilities(const ScoreBlock &block) const override
    {
        return softmaxWhere(block.scores / m_temperature, block.allowed);
    }

    VariantCost cost(const AttentionShape &shape) const override { return denseCost(shape); }

private:
    double m_temperature;
};

} // namespace

VariantInfo softmaxVariant()
{
    return describeVariant<SoftmaxVariant>(
        QStringLiteral("softmax"),
        QStringLiteral("reference softmax(s/τ) (Vaswani et al. 2017); τ=1 is the model itself"),
        {realParameter(QStringLiteral("temperature"), 1, 0.01, 100,
                       QStringLiteral("τ: below 1 sharpens, above 1 flattens"))});
}

} // namespace attnscope
