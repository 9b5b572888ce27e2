#pragma once
// BERT and the families that reuse its body (RoBERTa): embeddings (word + position + token
// type), a post-norm encoder, and the masked-LM, sequence- or token-classification head.
// A flavor says what the reuser changes: weight prefix, position ids, head names.

#include <functional>
#include <memory>
#include <string>

#include <torch/types.h>

#include "core/models/common/encoder_heads.h"
#include "core/models/common/encoder_layer.h"
#include "core/models/model.h"

namespace attnscope {

class ModelConfig;
class WeightSource;

struct BertFlavor {
    std::string basePrefix; // "bert." in checkpoints with a head, absent in base models
    // Position ids [T] for token ids [T] (BERT: 0…T-1; RoBERTa counts from the pad id).
    std::function<torch::Tensor(const torch::Tensor &inputIds, int64_t padTokenId)> positionIds;
    int64_t defaultPadTokenId = 0;
    // Positions the flavor never uses (RoBERTa: pad id + 1), for ModelInfo::maxPositions.
    int64_t reservedPositions = 0;
    MaskedLmNames maskedLm;
    bool maskedLmUsesHiddenAct = true; // RoBERTa's head is always exact GELU
    PooledClassifierNames sequenceClassifier;
};

BertFlavor bertFlavor();

// The names inside one BERT (and RoBERTa) layer, under "encoder.layer.N.".
EncoderLayerNames bertLayerNames();

std::unique_ptr<Model> loadBertFamily(const QString &modelDir, const ModelConfig &config, const WeightSource &source,
                                      const BertFlavor &flavor);

} // namespace attnscope
