#pragma once
// Loaders of the encoder and vision families, for the model registry.

#include <memory>

#include <QString>

#include "core/models/model.h"

namespace attnscope {

class ModelConfig;

std::unique_ptr<Model> loadBert(const QString &modelDir, const ModelConfig &config);
std::unique_ptr<Model> loadRoberta(const QString &modelDir, const ModelConfig &config);
std::unique_ptr<Model> loadDistilBert(const QString &modelDir, const ModelConfig &config);
std::unique_ptr<Model> loadVit(const QString &modelDir, const ModelConfig &config); // ViT and DeiT

} // namespace attnscope
