#include "core/models/readout.h"

#include <torch/torch.h>

#include "core/io/input_error.h"
#include "core/models/model.h"

namespace attnscope {

torch::Tensor Readout::logits(const torch::Tensor &hidden) const
{
    const torch::Tensor logits = head(layerNorm.weight.defined() ? layerNorm(hidden) : rmsNorm(hidden));
    return softCap > 0 ? logits.div(softCap).tanh().mul(softCap) : logits;
}

torch::Tensor Readout::frozenNorm(const torch::Tensor &parts, const torch::Tensor &full) const
{
    if (!layerNorm.weight.defined())
        return rmsNorm.weight * parts * torch::rsqrt(full.pow(2).mean(-1, true) + rmsNorm.eps);
    // LayerNorm centres each part (the mean is linear) and divides by the full stream's deviation.
    const torch::Tensor centred = full - full.mean(-1, true);
    const torch::Tensor deviation = torch::sqrt(centred.pow(2).mean(-1, true) + layerNorm.eps);
    return layerNorm.weight * (parts - parts.mean(-1, true)) / deviation;
}

torch::Tensor Readout::normBias() const
{
    if (layerNorm.weight.defined() && layerNorm.bias.defined())
        return layerNorm.bias;
    const torch::Tensor &weight = layerNorm.weight.defined() ? layerNorm.weight : rmsNorm.weight;
    return torch::zeros_like(weight);
}

torch::Tensor Model::unembed(const torch::Tensor &hidden) const
{
    return readout().logits(hidden);
}

Readout Model::readout() const
{
    throw InputError(info().directory,
                     QStringLiteral("%1 has no LM head to read its residual stream through")
                         .arg(info().architecture.isEmpty() ? info().modelType : info().architecture));
}

} // namespace attnscope
