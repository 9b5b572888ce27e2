// Sink removal: take attention away from sink tokens and renormalize over the rest, to see
// what a head reads besides its sink (Xiao et al. 2024 describe attention sinks). Sinks are
// the first `first` tokens and, with detect > 0, every key whose mean attention over the
// rows that see it reaches `detect` in that head. A row that sees only sinks keeps its
// reference attention.

#include <torch/torch.h>

#include "core/attention/parameterized_variant.h"
#include "core/attention/score_block_math.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class NosinkVariant final : public ParameterizedVariant {
public:
    explicit NosinkVariant(const VariantParameters &values)
        : ParameterizedVariant(values), m_first(values.integer(QStringLiteral("first"))),
          m_detect(values.real(QStringLiteral("detect"))) {}

    torch::Tensor probabilities(const ScoreBlock &block) const override
    {
        const torch::Tensor reference = referenceProbabilities(block);
        const torch::Tensor kept = reference.masked_fill(sinks(block), 0);
        const torch::Tensor onlySinks = kept.sum(-1, true) == 0;
        return torch::where(onlySinks, reference, normalizeRows(kept));
    }

    VariantCost cost(const AttentionShape &shape) const override { return denseCost(shape); }

private:
    // bool [h, 1, S]: the sink keys of each head of the block.
    torch::Tensor sinks(const ScoreBlock &block) const
    {
        const int64_t keys = block.scores.size(-1);
        torch::Tensor isSink = (torch::arange(keys, torch::kInt64) < m_first)
                                   .view({1, 1, keys}).expand({block.scores.size(0), 1, keys});
        if (m_detect <= 0)
            return isSink;
        torch::Tensor received = torch::zeros({block.scores.size(0), 1, keys}, block.scores.options());
        torch::Tensor readers = torch::zeros({keys}, block.scores.options());
        forEachRowChunk(block, block.inputs->queries(), [&](const ScoreBlock &chunk) {
            received += referenceProbabilities(chunk).sum(1, true);
            readers += chunk.allowed.sum(0).to(readers.scalar_type());
        });
        const torch::Tensor mean = received / readers.clamp_min(1).view({1, 1, keys});
        return isSink.logical_or(mean >= m_detect);
    }

    int64_t m_first;
    double m_detect;
};

} // namespace

VariantInfo nosinkVariant()
{
    return describeVariant<NosinkVariant>(
        QStringLiteral("nosink"),
        QStringLiteral("renormalize without the first tokens or detected sinks "
                       "(sinks: Xiao et al. 2024)"),
        {integerParameter(QStringLiteral("first"), 1, 0, 1 << 20,
                          QStringLiteral("initial tokens removed as sinks")),
         realParameter(QStringLiteral("detect"), 0, 0, 1,
                       QStringLiteral("also remove keys whose mean attention reaches this "
                                      "(0 = off)"))});
}

} // namespace attnscope
