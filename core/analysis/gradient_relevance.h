#pragma once
// Gradient-weighted attention relevance (Chefer et al. 2021, "Generic Attention-model
// Explainability", eq. 5–6): R starts as the identity and every layer, first to last, adds
//   Ā = mean_h((∇A ⊙ A)⁺),   R ← R + Ā · R,
// where ∇A is the gradient of the explained output with respect to the attention A.

#include <torch/types.h>

#include "core/models/model.h"

namespace attnscope {

// [T, T] float64 from attention and its gradients, both [L, H, T, T].
torch::Tensor gradientRelevance(const torch::Tensor &attention, const torch::Tensor &gradients);

struct AttentionGradients {
    torch::Tensor attention; // [L, H, T, S] float64
    torch::Tensor gradients; // ∂ output / ∂ A, same shape
    int64_t target = -1;     // the class (or next token) explained
    int64_t position = -1;   // the logits row explained, -1 for classifiers
};

// Runs `model` with autograd and differentiates logits[target] (classifiers) or
// logits[T−1, target] (language models) with respect to every layer's attention.
// target −1 = the predicted class/token. Throws InputError for models without such logits.
AttentionGradients attentionGradients(const Model &model, const ModelInput &input, int64_t target);

} // namespace attnscope
