// BART and its relatives (Marian: marian.cpp gives its flavor): post-norm encoder and
// decoder layers with biased projections scaled by 1/√d, token embeddings times √d_model when
// scale_embedding, absolute positions (BART's learned table starts two rows in), BART's
// layernorm_embedding, and final_logits_bias added to the LM head (tied to the decoder's
// embeddings unless the checkpoint and config keep their own).

#include <cmath>

#include <torch/torch.h>

#include "core/capture/attention_recorder.h"
#include "core/io/input_error.h"
#include "core/io/model_config.h"
#include "core/models/common/activation.h"
#include "core/models/common/layer_norm.h"
#include "core/models/common/positionwise.h"
#include "core/models/common/seq2seq_attention.h"
#include "core/models/common/weight_resolver.h"
#include "core/models/forward_probe.h"
#include "core/models/seq2seq_families.h"
#include "core/models/seq2seq_model.h"

namespace attnscope {

namespace {

constexpr double kLayerNormEps = 1e-5; // nn.LayerNorm's default, which BART's layers use

struct BartLayer {
    ProjectedAttention self, cross; // cross: decoder layers only
    LayerNorm selfNorm, crossNorm, finalNorm;
    Linear fc1, fc2;
};

struct BartStack {
    torch::Tensor embeddings; // [vocab, d_model], as stored
    torch::Tensor positions;  // [rows, d_model]
    LayerNorm embeddingNorm;  // BART only
    std::vector<BartLayer> layers;
    int64_t heads = 0;
};

class BartModel final : public Seq2SeqModel {
public:
    BartModel(const QString &modelDir, const ModelConfig &config, const WeightSource &source, const BartFlavor &flavor);

    torch::Tensor encode(const torch::Tensor &sourceIds, const torch::Tensor &keyMask, const AttentionPlan &plan,
                         AttentionRecorder *recorder, const EncoderHooks &hooks) const override;
    torch::Tensor decode(const torch::Tensor &decoderIds, const torch::Tensor &encoderOutput,
                         const torch::Tensor &sourceKeyMask, const Seq2SeqPlans &plans,
                         const Seq2SeqRecorders &recorders) const override;

private:
    BartStack loadStack(const WeightResolver &weights, const std::string &prefix, const torch::Tensor &embeddings,
                        bool decoder) const;
    torch::Tensor embed(const BartStack &stack, const torch::Tensor &ids) const;
    torch::Tensor feedForward(const BartLayer &layer, const torch::Tensor &x) const;
    double scaleOf(const BartStack &stack) const { return 1.0 / std::sqrt(double(m_hidden / stack.heads)); }

    BartFlavor m_flavor;
    int64_t m_hidden = 0, m_maxPositions = 0;
    double m_embedScale = 1.0;
    Activation m_activation;
    BartStack m_encoder, m_decoder;
    Linear m_lmHead;
    torch::Tensor m_finalLogitsBias; // [decoder vocab] or undefined
};

BartModel::BartModel(const QString &modelDir, const ModelConfig &config, const WeightSource &source,
                     const BartFlavor &flavor)
    : m_flavor(flavor)
{
    const int64_t vocab = config.integer(QStringLiteral("vocab_size"));
    const int64_t decoderVocab = config.integer(QStringLiteral("decoder_vocab_size"), vocab);
    m_hidden = config.integer(QStringLiteral("d_model"));
    m_maxPositions = config.integer(QStringLiteral("max_position_embeddings"));
    m_embedScale = config.boolean(QStringLiteral("scale_embedding"), false) ? std::sqrt(double(m_hidden)) : 1.0;
    m_activation = activationByName(config, config.string(QStringLiteral("activation_function"), QStringLiteral("gelu")));
    if (vocab <= 0 || decoderVocab <= 0 || m_hidden <= 0 || m_maxPositions <= 0)
        config.fail(QStringLiteral("vocab_size, d_model and max_position_embeddings must be positive"));

    const WeightResolver weights(source, config, {"model."});
    const bool shared = weights.contains("shared.weight");
    const torch::Tensor encoderEmbeddings = weights.stored(shared ? "shared.weight" : "encoder.embed_tokens.weight",
                                                           {vocab, m_hidden});
    const bool shareWithDecoder = config.boolean(QStringLiteral("share_encoder_decoder_embeddings"), true);
    const torch::Tensor decoderEmbeddings = shareWithDecoder && decoderVocab == vocab
        ? encoderEmbeddings
        : weights.stored("decoder.embed_tokens.weight", {decoderVocab, m_hidden});
    m_encoder = loadStack(weights, "encoder.", encoderEmbeddings, false);
    m_decoder = loadStack(weights, "decoder.", decoderEmbeddings, true);
    const bool tied = config.boolean(QStringLiteral("tie_word_embeddings"), true) || !weights.contains("lm_head.weight");
    m_lmHead.weight = tied ? decoderEmbeddings : weights.stored("lm_head.weight", {decoderVocab, m_hidden});
    if (weights.contains("final_logits_bias"))
        m_finalLogitsBias = weights.tensor("final_logits_bias", {1, decoderVocab}).view({decoderVocab});

    Seq2SeqInfo stacks;
    stacks.encoderLayers = int(m_encoder.layers.size());
    stacks.decoderLayers = int(m_decoder.layers.size());
    stacks.encoderHeads = int(m_encoder.heads);
    stacks.decoderHeads = int(m_decoder.heads);
    stacks.headDim = int(m_hidden / m_encoder.heads);
    stacks.decoderVocabSize = int(decoderVocab);
    stacks.positions = flavor.positions;
    stacks.maxSourcePositions = stacks.maxTargetPositions = int(m_maxPositions);
    describe(modelDir, config, stacks, int(m_hidden), int(vocab));
    m_info.parameters = weights.loadedParameters();
}

BartStack BartModel::loadStack(const WeightResolver &weights, const std::string &prefix,
                               const torch::Tensor &embeddings, bool decoder) const
{
    const ModelConfig &config = weights.config();
    const QString side = decoder ? QStringLiteral("decoder_") : QStringLiteral("encoder_");
    const int64_t layers = config.integer(side + QStringLiteral("layers"));
    const int64_t heads = config.integer(side + QStringLiteral("attention_heads"));
    const int64_t ffn = config.integer(side + QStringLiteral("ffn_dim"));
    if (layers <= 0 || heads <= 0 || ffn <= 0 || m_hidden % heads != 0)
        config.fail(QStringLiteral("d_model (%1) must be a multiple of %2attention_heads (%3); %2layers and %2ffn_dim positive")
                        .arg(m_hidden).arg(side).arg(heads));
    BartStack stack;
    stack.embeddings = embeddings;
    stack.heads = heads;
    stack.positions = m_flavor.positionTable(weights, prefix, m_maxPositions, m_hidden);
    if (m_flavor.embeddingNorm)
        stack.embeddingNorm = weights.layerNorm(prefix + "layernorm_embedding", m_hidden, kLayerNormEps);
    const ProjectionNames names{"q_proj", "k_proj", "v_proj", "out_proj"};
    for (int64_t i = 0; i < layers; ++i) {
        const std::string at = prefix + "layers." + std::to_string(i) + ".";
        BartLayer layer;
        layer.self = loadProjectedAttention(weights, at + "self_attn.", names, m_hidden, heads, m_hidden / heads, true);
        layer.selfNorm = weights.layerNorm(at + "self_attn_layer_norm", m_hidden, kLayerNormEps);
        if (decoder) {
            layer.cross = loadProjectedAttention(weights, at + "encoder_attn.", names, m_hidden, heads, m_hidden / heads, true);
            layer.crossNorm = weights.layerNorm(at + "encoder_attn_layer_norm", m_hidden, kLayerNormEps);
        }
        layer.fc1 = weights.linear(at + "fc1", ffn, m_hidden);
        layer.fc2 = weights.linear(at + "fc2", m_hidden, ffn);
        layer.finalNorm = weights.layerNorm(at + "final_layer_norm", m_hidden, kLayerNormEps);
        stack.layers.push_back(std::move(layer));
    }
    return stack;
}

torch::Tensor BartModel::embed(const BartStack &stack, const torch::Tensor &ids) const
{
    if (ids.size(0) > m_maxPositions)
        throw InputError(QStringLiteral("input"), QStringLiteral("too long: %1 tokens are beyond the %2 positions of this %3 model")
                                                      .arg(ids.size(0)).arg(m_maxPositions).arg(m_info.modelType));
    const torch::Tensor positions = torch::arange(ids.size(0), torch::kLong) + m_flavor.positionOffset;
    const torch::Tensor x = embeddingRows(stack.embeddings, ids) * m_embedScale + stack.positions.index_select(0, positions);
    return m_flavor.embeddingNorm ? stack.embeddingNorm(x) : x;
}

torch::Tensor BartModel::feedForward(const BartLayer &layer, const torch::Tensor &x) const
{
    return applyPositionwise(x, [&](const torch::Tensor &rows) { return layer.fc2(m_activation(layer.fc1(rows))); });
}

torch::Tensor BartModel::encode(const torch::Tensor &sourceIds, const torch::Tensor &keyMask, const AttentionPlan &plan,
                                AttentionRecorder *recorder, const EncoderHooks &hooks) const
{
    const int64_t tokens = sourceIds.size(0);
    torch::Tensor x = probedResidual(hooks.probe, 0, embed(m_encoder, sourceIds));
    if (recorder)
        recorder->beginForward(int64_t(m_encoder.layers.size()), m_encoder.heads, tokens, tokens);
    AttentionStep step;
    step.scale = scaleOf(m_encoder);
    step.keyMask = keyMask;
    step.plan = &plan;
    step.recorder = recorder;
    step.headGates = hooks.headGates;
    step.probe = hooks.probe;
    for (size_t i = 0; i < m_encoder.layers.size(); ++i) {
        const BartLayer &layer = m_encoder.layers[i];
        step.layer = int(i);
        x = layer.selfNorm(x + attendProjected(layer.self, x, x, step));
        x = layer.finalNorm(x + probedMlp(hooks.probe, step.layer, feedForward(layer, x)));
        x = probedResidual(hooks.probe, step.layer + 1, x);
    }
    return x;
}

torch::Tensor BartModel::decode(const torch::Tensor &decoderIds, const torch::Tensor &encoderOutput,
                                const torch::Tensor &sourceKeyMask, const Seq2SeqPlans &plans,
                                const Seq2SeqRecorders &recorders) const
{
    const int64_t tokens = decoderIds.size(0), layers = int64_t(m_decoder.layers.size());
    torch::Tensor x = embed(m_decoder, decoderIds);
    if (recorders.decoder)
        recorders.decoder->beginForward(layers, m_decoder.heads, tokens, tokens);
    if (recorders.cross)
        recorders.cross->beginForward(layers, m_decoder.heads, tokens, encoderOutput.size(0));
    AttentionStep self;
    self.scale = scaleOf(m_decoder);
    self.causal = true;
    self.plan = &plans.decoder;
    self.recorder = recorders.decoder;
    AttentionStep cross;
    cross.scale = self.scale;
    cross.keyMask = sourceKeyMask;
    cross.plan = &plans.cross;
    cross.recorder = recorders.cross;
    for (size_t i = 0; i < m_decoder.layers.size(); ++i) {
        const BartLayer &layer = m_decoder.layers[i];
        self.layer = cross.layer = int(i);
        x = layer.selfNorm(x + attendProjected(layer.self, x, x, self));
        x = layer.crossNorm(x + attendProjected(layer.cross, x, encoderOutput, cross));
        x = layer.finalNorm(x + feedForward(layer, x));
    }
    const torch::Tensor logits = m_lmHead(x);
    return m_finalLogitsBias.defined() ? logits + m_finalLogitsBias : logits;
}

} // namespace

std::unique_ptr<Model> loadBartFamily(const QString &modelDir, const ModelConfig &config, const WeightSource &source,
                                      const BartFlavor &flavor)
{
    return std::make_unique<BartModel>(modelDir, config, source, flavor);
}

std::unique_ptr<Model> loadBart(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    BartFlavor flavor;
    flavor.positionTable = [](const WeightResolver &weights, const std::string &prefix, int64_t positions, int64_t dim) {
        return weights.tensor(prefix + "embed_positions.weight", {positions + 2, dim});
    };
    return loadBartFamily(modelDir, config, source, flavor);
}

} // namespace attnscope
