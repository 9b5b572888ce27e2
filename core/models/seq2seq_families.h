#pragma once
// Loaders of the encoder–decoder families, for the model registry. Each returns a
// Seq2SeqModel (core/models/seq2seq_model.h).

#include <functional>
#include <memory>
#include <string>

#include <QString>
#include <torch/types.h>

#include "core/models/model.h"

namespace attnscope {

class ModelConfig;
class WeightResolver;
class WeightSource;

// T5 v1.0 and v1.1, flan-t5, mT5.
std::unique_ptr<Model> loadT5(const QString &modelDir, const ModelConfig &config, const WeightSource &source);
std::unique_ptr<Model> loadBart(const QString &modelDir, const ModelConfig &config, const WeightSource &source);
std::unique_ptr<Model> loadMarian(const QString &modelDir, const ModelConfig &config, const WeightSource &source);

// What sets BART's relatives apart (bart.cpp holds the shared stacks): the position table
// of each stack and where tokens start in it, and whether a LayerNorm follows the embedding.
struct BartFlavor {
    int64_t positionOffset = 2;  // BART's learned table keeps two rows before the first token
    bool embeddingNorm = true;   // layernorm_embedding
    // The table [rows, d_model] of the stack under `prefix` ("model.encoder."), holding
    // positions up to max_position_embeddings.
    std::function<torch::Tensor(const WeightResolver &weights, const std::string &prefix, int64_t positions,
                                int64_t dim)> positionTable;
    QString positions = QStringLiteral("learned");
};
std::unique_ptr<Model> loadBartFamily(const QString &modelDir, const ModelConfig &config, const WeightSource &source,
                                      const BartFlavor &flavor);

} // namespace attnscope
