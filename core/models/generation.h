#pragma once
// Decoding for causal language models: each step picks the next token from the logits of the
// last position (greedy or sampled, core/models/sampling.h) and stops after a stop id or N
// tokens. The prompt and each new token run once, after the keys and values of the tokens
// before them (KV cache); under an attention plan with variants every step reruns the whole
// sequence instead, since a variant may read other rows of the layer. With capture on, each
// token's attention row is kept as computed at its step (the prompt's rows from the prompt
// pass; the last token runs once more for its row), so row i is what the model attended to
// when it wrote token i + 1.

#include <atomic>
#include <functional>
#include <vector>

#include <torch/types.h>

#include "core/attention/variant.h"
#include "core/models/sampling.h"

namespace attnscope {

class Model;

struct GenerationRequest {
    torch::Tensor promptIds;        // [T] int64, T >= 1
    int64_t maxNewTokens = 32;      // the prompt and these must fit the model's positions
    std::vector<int64_t> stopIds;   // end-of-sequence ids: generation stops after one
    SamplingSettings sampling;      // greedy unless told otherwise
    bool captureAttention = false;  // fill Generation::attentions
    // Told after each step (steps written, maxNewTokens), on the generating thread.
    std::function<void(int64_t written, int64_t budget)> progress;
    // Checked between steps: once set, generation ends before the next step and the result
    // holds the steps written so far (their rows captured), as a stop id would end it.
    const std::atomic<bool> *stop = nullptr;
    // A rotary model may go past max_position_embeddings (out of distribution) when the caller
    // asked for it (attnscope-cli --allow-longer); learned positions still end in the forward's refusal.
    bool pastTrainedContext = false;
};

struct Generation {
    std::vector<int64_t> ids;       // prompt followed by the new tokens
    int64_t promptTokens = 0;
    torch::Tensor stepLogits;       // [N, vocab] float32: what step n chose from, before temperature
    torch::Tensor attentions;       // [L, H, T, T] float32 of the final ids, when captured
};

// Throws InputError when the model is not a causal language model, the prompt is empty, the
// prompt and maxNewTokens exceed the model's positions (unless pastTrainedContext) or the capture its memory budget;
// std::invalid_argument for sampling settings samplingProblem() refuses.
Generation generate(const Model &model, const GenerationRequest &request, const AttentionPlan &plan);

} // namespace attnscope
