#pragma once
// Loaders of the causal decoder families, for the model registry.

#include <memory>
#include <vector>

#include <QString>

#include "core/models/model.h"

namespace attnscope {

class ModelConfig;
class WeightSource;

std::unique_ptr<Model> loadGpt2(const QString &modelDir, const ModelConfig &config, const WeightSource &source);
// LLaMA, Mistral, Qwen2 and their tied-embedding small cousins (SmolLM).
std::unique_ptr<Model> loadLlama(const QString &modelDir, const ModelConfig &config, const WeightSource &source);
std::unique_ptr<Model> loadQwen3(const QString &modelDir, const ModelConfig &config, const WeightSource &source);
std::unique_ptr<Model> loadGptNeox(const QString &modelDir, const ModelConfig &config, const WeightSource &source);
std::unique_ptr<Model> loadPhi3(const QString &modelDir, const ModelConfig &config, const WeightSource &source);
std::unique_ptr<Model> loadOlmo2(const QString &modelDir, const ModelConfig &config, const WeightSource &source);
// Gemma, Gemma 2 and Gemma 3 (text).
std::unique_ptr<Model> loadGemma(const QString &modelDir, const ModelConfig &config, const WeightSource &source);

// Qwen2/Qwen3 windows: none unless use_sliding_window; then sliding_window on the layers
// from max_window_layers up, or as "layer_types" says.
std::vector<int64_t> qwenSlidingWindows(const ModelConfig &config, int64_t layers);

} // namespace attnscope
