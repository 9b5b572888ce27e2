#pragma once
// Loaders of the encoder and vision families, for the model registry.

#include <memory>

#include <QString>

#include "core/models/common/encoder_layer.h"
#include "core/models/model.h"

namespace attnscope {

class ModelConfig;
class WeightSource;

std::unique_ptr<Model> loadBert(const QString &modelDir, const ModelConfig &config, const WeightSource &source);
std::unique_ptr<Model> loadRoberta(const QString &modelDir, const ModelConfig &config, const WeightSource &source);
std::unique_ptr<Model> loadDistilBert(const QString &modelDir, const ModelConfig &config, const WeightSource &source);
std::unique_ptr<Model> loadVit(const QString &modelDir, const ModelConfig &config, const WeightSource &source); // ViT and DeiT

// The names inside one ViT / DeiT layer, under "encoder.layer.N.".
EncoderLayerNames vitLayerNames();

} // namespace attnscope
