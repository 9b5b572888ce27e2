#pragma once
// Head gates: one multiplier per (layer, head) on each head's attention output. Gates that
// require gradients make the forward pass differentiable (head importance), as does a
// differentiable input (training); otherwise the pass runs without autograd.

#include <optional>

#include <torch/torch.h>

#include "core/models/model.h"

namespace attnscope {

// For the duration of a forward pass: autograd on only when the input is differentiable or
// its head gates require grad.
class GradientScope {
public:
    explicit GradientScope(const ModelInput &input);

private:
    std::optional<torch::NoGradGuard> m_noGrad;
    std::optional<torch::AutoGradMode> m_grad;
};

// InputError("input", …) unless headGates is absent or [layers, heads].
void checkHeadGates(const ModelInput &input, const ModelInfo &info);

// perHead [H, T, dv] times gates[layer][h]; unchanged when gates are undefined.
torch::Tensor gateHeads(const torch::Tensor &perHead, const torch::Tensor &gates, int layer);

} // namespace attnscope
