// MoBA-style block attention: keys are cut into blocks of `block` keys, each block is
// represented by its mean-pooled key, each query picks the `blocks` blocks with the highest
// q·mean(k) (its own block always among them, blocks it may not see never), and attends
// exactly to the keys of those blocks (Lu et al. 2025, "MoBA: Mixture of Block Attention for
// Long-Context LLMs").

#include <cmath>
#include <limits>

#include <torch/torch.h>

#include "core/attention/selection_variant.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class MobaVariant final : public SelectionVariant {
public:
    explicit MobaVariant(const VariantParameters &values)
        : SelectionVariant(values), m_block(values.integer(QStringLiteral("block"))),
          m_blocks(values.integer(QStringLiteral("blocks"))) {}

    VariantCost cost(const AttentionShape &shape) const override
    {
        const double blockCount = std::ceil(double(shape.keys) / double(m_block));
        const double gating = double(shape.queries) * blockCount * 2.0 * shape.headDim;
        return sparseCost(shape, double(m_block * m_blocks), gating);
    }

protected:
    torch::Tensor keep(const ScoreBlock &block) const override
    {
        const int64_t keys = block.k.size(1);
        const int64_t blockCount = (keys + m_block - 1) / m_block;
        const int64_t padding = blockCount * m_block - keys;
        namespace F = torch::nn::functional;
        // Mean-pooled keys [h, blocks, d]; the last block may be short.
        const torch::Tensor sums = F::pad(block.k, F::PadFuncOptions({0, 0, 0, padding}))
                                       .view({block.k.size(0), blockCount, m_block, -1}).sum(2);
        const torch::Tensor counts = F::pad(torch::ones({keys}, sums.options()),
                                            F::PadFuncOptions({0, padding}))
                                         .view({blockCount, m_block}).sum(-1);
        const torch::Tensor means = sums / counts.view({1, -1, 1});
        // Gate [h, r, blocks]: blocks without a visible key never win, the query's own block always does.
        const torch::Tensor visible = F::pad(block.allowed, F::PadFuncOptions({0, padding}))
                                          .view({-1, blockCount, m_block}).any(-1);
        const torch::Tensor ownBlock =
            queryPositions(block).clamp(0, keys - 1).div(m_block, "floor").view({1, -1, 1});
        torch::Tensor gate = torch::matmul(block.q, means.transpose(1, 2))
                                 .masked_fill(visible.logical_not(), -std::numeric_limits<float>::infinity());
        gate = gate.scatter(-1, ownBlock.expand({gate.size(0), -1, 1}),
                            std::numeric_limits<float>::infinity());
        const torch::Tensor chosen = topkMask(gate, m_blocks).logical_and(visible);
        const torch::Tensor keyBlock = torch::arange(keys, torch::kInt64).div(m_block, "floor");
        return chosen.index_select(-1, keyBlock);
    }

private:
    int64_t m_block;
    int64_t m_blocks;
};

} // namespace

VariantInfo mobaVariant()
{
    return describeVariant<MobaVariant>(
        QStringLiteral("moba"),
        QStringLiteral("top blocks by q·mean-pooled keys, exact attention inside them "
                       "(MoBA, Lu et al. 2025)"),
        {integerParameter(QStringLiteral("block"), 16, 1, 1 << 20,
                          QStringLiteral("keys per block")),
         integerParameter(QStringLiteral("blocks"), 3, 1, 1 << 20,
                          QStringLiteral("blocks each query attends to, its own included"))});
}

} // namespace attnscope
