#pragma once
// Loaders of the causal decoder families, for the model registry.

#include <memory>

#include <QString>

#include "core/models/model.h"

namespace attnscope {

class ModelConfig;
class WeightSource;

std::unique_ptr<Model> loadGpt2(const QString &modelDir, const ModelConfig &config, const WeightSource &source);
// LLaMA, Mistral, Qwen2 and their tied-embedding small cousins (SmolLM).
std::unique_ptr<Model> loadLlama(const QString &modelDir, const ModelConfig &config, const WeightSource &source);

} // namespace attnscope
