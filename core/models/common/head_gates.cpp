#include "core/models/common/head_gates.h"

#include "core/io/input_error.h"

namespace attnscope {

GradientScope::GradientScope(const ModelInput &input)
{
    if (input.differentiable || (input.headGates.defined() && input.headGates.requires_grad()))
        m_grad.emplace(true);
    else
        m_noGrad.emplace();
}

void checkHeadGates(const ModelInput &input, const ModelInfo &info)
{
    const torch::Tensor &gates = input.headGates;
    if (!gates.defined())
        return;
    if (gates.dim() != 2 || gates.size(0) != info.layers || gates.size(1) != info.heads
        || !gates.is_floating_point())
        throw InputError(QStringLiteral("input"),
                         QStringLiteral("head gates must be floats of shape [%1, %2] (layers, heads), not %3")
                             .arg(info.layers).arg(info.heads)
                             .arg(QString::fromStdString(c10::str(gates.sizes()))));
}

torch::Tensor gateHeads(const torch::Tensor &perHead, const torch::Tensor &gates, int layer)
{
    if (!gates.defined())
        return perHead;
    return perHead * gates[layer].to(perHead.dtype()).view({-1, 1, 1});
}

} // namespace attnscope
