#pragma once
// The decoder most rotary families share (LLaMA, Mistral, Qwen2/3, Phi-3, OLMo 2, Gemma 1–3):
// token embeddings, blocks of RMS-normed attention and a gated MLP, a final norm and an LM
// head. Families differ only in the parts they fill in: which norms stand around each
// block, q/k norms, per-layer windows and rotary tables, score and logit soft-capping.

#include <vector>

#include "core/models/causal_lm.h"
#include "core/models/common/activation.h"
#include "core/models/common/layer_norm.h"
#include "core/models/common/linear.h"
#include "core/models/common/rotary_embedding.h"

namespace attnscope {

// q/k normalization before the rotation: per head over head_dim (Qwen3, Gemma 3) or over
// the whole projection width (OLMo 2).
struct DecoderDimensions {
    int64_t hidden = 0, layers = 0, heads = 0, kvHeads = 0, headDim = 0, intermediate = 0;
};

enum class QkNorm { None, PerHead, WholeProjection };

struct RotaryDecoderLayer {
    // A norm whose weight is undefined is left out: LLaMA normalizes the inputs of attention
    // and MLP, OLMo 2 their outputs, Gemma 2/3 both.
    RmsNorm attentionInputNorm, attentionOutputNorm, mlpInputNorm, mlpOutputNorm;
    Linear q, k, v, o;
    RmsNorm qNorm, kNorm;
    Linear gate, up, down;
    int64_t slidingWindow = 0;
    size_t rotary = 0; // index into RotaryDecoderParts::rotaries
};

struct RotaryDecoderParts {
    torch::Tensor embeddings;          // [vocab, hidden]
    double embeddingScale = 0;         // > 0: embeddings × this, rounded to their dtype (Gemma)
    std::vector<RotaryDecoderLayer> layers;
    std::vector<RotaryEmbedding> rotaries;
    QkNorm qkNorm = QkNorm::None;
    Activation activation;
    double attentionScale = 0;         // scores = q·kᵀ × this
    double attentionSoftCap = 0;       // > 0: scores soft-capped (Gemma 2)
    RmsNorm finalNorm;
    Linear lmHead;
    double finalSoftCap = 0;           // > 0: logits = cap·tanh(logits / cap) (Gemma 2)
};

class RotaryDecoder final : public CausalLanguageModel {
public:
    // `parameters`: the elements of the loaded weights; the windows come from the layers.
    RotaryDecoder(const QString &modelDir, const ModelConfig &config, const DecoderDimensions &dims,
                  RotaryDecoderParts parts, int64_t parameters);

    Readout readout() const override;

protected:
    torch::Tensor decode(const torch::Tensor &ids, const torch::Tensor &positions,
                         const DecoderPass &pass) const override;

private:
    torch::Tensor attention(const RotaryDecoderLayer &layer, int index, const torch::Tensor &x,
                            const torch::Tensor &positions, const DecoderPass &pass) const;

    RotaryDecoderParts m_parts;
};

} // namespace attnscope
