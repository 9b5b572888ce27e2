// Loki: approximate scores in a low-rank key space, select the top-k keys by them, then
// attend exactly to the selected keys (Singhania et al. 2024, "Loki: Low-rank Keys for
// Efficient Sparse Attention"). The principal components come from the keys of the current
// input (per head); rank ≥ head size gives exact top-k.

#include <cmath>
#include <limits>

#include <torch/torch.h>

#include "core/attention/selection_variant.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class LokiVariant final : public SelectionVariant {
public:
    explicit LokiVariant(const VariantParameters &values)
        : SelectionVariant(values), m_rank(values.integer(QStringLiteral("rank"))),
          m_k(values.integer(QStringLiteral("k"))) {}

    VariantCost cost(const AttentionShape &shape) const override
    {
        const double rank = double(std::min<int64_t>(m_rank, shape.headDim));
        const double pairs = shape.visiblePairs();
        const double projection = 2.0 * rank * shape.headDim * double(shape.queries + shape.keys);
        return sparseCost(shape, double(m_k),
                          projection + pairs * (2.0 * rank + std::log2(double(m_k) + 1)));
    }

protected:
    torch::Tensor keep(const ScoreBlock &block) const override
    {
        const int64_t rank = std::min<int64_t>(m_rank, block.k.size(2));
        // Principal directions of each head's keys: eigenvectors of the key covariance,
        // largest eigenvalues last (eigh sorts ascending).
        const torch::Tensor centered = block.k - block.k.mean(1, true);
        const torch::Tensor covariance = torch::matmul(centered.transpose(1, 2), centered);
        const torch::Tensor basis =
            std::get<1>(torch::linalg::eigh(covariance, "L")).narrow(2, block.k.size(2) - rank, rank);
        const torch::Tensor approximate =
            torch::matmul(torch::matmul(block.q, basis), torch::matmul(block.k, basis).transpose(1, 2))
                .masked_fill(block.allowed.logical_not(), -std::numeric_limits<float>::infinity());
        return topkMask(approximate, m_k);
    }

private:
    int64_t m_rank;
    int64_t m_k;
};

} // namespace

VariantInfo lokiVariant()
{
    return describeVariant<LokiVariant>(
        QStringLiteral("loki"),
        QStringLiteral("top-k keys by scores in the keys' top principal components, exact "
                       "attention on them (Loki, Singhania et al. 2024)"),
        {integerParameter(QStringLiteral("rank"), 4, 1, 4096,
                          QStringLiteral("principal components of the keys used to rank them")),
         integerParameter(QStringLiteral("k"), 32, 1, 1 << 20,
                          QStringLiteral("keys kept per query row"))});
}

} // namespace attnscope
