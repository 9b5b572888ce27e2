#pragma once
// Rotary position embeddings as Hugging Face computes them (LlamaRotaryEmbedding and
// rotate_half): inverse frequencies from the base and the head size, with the rope_scaling
// types "default", "linear", "dynamic" (NTK), "llama3" and "longrope" (Phi-3: short or long
// factors by length, cos and sin scaled), and a partial rotary factor (only the first dims
// rotate).

#include <QJsonObject>
#include <torch/types.h>

namespace attnscope {

class ModelConfig;

// Where a family keeps its rotary fields: most use rope_theta, partial_rotary_factor and
// rope_scaling; GPT-NeoX names them rotary_emb_base and rotary_pct, and Gemma 3's local
// layers use rope_local_base_freq without scaling.
struct RotarySettings {
    double theta = 10000;
    double partialFactor = 1.0;
    QJsonObject scaling; // empty: no scaling

    static RotarySettings fromConfig(const ModelConfig &config);
};

class RotaryEmbedding {
public:
    RotaryEmbedding() = default;
    // Reads rope_theta, rope_scaling, partial_rotary_factor and max_position_embeddings;
    // unknown scaling types are an InputError naming the config file.
    RotaryEmbedding(const ModelConfig &config, int64_t headDim);
    RotaryEmbedding(const ModelConfig &config, int64_t headDim, const RotarySettings &settings);

    // x [H, T, d] rotated to positions [T] (int64). The dynamic type rescales its base by
    // the length the positions reach, and longrope picks its factors by that length, as
    // transformers does for each forward call.
    torch::Tensor apply(const torch::Tensor &x, const torch::Tensor &positions) const;

    const torch::Tensor &inverseFrequencies() const { return m_inverseFrequencies; }

private:
    void readLongRope(const ModelConfig &config, const QJsonObject &scaling);
    torch::Tensor frequenciesFor(int64_t length) const;

    torch::Tensor m_inverseFrequencies; // [rotaryDim / 2]
    int64_t m_rotaryDim = 0;
    double m_theta = 10000;
    double m_dynamicFactor = 0;         // > 0 for the dynamic type
    int64_t m_maxPositions = 0;
    // longrope: frequencies for inputs up to the original context and beyond it.
    torch::Tensor m_longFrequencies;
    int64_t m_originalPositions = 0;
    double m_attentionScaling = 1.0;    // multiplies cos and sin
};

} // namespace attnscope
