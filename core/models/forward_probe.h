#pragma once
// A probe into one forward pass, for the analyses that look beyond the attention weights
// (logit lens, value norms, direct logit attribution, activation patching). Every family
// calls it at the same points: the residual stream after the embedding and after each
// layer, each layer's per-head attention outputs before the output projection, and each
// MLP's output. The hooks that return a tensor hand back what the pass goes on with, so a
// probe may patch them. Without a probe (ModelInput::probe null) the pass is unchanged.

#include <torch/types.h>

namespace attnscope {

struct LayerNorm;
struct Linear;

// One attention layer as its heads leave it.
struct HeadOutputs {
    int layer = 0;
    torch::Tensor perHead;          // [H, T, dv]: Σ_j α_ij v_j per head (gated), before W_O
    torch::Tensor values;           // [Hkv, S, dv]: the value vectors mixed, bias included
    const Linear *output = nullptr; // the output projection: W_O [hidden, H·dv] and b_O
    const LayerNorm *normAfter = nullptr; // post-norm encoders: the norm of the stream plus the output
};

class ForwardProbe {
public:
    virtual ~ForwardProbe() = default;
    // The residual stream [T, hidden] after the embedding (index 0) and after layer index − 1
    // (post-norm encoders: after that layer's last norm); returns the stream to go on with.
    virtual torch::Tensor residual(int index, const torch::Tensor &stream) { (void)index; return stream; }
    // Returns the per-head outputs [H, T, dv] the layer projects and adds.
    virtual torch::Tensor heads(const HeadOutputs &outputs) { return outputs.perHead; }
    // What layer's MLP adds to the residual stream, [T, hidden] (post-norm encoders: before
    // that norm).
    virtual void mlp(int layer, const torch::Tensor &added) { (void)layer; (void)added; }
};

// The hooks as the forward loops call them, a no-op without a probe.
inline torch::Tensor probedResidual(ForwardProbe *probe, int index, const torch::Tensor &stream)
{
    return probe ? probe->residual(index, stream) : stream;
}

inline torch::Tensor probedMlp(ForwardProbe *probe, int layer, const torch::Tensor &added)
{
    if (probe)
        probe->mlp(layer, added);
    return added;
}

} // namespace attnscope
