#pragma once
// Token-to-token contributions through the whole attention block, residual and norm included
// (Ferrando et al. 2022, "Measuring the Mixing of Contextual Information in the Transformer",
// ALTI; Kobayashi et al. 2021 and GlobEnc, Modarressi et al. 2022, for the norm measure). The
// block's output for token i is a sum of one vector per input token j:
//   z_ij = Σ_h α^h_ij f_h(x_j) + [i = j] x_i         (f_h: the value through W_O^h, as value-norms)
// and, after a post-norm encoder's LayerNorm, L_i(z_ij) = γ ⊙ (z_ij − mean(z_ij)) / σ_i with
// σ_i the standard deviation the norm divided token i's whole sum by. Token j's share of y_i:
//   ALTI:  max(0, ‖y_i‖₁ − ‖y_i − L_i(z_ij)‖₁)      norm:  ‖L_i(z_ij)‖₂
// each row divided by its sum. Shares multiply across layers as rollout does (the residual is
// already inside them): R = C_L ⋯ C_1.

#include <optional>

#include <torch/types.h>

#include "core/models/common/layer_norm.h"
#include "core/models/common/linear.h"

namespace attnscope {

enum class ContributionMeasure { Alti, Norm };

struct AttentionBlock {
    torch::Tensor alpha;   // [H, T, S]
    torch::Tensor values;  // [Hkv, S, dv], bias included
    Linear output;         // W_O and b_O
    torch::Tensor stream;  // x [T, hidden]: the residual stream entering the layer
    std::optional<LayerNorm> normAfter; // post-norm encoders: the norm of x + the attention output
};

// One layer's contributions [T, S], each row summing to 1 (float64).
torch::Tensor blockContributions(const AttentionBlock &block, ContributionMeasure measure);

} // namespace attnscope
