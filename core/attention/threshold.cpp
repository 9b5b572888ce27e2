// Top-θ attention: keep the keys whose score reaches a per-head threshold θ, renormalized
// (Berestizshevsky et al. 2025, "Top-θ Attention: Sparsifying Transformers by Compensated
// Thresholding"). θ is calibrated per head on the current input so that the layer keeps on
// average k keys per row (rows with fewer allowed keys count with what they have); unlike
// top-k, busy rows keep more and focused rows fewer. Every row keeps at least its best key.

#include <cmath>

#include "core/attention/selection_variant.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class ThresholdVariant final : public SelectionVariant {
public:
    explicit ThresholdVariant(const VariantParameters &values)
        : SelectionVariant(values), m_k(values.integer(QStringLiteral("k"))) {}

    VariantCost cost(const AttentionShape &shape) const override
    {
        // Calibrated offline in the paper: a comparison per score, then k keys per row.
        return sparseCost(shape, double(m_k), shape.visiblePairs() * (2.0 * shape.headDim + 1));
    }

protected:
    torch::Tensor keep(const ScoreBlock &block) const override
    {
        const torch::Tensor theta = calibratedThresholds(block).view({-1, 1, 1});
        const torch::Tensor best = topkMask(block.scores, 1);
        return (block.scores >= theta).logical_or(best);
    }

private:
    // θ per head of the block: just below the n-th largest allowed score of the whole
    // layer, with n = Σ_rows min(k, allowed keys of the row).
    torch::Tensor calibratedThresholds(const ScoreBlock &block) const
    {
        const int64_t heads = block.heads.size(0);
        auto allowedScores = std::vector<std::vector<torch::Tensor>>(size_t(heads));
        int64_t target = 0;
        forEachRowChunk(block, block.inputs->queries(), [&](const ScoreBlock &chunk) {
            target += chunk.allowed.sum(-1).clamp_max(m_k).sum().item<int64_t>();
            for (int64_t h = 0; h < heads; ++h)
                allowedScores[size_t(h)].push_back(chunk.scores[h].masked_select(chunk.allowed));
        });
        torch::Tensor theta = torch::empty({heads}, block.scores.options());
        for (int64_t h = 0; h < heads; ++h) {
            const torch::Tensor scores = torch::cat(allowedScores[size_t(h)]);
            const int64_t count = scores.numel();
            // θ halfway between the n-th and (n+1)-th largest scores: a score computed in
            // another row block may differ in its last bit, and must fall on the same side.
            const auto nthLargest = [&](int64_t n) { return std::get<0>(scores.kthvalue(count - n + 1)).item<double>(); };
            theta[h] = count == 0 ? 0.0 : count > target ? (nthLargest(target) + nthLargest(target + 1)) / 2 : nthLargest(target);
        }
        return theta;
    }

    int64_t m_k;
};

} // namespace

VariantInfo thresholdVariant()
{
    return describeVariant<ThresholdVariant>(
        QStringLiteral("threshold"),
        QStringLiteral("keep scores ≥ θ, θ calibrated per head to k keys per row on average, "
                       "renormalized (Top-θ, Berestizshevsky et al. 2025)"),
        {integerParameter(QStringLiteral("k"), 16, 1, 1 << 20,
                          QStringLiteral("average keys per row the calibration targets"))});
}

} // namespace attnscope
