// Attention sinks plus a sliding window: every query keeps the first `sinks` tokens and the
// keys within distance `window` (Xiao et al. 2024, "Efficient Streaming Language Models with
// Attention Sinks", StreamingLLM).

#include "core/attention/selection_variant.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class SinksVariant final : public SelectionVariant {
public:
    explicit SinksVariant(const VariantParameters &values)
        : SelectionVariant(values), m_sinks(values.integer(QStringLiteral("sinks"))),
          m_window(values.integer(QStringLiteral("window"))) {}

    VariantCost cost(const AttentionShape &shape) const override
    {
        return sparseCost(shape, double(m_sinks) + (shape.causal ? m_window : 2.0 * m_window - 1));
    }

protected:
    torch::Tensor keep(const ScoreBlock &block) const override
    {
        const torch::Tensor keys = torch::arange(block.scores.size(-1), torch::kInt64);
        return (keyDistances(block).abs() < m_window).logical_or(keys < m_sinks);
    }

private:
    int64_t m_sinks;
    int64_t m_window;
};

} // namespace

VariantInfo sinksVariant()
{
    return describeVariant<SinksVariant>(
        QStringLiteral("sinks"),
        QStringLiteral("first tokens as attention sinks + sliding window (StreamingLLM, "
                       "Xiao et al. 2024)"),
        {integerParameter(QStringLiteral("sinks"), 4, 0, 1 << 20,
                          QStringLiteral("initial tokens every query keeps")),
         integerParameter(QStringLiteral("window"), 64, 1, 1 << 20,
                          QStringLiteral("reach of the recent window")) });
}

} // namespace attnscope
