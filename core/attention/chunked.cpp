// Chunked exact attention: the softmax normalizer of each row is accumulated over chunks of
// keys with a running maximum (online softmax), so no step needs more than a chunk of scores
// (Rabe & Staats 2021, "Self-attention Does Not Need O(n²) Memory"). Equals softmax.

#include <limits>

#include <torch/torch.h>

#include "core/attention/kernel.h"
#include "core/attention/parameterized_variant.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class ChunkedVariant final : public ParameterizedVariant {
public:
    explicit ChunkedVariant(const VariantParameters &values)
        : ParameterizedVariant(values), m_chunk(values.integer(QStringLiteral("chunk"))) {}

    torch::Tensor probabilities(const ScoreBlock &block) const override
    {
        const int64_t keys = block.k.size(1);
        const auto chunkScores = [&](int64_t c0, int64_t c1) {
            return scaledScores(*block.inputs, torch::matmul(block.q, block.k.slice(1, c0, c1).transpose(1, 2)))
                .masked_fill(block.allowed.slice(1, c0, c1).logical_not(),
                             -std::numeric_limits<float>::infinity());
        };
        // Pass 1: running max m and running sum l of exp(s − m), rescaled as m grows.
        torch::Tensor runningMax = torch::full({block.q.size(0), block.q.size(1), 1},
                                               -std::numeric_limits<float>::infinity(),
                                               block.q.options());
        torch::Tensor runningSum = torch::zeros_like(runningMax);
        for (int64_t c0 = 0; c0 < keys; c0 += m_chunk) {
            const torch::Tensor scores = chunkScores(c0, std::min(keys, c0 + m_chunk));
            const torch::Tensor newMax = torch::maximum(runningMax, std::get<0>(scores.max(-1, true)));
            const torch::Tensor shift = newMax.masked_fill(newMax.isinf(), 0);
            runningSum = runningSum * (runningMax - shift).exp()
                         + (scores - shift).exp().sum(-1, true);
            runningMax = newMax;
        }
        // Pass 2: p = exp(s − m) / l chunk by chunk (not exp(s − log-sum-exp): adding log l to
        // a large m rounds away digits); rows with nothing allowed stay 0.
        const torch::Tensor shift = runningMax.masked_fill(runningMax.isinf(), 0);
        const torch::Tensor normalizer = runningSum.masked_fill(runningSum == 0, 1);
        torch::Tensor probabilities = torch::empty({block.q.size(0), block.q.size(1), keys},
                                                   block.q.options());
        for (int64_t c0 = 0; c0 < keys; c0 += m_chunk) {
            const int64_t c1 = std::min(keys, c0 + m_chunk);
            probabilities.slice(2, c0, c1).copy_((chunkScores(c0, c1) - shift).exp() / normalizer);
        }
        return probabilities;
    }

    VariantCost cost(const AttentionShape &shape) const override
    {
        // Scores are computed twice; the largest intermediate is one chunk of scores.
        const double pairs = shape.visiblePairs();
        return pairwiseCost(shape, pairs, pairs * 2.0 * shape.headDim,
                            double(shape.queries) * std::min<int64_t>(m_chunk, shape.keys));
    }

private:
    int64_t m_chunk;
};

} // namespace

VariantInfo chunkedVariant()
{
    return describeVariant<ChunkedVariant>(
        QStringLiteral("chunked"),
        QStringLiteral("exact softmax with an online normalizer over key chunks "
                       "(Rabe & Staats 2021)"),
        {integerParameter(QStringLiteral("chunk"), 64, 1, 1 << 20,
                          QStringLiteral("keys per chunk"))});
}

} // namespace attnscope
