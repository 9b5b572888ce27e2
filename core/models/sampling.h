#pragma once
// How generation picks the next token from a step's logits: the most likely one (greedy), or
// a draw from softmax(logits / temperature) restricted to the top k, then to the top-p
// nucleus, in the order of Hugging Face's logits warpers. The draw comes from a seeded
// std::mt19937_64, so the same seed writes the same tokens.

#include <cstdint>
#include <random>

#include <QString>
#include <torch/types.h>

namespace attnscope {

struct SamplingSettings {
    bool greedy = true;        // the most likely token; the other fields are not used
    double temperature = 1.0;  // > 0
    int64_t topK = 0;          // keep the k most likely tokens (and any tied with the k-th); 0 = all
    double topP = 1.0;         // in (0, 1]: keep the smallest most-likely set whose probability reaches p
    uint64_t seed = 0;
};

// Empty when the settings can sample, else one line naming the setting and its allowed range.
QString samplingProblem(const SamplingSettings &settings);

// The distribution a sampling step draws from, [vocab] float64 summing to 1: softmax(logits / τ),
// then the tokens outside the top k set to 0 and the rest renormalized, then the same for the
// tokens outside the top-p nucleus (the most likely token always stays). Ignores `greedy`, so
// a panel can show what any settings would do. Throws std::invalid_argument as the sampler does.
torch::Tensor samplingDistribution(const torch::Tensor &logits, const SamplingSettings &settings);

class TokenSampler {
public:
    // Throws std::invalid_argument when samplingProblem() names one.
    explicit TokenSampler(const SamplingSettings &settings);

    // The next token from the logits [vocab] of the last position.
    int64_t next(const torch::Tensor &logits);

private:
    SamplingSettings m_settings;
    std::mt19937_64 m_engine;
};

} // namespace attnscope
