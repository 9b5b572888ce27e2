#pragma once
// Direct logit attribution: a decoder's last residual stream is the sum of what the
// embedding, every head (through its slice of W_O), every output-projection bias and every
// MLP wrote. With the final norm's scale frozen at the full stream (the usual linearization)
// the norm is linear, so each part's share of a token's logit is part·(norm)·u_token, and the
// shares plus the norm's and the head's biases add up to the logit.

#include <torch/types.h>

#include "core/analysis/stream_probes.h"
#include "core/models/readout.h"

namespace attnscope {

struct LogitAttribution {
    torch::Tensor embedding;     // [T]
    torch::Tensor heads;         // [L, H, T]
    torch::Tensor attentionBias; // [L, T] (zeros without b_O)
    torch::Tensor mlps;          // [L, T]
    torch::Tensor constant;      // [T]: the final norm's bias and the LM head's bias
    torch::Tensor linearized;    // [T]: the frozen-norm readout of the full stream
    torch::Tensor sum() const;   // [T]: every part and the constant
};

// `directions` [T, vocab]: per position the weights of the logits attributed (one-hot for a
// token, +1/−1 for a logit difference).
LogitAttribution directLogitAttribution(const StreamCapture &capture, const Readout &readout,
                                        const torch::Tensor &directions);

} // namespace attnscope
