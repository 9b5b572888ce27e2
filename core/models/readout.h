#pragma once
// What a decoder reads its last residual stream through: the final norm (LayerNorm for
// GPT-2 and GPT-NeoX, RMSNorm for the rotary families), the LM head and Gemma 2's logit
// soft-cap. Direct logit attribution freezes the norm's scale at the full stream, which
// makes the norm linear, so the parts of the stream map to parts of each logit.

#include <torch/types.h>

#include "core/models/common/layer_norm.h"
#include "core/models/common/linear.h"

namespace attnscope {

struct Readout {
    LayerNorm layerNorm; // the final norm when its weight is defined …
    RmsNorm rmsNorm;     // … else this one
    Linear head;         // [vocab, hidden]
    double softCap = 0;  // > 0: logits = cap·tanh(logits / cap)

    torch::Tensor logits(const torch::Tensor &hidden) const; // [T, hidden] → [T, vocab]

    // parts [P, T, hidden] that sum to `full` [T, hidden]: each through the final norm with
    // the scale (and mean) of `full` and without the norm's bias, so they sum to
    // norm(full) − bias.
    torch::Tensor frozenNorm(const torch::Tensor &parts, const torch::Tensor &full) const;
    // The norm's bias ([hidden], zeros for RMSNorm).
    torch::Tensor normBias() const;
};

} // namespace attnscope
