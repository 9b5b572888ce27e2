// LSG attention: Local keys (|i − j| < local), Sparse keys (every stride-th key elsewhere)
// and Global tokens (the first `global` tokens see and are seen by everything)
// (Condevaux & Harispe 2023, "LSG Attention: Extrapolation of Pretrained Transformers to
// Long Sequences"; strided selection as the sparse part).

#include "core/attention/selection_variant.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class LsgVariant final : public SelectionVariant {
public:
    explicit LsgVariant(const VariantParameters &values)
        : SelectionVariant(values), m_local(values.integer(QStringLiteral("local"))),
          m_stride(values.integer(QStringLiteral("stride"))),
          m_global(values.integer(QStringLiteral("global"))) {}

    VariantCost cost(const AttentionShape &shape) const override
    {
        const double local = shape.causal ? double(m_local) : 2.0 * m_local - 1;
        return sparseCost(shape, local + double(shape.keys) / double(m_stride) + double(m_global));
    }

protected:
    torch::Tensor keep(const ScoreBlock &block) const override
    {
        const auto options = torch::TensorOptions().dtype(torch::kInt64);
        const torch::Tensor keys = torch::arange(block.scores.size(-1), options).unsqueeze(0);
        const torch::Tensor queries =
            torch::arange(block.rowBegin, block.rowBegin + block.allowed.size(0), options).unsqueeze(1);
        return (keyDistances(block).abs() < m_local)
            .logical_or(keys.remainder(m_stride) == 0)
            .logical_or(keys < m_global)
            .logical_or(queries < m_global);
    }

private:
    int64_t m_local;
    int64_t m_stride;
    int64_t m_global;
};

} // namespace

VariantInfo lsgVariant()
{
    return describeVariant<LsgVariant>(
        QStringLiteral("lsg"),
        QStringLiteral("local window + strided sparse keys + global first tokens "
                       "(LSG, Condevaux & Harispe 2023)"),
        {integerParameter(QStringLiteral("local"), 16, 1, 1 << 20,
                          QStringLiteral("reach of the local window")),
         integerParameter(QStringLiteral("stride"), 8, 1, 1 << 20,
                          QStringLiteral("every stride-th key is kept as a sparse key")),
         integerParameter(QStringLiteral("global"), 1, 0, 1 << 20,
                          QStringLiteral("first tokens that attend to and are attended by all"))});
}

} // namespace attnscope
