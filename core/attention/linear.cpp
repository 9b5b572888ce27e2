// Linear attention: similarity φ(q)·φ(k) with φ(x) = elu(x) + 1, normalized per row
// (Katharopoulos et al. 2020, "Transformers are RNNs"). A dedicated kernel never forms the
// T×S matrix; AttnScope forms it to show it.

#include <torch/torch.h>

#include "core/attention/kernel_feature_variant.h"
#include "core/attention/variant_registry.h"

namespace attnscope {

namespace {

class LinearVariant final : public KernelFeatureVariant {
public:
    using KernelFeatureVariant::KernelFeatureVariant;

protected:
    torch::Tensor queryFeatures(const ScoreBlock &block) const override
    {
        return torch::elu(block.q) + 1;
    }

    torch::Tensor keyFeatures(const ScoreBlock &block) const override
    {
        return torch::elu(block.k) + 1;
    }

    int64_t featureCount(const AttentionShape &shape) const override { return shape.headDim; }
};

} // namespace

VariantInfo linearVariant()
{
    return describeVariant<LinearVariant>(
        QStringLiteral("linear"),
        QStringLiteral("φ(q)·φ(k) with φ = elu+1, normalized (Katharopoulos et al. 2020)"),
        {});
}

} // namespace attnscope
