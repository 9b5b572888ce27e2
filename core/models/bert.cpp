#include "core/models/bert.h"

#include <optional>

#include "core/io/model_config.h"
#include "core/models/common/encoder_layer.h"
#include "core/models/common/head_gates.h"
#include "core/models/common/token_input.h"
#include "core/models/common/weight_resolver.h"
#include "core/models/encoder_families.h"

namespace attnscope {

namespace {

class BertModel final : public Model {
public:
    BertModel(const QString &modelDir, const ModelConfig &config, const WeightSource &source, const BertFlavor &flavor);

    const ModelInfo &info() const override { return m_info; }
    torch::Tensor forward(const ModelInput &input, const AttentionPlan &plan,
                          AttentionRecorder *recorder) const override;
    // The masked-LM head reads any layer's (post-norm) stream as it reads the last one.
    torch::Tensor unembed(const torch::Tensor &hidden) const override
    {
        return m_maskedLm ? m_head(hidden) : Model::unembed(hidden);
    }

private:
    ModelInfo m_info;
    BertFlavor m_flavor;
    bool m_maskedLm = false;
    int64_t m_padTokenId = 0;
    torch::Tensor m_wordEmbeddings, m_positionEmbeddings, m_tokenTypeEmbeddings;
    LayerNorm m_embeddingNorm;
    std::optional<EncoderStack> m_encoder;
    EncoderHead m_head;
};

void rejectUnsupported(const ModelConfig &config)
{
    const QString positions = config.string(QStringLiteral("position_embedding_type"), QStringLiteral("absolute"));
    if (positions != QLatin1String("absolute"))
        config.fail(QStringLiteral("position_embedding_type '%1' is not supported (only 'absolute')").arg(positions));
    if (config.boolean(QStringLiteral("is_decoder"), false))
        config.fail(QStringLiteral("is_decoder models (causal BERT) are not supported"));
}

BertModel::BertModel(const QString &modelDir, const ModelConfig &config, const WeightSource &source, const BertFlavor &flavor)
    : m_flavor(flavor)
{
    rejectUnsupported(config);
    const WeightResolver weights(source, config, {flavor.basePrefix});
    const EncoderShape shape = bertStyleShape(config);
    const int64_t vocab = config.integer(QStringLiteral("vocab_size"));
    const int64_t maxPositions = config.integer(QStringLiteral("max_position_embeddings"));
    const int64_t typeVocab = config.integer(QStringLiteral("type_vocab_size"), 2);
    m_padTokenId = config.integer(QStringLiteral("pad_token_id"), flavor.defaultPadTokenId);

    m_wordEmbeddings = weights.stored("embeddings.word_embeddings.weight", {vocab, shape.hidden});
    m_positionEmbeddings = weights.tensor("embeddings.position_embeddings.weight", {maxPositions, shape.hidden});
    m_tokenTypeEmbeddings = weights.tensor("embeddings.token_type_embeddings.weight", {typeVocab, shape.hidden});
    m_embeddingNorm = weights.layerNorm("embeddings.LayerNorm", shape.hidden, shape.layerNormEps);
    m_encoder.emplace(weights, "encoder.layer.", bertLayerNames(), shape);
    EncoderHeadSpec head;
    head.maskedLm = flavor.maskedLm;
    head.maskedLmActivation = flavor.maskedLmUsesHiddenAct ? shape.activation
                                                            : activationByName(config, QStringLiteral("gelu"));
    head.layerNormEps = shape.layerNormEps;
    head.sequenceClassifier = flavor.sequenceClassifier;
    head.sequenceActivation = activationByName(config, QStringLiteral("tanh"));
    m_head = encoderHead(weights, config, head, m_wordEmbeddings);
    m_maskedLm = encoderTask(config) == EncoderTask::MaskedLm;

    m_info = encoderInfo(modelDir, config, shape);
    m_info.vocabSize = int(vocab);
    m_info.maxPositions = int(maxPositions - flavor.reservedPositions);
    m_info.labels = taskLabels(config);
    m_info.parameters = weights.loadedParameters();
}

torch::Tensor BertModel::forward(const ModelInput &input, const AttentionPlan &plan,
                                 AttentionRecorder *recorder) const
{
    const GradientScope gradients(input);
    const torch::Tensor ids = checkedTokenIds(input, m_wordEmbeddings.size(0));
    const int64_t tokens = ids.size(0);
    const torch::Tensor types = checkedTokenTypes(input, tokens, m_tokenTypeEmbeddings.size(0));
    const torch::Tensor positions = m_flavor.positionIds(ids, m_padTokenId);
    checkPositions(positions, m_positionEmbeddings.size(0));
    checkHeadGates(input, m_info);

    const torch::Tensor x = m_embeddingNorm(embeddingRows(m_wordEmbeddings, ids)
                                            + m_positionEmbeddings.index_select(0, positions)
                                            + m_tokenTypeEmbeddings.index_select(0, types));
    return m_head(m_encoder->forward(x, keyMaskOf(input, tokens), input, plan, recorder));
}

} // namespace

EncoderLayerNames bertLayerNames()
{
    return {"attention.self.query", "attention.self.key", "attention.self.value",
            "attention.output.dense", "attention.output.LayerNorm",
            "intermediate.dense", "output.dense", "output.LayerNorm"};
}

BertFlavor bertFlavor()
{
    BertFlavor flavor;
    flavor.basePrefix = "bert.";
    flavor.positionIds = [](const torch::Tensor &ids, int64_t) { return torch::arange(ids.size(0), torch::kLong); };
    flavor.maskedLm = {"cls.predictions.transform.dense", "cls.predictions.transform.LayerNorm",
                       "cls.predictions.decoder", "cls.predictions.bias"};
    flavor.sequenceClassifier = {"pooler.dense", "classifier"};
    return flavor;
}

std::unique_ptr<Model> loadBertFamily(const QString &modelDir, const ModelConfig &config, const WeightSource &source,
                                      const BertFlavor &flavor)
{
    return std::make_unique<BertModel>(modelDir, config, source, flavor);
}

std::unique_ptr<Model> loadBert(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    return loadBertFamily(modelDir, config, source, bertFlavor());
}

} // namespace attnscope
