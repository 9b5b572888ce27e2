// loadModel(): the family by config.json's "model_type". Adding a family: its file plus one
// line below.

#include <vector>

#include "core/io/input_error.h"
#include "core/io/model_config.h"
#include "core/io/weights.h"
#include "core/models/common/engine_threads.h"
#include "core/models/config_checks.h"
#include "core/models/decoder_families.h"
#include "core/models/encoder_families.h"
#include "core/models/model.h"
#include "core/models/seq2seq_families.h"
#include "core/models/seq2seq_model.h"

namespace attnscope {

namespace {

using ModelLoader = std::unique_ptr<Model> (*)(const QString &modelDir, const ModelConfig &config, const WeightSource &source);

struct ModelFamily {
    const char *modelType;
    ModelLoader load;
    bool vision = false;
    bool seq2seq = false; // loads a Seq2SeqModel
};

const std::vector<ModelFamily> &families()
{
    static const std::vector<ModelFamily> list = {
        {"bert", loadBert},
        {"roberta", loadRoberta},
        {"distilbert", loadDistilBert},
        {"vit", loadVit, true},
        {"deit", loadVit, true},
        {"dinov2", loadVit, true},
        {"dinov2_with_registers", loadVit, true},
        {"gpt2", loadGpt2},
        {"llama", loadLlama},
        {"mistral", loadLlama},
        {"qwen2", loadLlama},
        {"qwen3", loadQwen3},
        {"gpt_neox", loadGptNeox},
        {"phi3", loadPhi3},
        {"olmo2", loadOlmo2},
        {"gemma", loadGemma},
        {"gemma2", loadGemma},
        {"gemma3_text", loadGemma},
        {"t5", loadT5, false, true},
        {"mt5", loadT5, false, true},
        {"bart", loadBart, false, true},
        {"marian", loadMarian, false, true},
    };
    return list;
}

} // namespace

QStringList supportedModelTypes()
{
    QStringList types;
    for (const ModelFamily &family : families())
        types << QLatin1String(family.modelType);
    return types;
}

bool isVisionModelType(const QString &modelType)
{
    for (const ModelFamily &family : families())
        if (modelType == QLatin1String(family.modelType))
            return family.vision;
    return false;
}

bool isSeq2SeqModelType(const QString &modelType)
{
    return seq2seqModelTypes().contains(modelType);
}

QStringList seq2seqModelTypes()
{
    QStringList types;
    for (const ModelFamily &family : families())
        if (family.seq2seq)
            types << QLatin1String(family.modelType);
    return types;
}

namespace {

const ModelFamily &familyOf(const ModelConfig &config)
{
    const QString type = config.modelType();
    for (const ModelFamily &family : families())
        if (type == QLatin1String(family.modelType))
            return family;
    config.fail(QStringLiteral("model_type '%1' is not supported (supported: %2)")
                    .arg(type, supportedModelTypes().join(QStringLiteral(", "))));
}

} // namespace

std::unique_ptr<Model> loadModel(const QString &modelDir)
{
    const ModelConfig config = ModelConfig::load(modelDir);
    const ModelFamily &family = familyOf(config);
    checkConfigRanges(config);
    useAllCores();
    return family.load(modelDir, config, *openWeights(modelDir));
}

std::unique_ptr<Model> buildModel(const QString &modelDir, const ModelConfig &config, const WeightSource &weights)
{
    const ModelFamily &family = familyOf(config);
    checkConfigRanges(config);
    return family.load(modelDir, config, weights);
}

} // namespace attnscope
