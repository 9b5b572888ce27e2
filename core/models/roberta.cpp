// RoBERTa: BERT's body with its own position ids and head names.

#include "core/io/model_config.h"
#include "core/models/bert.h"
#include "core/models/encoder_families.h"

namespace attnscope {

namespace {

// Position of a real token = pad id + its rank among real tokens; pads sit at the pad id.
torch::Tensor robertaPositionIds(const torch::Tensor &inputIds, int64_t padTokenId)
{
    const torch::Tensor real = inputIds.ne(padTokenId).to(torch::kLong);
    return torch::cumsum(real, 0) * real + padTokenId;
}

} // namespace

std::unique_ptr<Model> loadRoberta(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    BertFlavor flavor;
    flavor.basePrefix = "roberta.";
    flavor.positionIds = robertaPositionIds;
    flavor.defaultPadTokenId = 1;
    flavor.reservedPositions = config.integer(QStringLiteral("pad_token_id"), flavor.defaultPadTokenId) + 1;
    flavor.maskedLm = {"lm_head.dense", "lm_head.layer_norm", "lm_head.decoder", "lm_head.bias"};
    flavor.maskedLmUsesHiddenAct = false;
    flavor.sequenceClassifier = {"classifier.dense", "classifier.out_proj"};
    return loadBertFamily(modelDir, config, source, flavor);
}

} // namespace attnscope
