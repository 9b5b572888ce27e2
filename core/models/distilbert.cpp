// DistilBERT: BERT's post-norm layer under its own names (q_lin, sa_layer_norm, ffn.lin1 …),
// word + position embeddings only, LayerNorm eps fixed at 1e-12.

#include <optional>

#include "core/io/model_config.h"
#include "core/models/common/encoder_heads.h"
#include "core/models/common/encoder_layer.h"
#include "core/models/common/head_gates.h"
#include "core/models/common/token_input.h"
#include "core/models/common/weight_resolver.h"
#include "core/models/encoder_families.h"

namespace attnscope {

namespace {

constexpr double kLayerNormEps = 1e-12; // hard-coded in transformers' DistilBERT

class DistilBertModel final : public Model {
public:
    DistilBertModel(const QString &modelDir, const ModelConfig &config, const WeightSource &source);

    const ModelInfo &info() const override { return m_info; }
    torch::Tensor forward(const ModelInput &input, const AttentionPlan &plan,
                          AttentionRecorder *recorder) const override;

private:
    ModelInfo m_info;
    torch::Tensor m_wordEmbeddings, m_positionEmbeddings;
    LayerNorm m_embeddingNorm;
    std::optional<EncoderStack> m_encoder;
    EncoderHead m_head;
};

EncoderShape distilBertShape(const ModelConfig &config)
{
    EncoderShape shape;
    shape.layers = config.integer(QStringLiteral("n_layers"));
    shape.hidden = config.integer(QStringLiteral("dim"));
    shape.heads = config.integer(QStringLiteral("n_heads"));
    shape.intermediate = config.integer(QStringLiteral("hidden_dim"));
    shape.layerNormEps = kLayerNormEps;
    shape.activation = activationByName(config, config.string(QStringLiteral("activation"), QStringLiteral("gelu")));
    return shape;
}

DistilBertModel::DistilBertModel(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    const WeightResolver weights(source, config, {"distilbert."});
    const EncoderShape shape = distilBertShape(config);
    const int64_t vocab = config.integer(QStringLiteral("vocab_size"));
    const int64_t maxPositions = config.integer(QStringLiteral("max_position_embeddings"));
    // With sinusoidal_pos_embds the table is still stored: transformers saves it like any weight.
    m_wordEmbeddings = weights.stored("embeddings.word_embeddings.weight", {vocab, shape.hidden});
    m_positionEmbeddings = weights.tensor("embeddings.position_embeddings.weight", {maxPositions, shape.hidden});
    m_embeddingNorm = weights.layerNorm("embeddings.LayerNorm", shape.hidden, kLayerNormEps);
    const EncoderLayerNames names{"attention.q_lin", "attention.k_lin", "attention.v_lin",
                                  "attention.out_lin", "sa_layer_norm",
                                  "ffn.lin1", "ffn.lin2", "output_layer_norm"};
    m_encoder.emplace(weights, "transformer.layer.", names, shape);
    EncoderHeadSpec head;
    head.maskedLm = {"vocab_transform", "vocab_layer_norm", "vocab_projector", "vocab_projector.bias"};
    head.maskedLmActivation = shape.activation;
    head.layerNormEps = kLayerNormEps;
    head.sequenceClassifier = {"pre_classifier", "classifier"};
    head.sequenceActivation = activationByName(config, QStringLiteral("relu"));
    m_head = encoderHead(weights, config, head, m_wordEmbeddings);

    m_info = encoderInfo(modelDir, config, shape);
    m_info.vocabSize = int(vocab);
    m_info.maxPositions = int(maxPositions);
    m_info.labels = taskLabels(config);
    m_info.parameters = weights.loadedParameters();
}

torch::Tensor DistilBertModel::forward(const ModelInput &input, const AttentionPlan &plan,
                                       AttentionRecorder *recorder) const
{
    const GradientScope gradients(input);
    const torch::Tensor ids = checkedTokenIds(input, m_wordEmbeddings.size(0));
    const int64_t tokens = ids.size(0);
    const torch::Tensor positions = torch::arange(tokens, torch::kLong);
    checkPositions(positions, m_positionEmbeddings.size(0));
    checkHeadGates(input, m_info);

    const torch::Tensor x = m_embeddingNorm(embeddingRows(m_wordEmbeddings, ids)
                                            + m_positionEmbeddings.index_select(0, positions));
    return m_head(m_encoder->forward(x, keyMaskOf(input, tokens), input, plan, recorder));
}

} // namespace

std::unique_ptr<Model> loadDistilBert(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    return std::make_unique<DistilBertModel>(modelDir, config, source);
}

} // namespace attnscope
