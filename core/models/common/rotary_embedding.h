#pragma once
// Rotary position embeddings as Hugging Face computes them (LlamaRotaryEmbedding and
// rotate_half): inverse frequencies from rope_theta and the head size, with the
// rope_scaling types "default", "linear", "dynamic" (NTK) and "llama3", and
// partial_rotary_factor (only the first dims rotate).

#include <torch/types.h>

namespace attnscope {

class ModelConfig;

class RotaryEmbedding {
public:
    RotaryEmbedding() = default;
    // Reads rope_theta, rope_scaling, partial_rotary_factor and max_position_embeddings;
    // unknown scaling types are an InputError naming the config file.
    RotaryEmbedding(const ModelConfig &config, int64_t headDim);

    // x [H, T, d] rotated to positions [T] (int64). The dynamic type rescales its base by
    // the length the positions reach, as transformers does for each forward call.
    torch::Tensor apply(const torch::Tensor &x, const torch::Tensor &positions) const;

    const torch::Tensor &inverseFrequencies() const { return m_inverseFrequencies; }

private:
    torch::Tensor frequenciesFor(int64_t length) const;

    torch::Tensor m_inverseFrequencies; // [rotaryDim / 2]
    int64_t m_rotaryDim = 0;
    double m_theta = 10000;
    double m_dynamicFactor = 0;         // > 0 for the dynamic type
    int64_t m_maxPositions = 0;
};

} // namespace attnscope
