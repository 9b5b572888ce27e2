// Performer FAVOR+: exp(q·k) ≈ φ(q)·φ(k) with m positive orthogonal random features
// φ(x) = exp(Wx − |x|²/2) / √m, x = q·√scale (Choromanski et al. 2021, "Rethinking Attention
// with Performers"). W's rows are orthogonal within each block of d rows and scaled to the
// lengths of Gaussian vectors; W depends only on (seed, layer, head), so rows do not depend
// on how the kernel splits the input. The error falls as m grows.

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "core/attention/kernel_feature_variant.h"
#include "core/io/input_error.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class PerformerVariant final : public KernelFeatureVariant {
public:
    explicit PerformerVariant(const VariantParameters &values)
        : KernelFeatureVariant(values), m_features(values.integer(QStringLiteral("features"))),
          m_seed(values.integer(QStringLiteral("seed"))) {}

protected:
    // Any factor shared by a row cancels in the normalization: queries shift by their row
    // maximum, keys by the maximum over all keys of the head (which no block split changes).
    torch::Tensor queryFeatures(const ScoreBlock &block) const override
    {
        const torch::Tensor exponent = exponents(block, block.q);
        return featuresOf(exponent, std::get<0>(exponent.max(-1, true)));
    }

    torch::Tensor keyFeatures(const ScoreBlock &block) const override
    {
        const torch::Tensor exponent = exponents(block, block.k);
        return featuresOf(exponent, std::get<0>(exponent.flatten(1).max(-1)).view({-1, 1, 1}));
    }

    int64_t featureCount(const AttentionShape &) const override { return m_features; }

private:
    // Wx − |x|²/2 with x = rows·√scale, for every head of the block: [h, n, m].
    torch::Tensor exponents(const ScoreBlock &block, const torch::Tensor &rows) const
    {
        // Random features estimate exp(q·k); no feature map gives exp(cap·tanh(q·k / cap)).
        if (block.inputs->softCap > 0)
            throw InputError(QStringLiteral("variant '%1'").arg(spec()),
                             QStringLiteral("Performer approximates exp(q·k) and cannot follow this model's soft-capped "
                                            "scores (attn_logit_softcapping %1); use an exact variant")
                                 .arg(block.inputs->softCap));
        std::vector<torch::Tensor> weights;
        for (int64_t i = 0; i < block.heads.size(0); ++i)
            weights.push_back(randomFeatures(block.inputs->layer, headOf(block, i), rows.size(2)));
        const torch::Tensor x = rows * std::sqrt(block.inputs->scale);
        const torch::Tensor w = torch::stack(weights).to(x.scalar_type());
        return torch::matmul(x, w.transpose(1, 2)) - x.square().sum(-1, true) / 2;
    }

    torch::Tensor featuresOf(const torch::Tensor &exponent, const torch::Tensor &shift) const
    {
        return (exponent - shift).exp() / std::sqrt(double(m_features));
    }

    // W [m, d]: blocks of d orthonormal rows (Haar, from the QR of a Gaussian matrix), each row rescaled to
    // the length of an independent Gaussian vector in d dimensions.
    torch::Tensor randomFeatures(int layer, int64_t head, int64_t dim) const
    {
        at::Generator generator = at::detail::createCPUGenerator(
            uint64_t(m_seed) * 1000003u + uint64_t(layer) * 1009u + uint64_t(head));
        const auto options = torch::TensorOptions().dtype(torch::kFloat64);
        std::vector<torch::Tensor> blocks;
        for (int64_t rows = 0; rows < m_features; rows += dim) {
            const auto [q, r] = torch::linalg::qr(torch::randn({dim, dim}, generator, options));
            // Signs of R's diagonal make Q uniformly (Haar) distributed; without them the
            // directions are biased and the error stops falling as m grows.
            blocks.push_back((q * torch::sign(torch::diagonal(r))).transpose(0, 1));
        }
        const torch::Tensor orthogonal = torch::cat(blocks).narrow(0, 0, m_features);
        const torch::Tensor lengths = torch::randn({m_features, dim}, generator, options).norm(2, 1, true);
        return orthogonal * lengths;
    }

    int64_t m_features;
    int64_t m_seed;
};

} // namespace

VariantInfo performerVariant()
{
    return describeVariant<PerformerVariant>(
        QStringLiteral("performer"),
        QStringLiteral("FAVOR+: m positive orthogonal random features approximate softmax "
                       "(Performer, Choromanski et al. 2021)"),
        {integerParameter(QStringLiteral("features"), 64, 1, 1 << 16,
                          QStringLiteral("random features m (more = closer to softmax)")),
         integerParameter(QStringLiteral("seed"), 0, 0, 1LL << 40,
                          QStringLiteral("random seed, mixed with the layer and head"))});
}

} // namespace attnscope
