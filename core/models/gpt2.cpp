// GPT-2: learned positions, pre-norm LayerNorm blocks, fused q/k/v in Conv1D layout
// ([in, out]), causal attention, gelu_new MLP, LM head tied to the token embeddings.

#include <cmath>

#include <torch/torch.h>

#include "core/io/model_config.h"
#include "core/models/causal_lm.h"
#include "core/models/common/activation.h"
#include "core/models/common/heads.h"
#include "core/models/common/positionwise.h"
#include "core/models/common/weight_resolver.h"
#include "core/models/decoder_families.h"
#include "core/models/forward_probe.h"
#include "core/models/readout.h"

namespace attnscope {

namespace {

struct Gpt2Layer {
    LayerNorm attentionNorm, mlpNorm;
    Linear qkv, projection, mlpIn, mlpOut;
};

class Gpt2Model final : public CausalLanguageModel {
public:
    Gpt2Model(const QString &modelDir, const ModelConfig &config, const WeightSource &source);

    int64_t positionLimit() const override { return m_positionEmbeddings.size(0); }
    Readout readout() const override { return {m_finalNorm, {}, m_lmHead}; }

protected:
    torch::Tensor decode(const torch::Tensor &ids, const torch::Tensor &positions,
                         const DecoderPass &pass) const override;

private:
    torch::Tensor attention(const Gpt2Layer &layer, int index, const torch::Tensor &x,
                            const DecoderPass &pass) const;

    torch::Tensor m_tokenEmbeddings, m_positionEmbeddings;
    std::vector<Gpt2Layer> m_layers;
    LayerNorm m_finalNorm;
    Linear m_lmHead;
    Activation m_activation;
    bool m_scaleByValueDim = true;
    bool m_scaleByLayer = false;
};

Gpt2Model::Gpt2Model(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    describe(modelDir, config);
    const int64_t hidden = config.integer(QStringLiteral("n_embd"));
    const int64_t layers = config.integer(QStringLiteral("n_layer"));
    const int64_t heads = config.integer(QStringLiteral("n_head"));
    const int64_t positions = config.integer(QStringLiteral("n_positions"));
    if (hidden <= 0 || layers <= 0 || heads <= 0 || positions <= 0 || hidden % heads != 0)
        config.fail(QStringLiteral("n_embd (%1) must be a positive multiple of n_head (%2); n_layer and n_positions positive")
                        .arg(hidden).arg(heads));
    const int64_t inner = config.integer(QStringLiteral("n_inner"), 4 * hidden);
    const double eps = config.number(QStringLiteral("layer_norm_epsilon"), 1e-5);
    m_activation = activationByName(config, config.string(QStringLiteral("activation_function"),
                                                           QStringLiteral("gelu_new")));
    m_scaleByValueDim = config.boolean(QStringLiteral("scale_attn_weights"), true);
    m_scaleByLayer = config.boolean(QStringLiteral("scale_attn_by_inverse_layer_idx"), false);

    const WeightResolver weights(source, config, {"transformer."});
    const int64_t vocab = m_info.vocabSize;
    m_tokenEmbeddings = weights.stored("wte.weight", {vocab, hidden});
    m_positionEmbeddings = weights.tensor("wpe.weight", {positions, hidden});
    for (int64_t i = 0; i < layers; ++i) {
        const std::string at = "h." + std::to_string(i) + ".";
        Gpt2Layer layer;
        layer.attentionNorm = weights.layerNorm(at + "ln_1", hidden, eps);
        layer.qkv = weights.conv1d(at + "attn.c_attn", hidden, 3 * hidden);
        layer.projection = weights.conv1d(at + "attn.c_proj", hidden, hidden);
        layer.mlpNorm = weights.layerNorm(at + "ln_2", hidden, eps);
        layer.mlpIn = weights.conv1d(at + "mlp.c_fc", hidden, inner);
        layer.mlpOut = weights.conv1d(at + "mlp.c_proj", inner, hidden);
        m_layers.push_back(std::move(layer));
    }
    m_finalNorm = weights.layerNorm("ln_f", hidden, eps);
    const bool tied = config.boolean(QStringLiteral("tie_word_embeddings"), true)
        || !weights.contains("lm_head.weight");
    m_lmHead.weight = tied ? m_tokenEmbeddings : weights.stored("lm_head.weight", {vocab, hidden});

    m_info.layers = int(layers);
    m_info.heads = int(heads);
    m_info.kvHeads = int(heads);
    m_info.headDim = int(hidden / heads);
    m_info.hidden = int(hidden);
    m_info.maxPositions = int(positions);
    m_info.parameters = weights.loadedParameters();
}

torch::Tensor Gpt2Model::attention(const Gpt2Layer &layer, int index, const torch::Tensor &x,
                                   const DecoderPass &pass) const
{
    const std::vector<torch::Tensor> qkv = layer.qkv(x).chunk(3, -1);
    DecoderAttention settings;
    settings.layer = index;
    settings.scale = (m_scaleByValueDim ? 1.0 / std::sqrt(double(m_info.headDim)) : 1.0)
                     / (m_scaleByLayer ? double(index + 1) : 1.0);
    settings.output = &layer.projection;
    const int64_t heads = m_info.heads;
    return decoderAttention(settings, splitHeads(qkv[0], heads), splitHeads(qkv[1], heads),
                            splitHeads(qkv[2], heads), pass);
}

torch::Tensor Gpt2Model::decode(const torch::Tensor &ids, const torch::Tensor &positions,
                                const DecoderPass &pass) const
{
    torch::Tensor x = probedResidual(pass.probe, 0, embeddingRows(m_tokenEmbeddings, ids)
                                                        + m_positionEmbeddings.index_select(0, positions));
    for (size_t i = 0; i < m_layers.size(); ++i) {
        const Gpt2Layer &layer = m_layers[i];
        x = x + attention(layer, int(i), layer.attentionNorm(x), pass);
        x = x + probedMlp(pass.probe, int(i), applyPositionwise(x, [&](const torch::Tensor &rows) {
                return layer.mlpOut(m_activation(layer.mlpIn(layer.mlpNorm(rows))));
            }));
        x = probedResidual(pass.probe, int(i) + 1, x);
    }
    return readout().logits(x);
}

} // namespace

std::unique_ptr<Model> loadGpt2(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    return std::make_unique<Gpt2Model>(modelDir, config, source);
}

} // namespace attnscope
