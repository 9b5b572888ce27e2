// Head ablation: remove what a head contributes (Michel et al. 2019, "Are Sixteen Heads
// Really Better than One?"). mode=zero: the head's output is zero (its probabilities are
// all zero, so ablating every head of a layer zeroes the layer's attention output).
// mode=mean: the head's output is replaced by its mean over positions — every row becomes
// the mean of the reference rows (in causal models the mean over rows 0…i, so no query
// reads the future).

#include <torch/torch.h>

#include "core/attention/parameterized_variant.h"
#include "core/attention/score_block_math.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class AblateVariant final : public ParameterizedVariant {
public:
    explicit AblateVariant(const VariantParameters &values)
        : ParameterizedVariant(values),
          m_mean(values.text(QStringLiteral("mode")) == QLatin1String("mean")) {}

    torch::Tensor probabilities(const ScoreBlock &block) const override
    {
        if (!m_mean)
            return torch::zeros_like(block.scores);
        const AttentionInputs &inputs = *block.inputs;
        const int64_t rows = block.allowed.size(0);
        const bool causal = inputs.causal;
        torch::Tensor sum = torch::zeros({block.scores.size(0), 1, block.scores.size(2)},
                                         block.scores.options());
        forEachRowChunk(block, causal ? block.rowBegin : inputs.queries(), [&](const ScoreBlock &chunk) {
            sum += referenceProbabilities(chunk).sum(1, true);
        });
        if (!causal)
            return (sum / double(inputs.queries())).expand({-1, rows, -1}).contiguous();
        const torch::Tensor running = sum + referenceProbabilities(block).cumsum(1);
        const torch::Tensor counts = torch::arange(block.rowBegin + 1, block.rowBegin + rows + 1,
                                                   block.scores.options());
        return running / counts.view({1, -1, 1});
    }

    VariantCost cost(const AttentionShape &shape) const override
    {
        return m_mean ? denseCost(shape) : VariantCost{};
    }

private:
    bool m_mean;
};

} // namespace

VariantInfo ablateVariant()
{
    return describeVariant<AblateVariant>(
        QStringLiteral("ablate"),
        QStringLiteral("remove the head: zero output, or its mean over positions "
                       "(Michel et al. 2019)"),
        {choiceParameter(QStringLiteral("mode"), {QStringLiteral("zero"), QStringLiteral("mean")},
                         QStringLiteral("zero: no output; mean: mean of the head's rows"))});
}

} // namespace attnscope
