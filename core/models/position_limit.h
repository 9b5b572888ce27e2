#pragma once
// How many tokens a model's positions cover, read from its config.json alone (no weights), and
// what happens to an input that is longer: learned absolute positions (GPT-2, BERT, RoBERTa,
// DistilBERT, BART, Marian) end there and the engine refuses the run; rotary positions (LLaMA, Mistral,
// Qwen2) go on, but past the trained context attention is out of distribution.

#include <cstdint>

#include <QString>

namespace attnscope {

class ModelConfig;

enum class PositionKind { None, Learned, Rotary };

struct PositionLimit {
    PositionKind kind = PositionKind::None;
    int64_t tokens = 0; // learned: positions usable by tokens; rotary: the trained context
};

// None for image models and model types without a known position scheme.
PositionLimit positionLimitOf(const ModelConfig &config);

// Empty when `tokens` fit, else one line saying what happens to them.
QString positionLimitWarning(const ModelConfig &config, int64_t tokens);

} // namespace attnscope
