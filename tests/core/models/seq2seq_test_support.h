#pragma once
// What the encoder–decoder tests share: attention written as plain loops (the independent
// side: scores, an optional additive bias, the causal mask and the softmax, one query row at
// a time in double precision), and the engine's run of a checkpoint with all three stacks
// recorded, densely and through compact records (q, k and row normalizers only).

#include <QJsonObject>
#include <QString>
#include <torch/torch.h>

namespace attnscope::test {

class TinyCheckpoint;

// A T5 checkpoint as real files hold it: shared.weight beside the per-stack embed_tokens
// copies, the bias table in block 0 of each stack, the unused
// EncDecAttention.relative_attention_bias, lm_head.weight only when untied (gated = v1.1).
struct T5Layout {
    int64_t vocab = 40, model = 16, kv = 6, ff = 24, heads = 4;
    int64_t encoderLayers = 2, decoderLayers = 2, buckets = 8, maxDistance = 16;
    bool gated = false; // gated-gelu and an untied head, else relu and a tied head
};
QJsonObject t5Config(const T5Layout &layout);
void addT5Weights(TinyCheckpoint &w, const T5Layout &layout);

// BART or Marian in real layout (model.shared.weight and per-stack copies, lm_head.weight
// tied, final_logits_bias; BART's learned positions two rows longer and layernorm_embedding;
// Marian's sinusoidal table stored as its files hold it). Marian pads and starts the decoder
// with the last id and ends with 0 (as opus-mt does), BART starts with 2.
struct BartLayout {
    int64_t vocab = 40, model = 16, positions = 20;
    int64_t encoderLayers = 2, decoderLayers = 3, encoderHeads = 4, decoderHeads = 2, encoderFfn = 24, decoderFfn = 20;
    bool marian = false;
    bool scaleEmbedding = false;
    int64_t decoderStart() const { return marian ? vocab - 1 : 2; }
};
QJsonObject bartConfig(const BartLayout &layout);
void addBartWeights(TinyCheckpoint &w, const BartLayout &layout);
// MarianSinusoidalPositionalEmbedding._init_weight, loop by loop: [positions, dim].
torch::Tensor marianSinusoids(int64_t positions, int64_t dim);

struct LoopAttention {
    torch::Tensor probabilities; // [H, T, S]
    torch::Tensor output;        // [T, H·dv] before the output projection
};

// q [H, T, d], k [H, S, d], v [H, S, dv]; bias [H, T, S] or undefined; causal: key j ≤ query i.
LoopAttention loopAttention(const torch::Tensor &q, const torch::Tensor &k, const torch::Tensor &v, double scale,
                            bool causal, const torch::Tensor &bias = {});

struct Seq2SeqExpected {
    torch::Tensor encoder, decoder, cross; // [L, H, ·, ·]
    torch::Tensor logits;                  // [T, V]
    torch::Tensor encoded;                 // [S, hidden], the encoder's output (references only)
};

struct Seq2SeqEngineRun {
    Seq2SeqExpected dense, compact;
};

// Loads the folder through loadSeq2SeqModel() and runs source ids [S] and decoder ids [T].
Seq2SeqEngineRun runSeq2SeqEngine(const QString &modelDir, const torch::Tensor &sourceIds,
                                  const torch::Tensor &decoderIds);

// Empty when the attentions agree within 1e-5 (dense and compact) and the logits within 1e-4;
// else what differs. Prints the largest differences.
QString seq2seqMismatch(const Seq2SeqEngineRun &run, const Seq2SeqExpected &expected);

} // namespace attnscope::test
