#pragma once
// Decoding for encoder–decoder models: the source runs through the encoder once; each step
// the decoder reads decoder_start_token_id and the tokens chosen so far, and the logits of
// its last position pick the next token (greedy or sampled, core/models/sampling.h) until a
// stop id or N tokens. Each step keeps its last position's cross-attention row (what the
// decoder attended to in the source when it chose that token) and its logits. The decoder
// runs the whole prefix each step (no cache): T5's position bias and the variants see every
// row as one forward pass of the final ids would.

#include <vector>

#include <torch/types.h>

#include "core/models/sampling.h"
#include "core/models/seq2seq_model.h"

namespace attnscope {

struct Seq2SeqGenerationRequest {
    torch::Tensor sourceIds;      // [S] int64
    int64_t maxNewTokens = 32;    // >= 1; with the start token within the decoder's positions
    std::vector<int64_t> stopIds; // generation stops after one
    SamplingSettings sampling;
};

struct Seq2SeqGeneration {
    std::vector<int64_t> decoderIds; // decoder_start_token_id, then the N generated tokens
    torch::Tensor stepLogits;        // [N, decoder vocab]: what step n chose from, before temperature
    torch::Tensor encoderAttentions; // [L_enc, H, S, S]
    torch::Tensor crossAttentions;   // [L_dec, H, N, S]: row n, the step that chose token n + 1
    torch::Tensor decoderAttentions; // [L_dec, H, N, N]: the same steps' self-attention rows
};

// Throws InputError for an empty source or a budget beyond the decoder's positions;
// std::invalid_argument for sampling settings samplingProblem() refuses.
Seq2SeqGeneration generateSeq2Seq(const Seq2SeqModel &model, const Seq2SeqGenerationRequest &request,
                                  const Seq2SeqPlans &plans);

} // namespace attnscope
