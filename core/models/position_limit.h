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
    int64_t tokens = 0;   // learned: positions usable by tokens; rotary: the trained context
    bool assumed = false; // rotary, config.json names no context: kAssumedRotaryContext
};

// The context taken for a RoPE model whose config.json gives no max_position_embeddings
// (Hugging Face's LlamaConfig default), rather than no limit at all.
constexpr int64_t kAssumedRotaryContext = 2048;

// None for image models and model types without a known position scheme.
PositionLimit positionLimitOf(const ModelConfig &config);

// " (assumed: …)" after a context that config.json does not give, else empty.
QString assumedNote(const PositionLimit &limit);

// Empty when `tokens` fit, else one line saying what happens to them.
QString positionLimitWarning(const ModelConfig &config, int64_t tokens);

} // namespace attnscope
