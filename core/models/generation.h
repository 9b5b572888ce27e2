#pragma once
// Greedy decoding for causal language models. The prompt and each new token run once,
// after the keys and values of the tokens before them (KV cache); under an attention
// plan with variants every step reruns the whole sequence instead, since a variant may
// read other rows of the layer. The recorder, when given, receives the attention of the
// whole final sequence: row i is what the model attended to when it produced token i + 1.

#include <vector>

#include <torch/types.h>

#include "core/attention/variant.h"

namespace attnscope {

class AttentionRecorder;
class Model;

struct GenerationRequest {
    torch::Tensor promptIds;        // [T] int64, T >= 1
    int64_t maxNewTokens = 32;
    std::vector<int64_t> stopIds;   // end-of-sequence ids: generation stops after one
};

struct Generation {
    std::vector<int64_t> ids;       // prompt followed by the new tokens
    int64_t promptTokens = 0;
    torch::Tensor logits;           // [T_final, vocab] of the final sequence, when recorded
};

// Throws InputError when the model is not a causal language model.
Generation generateGreedy(const Model &model, const GenerationRequest &request,
                          const AttentionPlan &plan, AttentionRecorder *recorder);

} // namespace attnscope
