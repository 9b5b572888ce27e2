#pragma once
// An encoder–decoder transformer (T5, BART, Marian): the encoder reads the source ids, the
// decoder reads its own ids causally and, in every layer, attends to the encoder's output
// (cross-attention: queries from the decoder, keys and values from the encoder, no causal
// mask). All three kinds of attention go through attend(), each reporting to its own
// recorder, so variants and records work on every stack.
//
// As a Model (loadModel() returns these too) the encoder alone runs: info() describes the
// encoder and forward() returns its final hidden states [S, hidden], so every tool that
// reads one stack's attention reads the encoder's.

#include <memory>

#include <QString>
#include <QStringList>
#include <torch/types.h>

#include "core/attention/variant.h"
#include "core/models/model.h"

namespace attnscope {

class AttentionRecorder;
class ForwardProbe;
class ModelConfig;

// Both stacks; the cross-attention has the decoder's layers and heads.
struct Seq2SeqInfo {
    int encoderLayers = 0;
    int decoderLayers = 0;
    int encoderHeads = 0;
    int decoderHeads = 0;
    int headDim = 0;
    int decoderVocabSize = 0;      // the logits' width (Marian may differ from the source vocabulary)
    int64_t decoderStartTokenId = 0; // config "decoder_start_token_id" (required)
    QString positions;             // "relative buckets" (T5), "learned", "sinusoidal"
    int maxSourcePositions = 0;    // 0: no table limits the length (relative positions)
    int maxTargetPositions = 0;
};

struct Seq2SeqInput {
    torch::Tensor inputIds;         // [S] int64, the source
    torch::Tensor attentionMask;    // [S], optional: 0 = padding, hidden from every query
    torch::Tensor decoderInputIds;  // [T] int64: decoder_start_token_id, then the target shifted right
};

struct Seq2SeqRecorders {
    AttentionRecorder *encoder = nullptr; // [L_enc, H, S, S]
    AttentionRecorder *decoder = nullptr; // [L_dec, H, T, T], causal
    AttentionRecorder *cross = nullptr;   // [L_dec, H, T, S]
};

// What analyses hook into the encoder through the Model interface (ModelInput's head gates
// and probe, core/models/forward_probe.h).
struct EncoderHooks {
    torch::Tensor headGates;       // [L_enc, H] or undefined
    ForwardProbe *probe = nullptr;
};

// A plan per stack; the layer numbers of each count within its stack.
struct Seq2SeqPlans {
    AttentionPlan encoder, decoder, cross;
    static Seq2SeqPlans everywhere(const AttentionPlan &plan) { return {plan, plan, plan}; }
};

class Seq2SeqModel : public Model {
public:
    const ModelInfo &info() const override { return m_info; }
    const Seq2SeqInfo &seq2seqInfo() const { return m_seq2seq; }

    // The encoder alone: final hidden states [S, hidden], with the input's head gates and probe.
    torch::Tensor forward(const ModelInput &input, const AttentionPlan &plan,
                          AttentionRecorder *recorder) const override;
    // Both stacks: logits [T, decoder vocabulary].
    torch::Tensor forward(const Seq2SeqInput &input, const Seq2SeqPlans &plans,
                          const Seq2SeqRecorders &recorders) const;

    // The two halves, for generation (encode once, decode each step): encoder output [S, hidden];
    // logits [T, vocab] of the decoder ids over that output.
    virtual torch::Tensor encode(const torch::Tensor &sourceIds, const torch::Tensor &keyMask,
                                 const AttentionPlan &plan, AttentionRecorder *recorder,
                                 const EncoderHooks &hooks) const = 0;
    virtual torch::Tensor decode(const torch::Tensor &decoderIds, const torch::Tensor &encoderOutput,
                                 const torch::Tensor &sourceKeyMask, const Seq2SeqPlans &plans,
                                 const Seq2SeqRecorders &recorders) const = 0;

protected:
    // Fills both infos from the stacks' shape; reads decoder_start_token_id, which must be
    // there (InputError naming config.json) and inside the decoder's vocabulary.
    void describe(const QString &modelDir, const ModelConfig &config, const Seq2SeqInfo &stacks, int hidden,
                  int sourceVocab);

    ModelInfo m_info; // the encoder
    Seq2SeqInfo m_seq2seq;
};

// loadModel() for an encoder–decoder folder; InputError naming config.json when the
// model_type is another kind of model.
std::unique_ptr<Seq2SeqModel> loadSeq2SeqModel(const QString &modelDir);
bool isSeq2SeqModelType(const QString &modelType); // t5, bart, marian … (model_registry.cpp)
QStringList seq2seqModelTypes();

// What the decoder reads for `labels` (the tokenized target, EOS included), as Hugging Face
// shifts labels right: [decoder_start_token_id, labels[0 … T−2]]; the start token alone
// when there are no labels.
torch::Tensor shiftedRight(const torch::Tensor &labels, int64_t decoderStartTokenId);

} // namespace attnscope
