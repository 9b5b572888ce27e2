// Attention steering: in the chosen heads, scale the attention to every key outside the
// highlighted tokens by α and renormalize, so the head reads the highlight more
// (Zhang et al. 2024, "Tell Your Model Where to Attend: Post-hoc Attention Steering for
// LLMs", PASTA). α = 1 is the reference; choose the heads with @heads=….

#include <torch/torch.h>

#include "core/attention/parameterized_variant.h"
#include "core/attention/score_block_math.h"
#include "core/attention/variant_registry.h"
#include "core/io/input_error.h"

namespace attnscope {

namespace {

class SteerVariant final : public ParameterizedVariant {
public:
    explicit SteerVariant(const VariantParameters &values)
        : ParameterizedVariant(values), m_alpha(values.real(QStringLiteral("alpha"))),
          m_highlight(values.indices(QStringLiteral("highlight"))) {}

    torch::Tensor probabilities(const ScoreBlock &block) const override
    {
        const int64_t keys = block.scores.size(-1);
        torch::Tensor factor = torch::full({keys}, m_alpha, block.scores.options());
        for (int index : m_highlight) {
            if (index >= keys)
                throw InputError(QStringLiteral("variant '%1'").arg(spec()),
                                 QStringLiteral("highlighted token %1 is beyond the %2 tokens of "
                                                "the input").arg(index).arg(keys));
            factor[index] = 1.0;
        }
        return normalizeRows(referenceProbabilities(block) * factor);
    }

    VariantCost cost(const AttentionShape &shape) const override { return denseCost(shape); }

private:
    double m_alpha;
    std::vector<int> m_highlight;
};

} // namespace

VariantInfo steerVariant()
{
    return describeVariant<SteerVariant>(
        QStringLiteral("steer"),
        QStringLiteral("scale attention outside the highlighted tokens by α, renormalize "
                       "(PASTA, Zhang et al. 2024)"),
        {indicesParameter(QStringLiteral("highlight"), QString(),
                          QStringLiteral("token indices to emphasize, e.g. 3-7,12")),
         realParameter(QStringLiteral("alpha"), 0.01, 0.0001, 1,
                       QStringLiteral("factor on the other keys (1 = no steering)"))});
}

} // namespace attnscope
