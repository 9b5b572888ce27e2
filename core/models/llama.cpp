// LLaMA and the families with its layout: Mistral (sliding window), Qwen2 (q/k/v bias,
// sliding window on the upper layers), SmolLM (tied embeddings). Pre-norm RMSNorm blocks,
// RoPE, grouped-query attention recorded per query head, SwiGLU MLP.

#include <cmath>

#include <QJsonArray>
#include <torch/torch.h>

#include "core/io/model_config.h"
#include "core/models/causal_lm.h"
#include "core/models/common/activation.h"
#include "core/models/common/heads.h"
#include "core/models/common/positionwise.h"
#include "core/models/common/rotary_embedding.h"
#include "core/models/common/weight_resolver.h"
#include "core/models/decoder_families.h"

namespace attnscope {

namespace {

struct LlamaLayer {
    RmsNorm inputNorm, postAttentionNorm;
    Linear q, k, v, o, gate, up, down;
    int64_t slidingWindow = 0;
};

class LlamaModel final : public CausalLanguageModel {
public:
    LlamaModel(const QString &modelDir, const ModelConfig &config, const WeightSource &source);

protected:
    torch::Tensor decode(const torch::Tensor &ids, const torch::Tensor &positions,
                         const DecoderPass &pass) const override;

private:
    torch::Tensor attention(const LlamaLayer &layer, int index, const torch::Tensor &x,
                            const torch::Tensor &positions, const DecoderPass &pass) const;

    torch::Tensor m_embeddings;
    Linear m_lmHead;
    RmsNorm m_finalNorm;
    RotaryEmbedding m_rotary;
    Activation m_activation;
    std::vector<LlamaLayer> m_layers;
};

// The window of each layer: Mistral slides every layer; Qwen2 only when use_sliding_window,
// from max_window_layers up (or as "layer_types" says).
std::vector<int64_t> slidingWindows(const ModelConfig &config, int64_t layers)
{
    std::vector<int64_t> windows(size_t(layers), 0);
    const int64_t window = config.integer(QStringLiteral("sliding_window"), 0);
    if (window <= 0)
        return windows;
    const bool qwen = config.modelType() == QLatin1String("qwen2");
    if (qwen && !config.boolean(QStringLiteral("use_sliding_window"), false))
        return windows;
    const QJsonArray types = config.json().value(QStringLiteral("layer_types")).toArray();
    const int64_t firstSliding = qwen ? config.integer(QStringLiteral("max_window_layers"), 0) : 0;
    for (int64_t i = 0; i < layers; ++i) {
        const bool sliding = types.size() == layers
            ? types.at(int(i)).toString() == QLatin1String("sliding_attention")
            : i >= firstSliding;
        windows[size_t(i)] = sliding ? window : 0;
    }
    return windows;
}

LlamaModel::LlamaModel(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    describe(modelDir, config);
    const int64_t hidden = config.integer(QStringLiteral("hidden_size"));
    const int64_t layers = config.integer(QStringLiteral("num_hidden_layers"));
    const int64_t heads = config.integer(QStringLiteral("num_attention_heads"));
    const int64_t kvHeads = config.integer(QStringLiteral("num_key_value_heads"), heads);
    if (heads <= 0 || hidden <= 0 || layers <= 0)
        config.fail(QStringLiteral("hidden_size, num_hidden_layers and num_attention_heads must be positive"));
    if (kvHeads <= 0 || heads % kvHeads != 0)
        config.fail(QStringLiteral("num_attention_heads (%1) is not a multiple of num_key_value_heads (%2)")
                        .arg(heads).arg(kvHeads));
    const int64_t headDim = config.integer(QStringLiteral("head_dim"), hidden / heads);
    if (headDim <= 0)
        config.fail(QStringLiteral("head_dim must be positive"));
    const int64_t intermediate = config.integer(QStringLiteral("intermediate_size"));
    const double eps = config.number(QStringLiteral("rms_norm_eps"), 1e-6);
    const bool qwen = config.modelType() == QLatin1String("qwen2");
    const bool qkvBias = qwen || config.boolean(QStringLiteral("attention_bias"), false);
    const bool outputBias = !qwen && config.boolean(QStringLiteral("attention_bias"), false);
    const bool mlpBias = config.boolean(QStringLiteral("mlp_bias"), false);
    m_activation = activationByName(config, config.string(QStringLiteral("hidden_act"), QStringLiteral("silu")));
    m_rotary = RotaryEmbedding(config, headDim);

    const WeightResolver weights(source, config, {"model."});
    const int64_t vocab = m_info.vocabSize;
    m_embeddings = weights.tensor("embed_tokens.weight", {vocab, hidden});
    const std::vector<int64_t> windows = slidingWindows(config, layers);
    for (int64_t i = 0; i < layers; ++i) {
        const std::string at = "layers." + std::to_string(i) + ".";
        LlamaLayer layer;
        layer.inputNorm = weights.rmsNorm(at + "input_layernorm", hidden, eps);
        layer.postAttentionNorm = weights.rmsNorm(at + "post_attention_layernorm", hidden, eps);
        layer.q = weights.linear(at + "self_attn.q_proj", heads * headDim, hidden, qkvBias);
        layer.k = weights.linear(at + "self_attn.k_proj", kvHeads * headDim, hidden, qkvBias);
        layer.v = weights.linear(at + "self_attn.v_proj", kvHeads * headDim, hidden, qkvBias);
        layer.o = weights.linear(at + "self_attn.o_proj", hidden, heads * headDim, outputBias);
        layer.gate = weights.linear(at + "mlp.gate_proj", intermediate, hidden, mlpBias);
        layer.up = weights.linear(at + "mlp.up_proj", intermediate, hidden, mlpBias);
        layer.down = weights.linear(at + "mlp.down_proj", hidden, intermediate, mlpBias);
        layer.slidingWindow = windows[size_t(i)];
        m_layers.push_back(std::move(layer));
    }
    m_finalNorm = weights.rmsNorm("norm", hidden, eps);
    const bool tied = config.boolean(QStringLiteral("tie_word_embeddings"), false)
        || !weights.contains("lm_head.weight");
    m_lmHead.weight = tied ? m_embeddings : weights.tensor("lm_head.weight", {vocab, hidden});

    m_info.layers = int(layers);
    m_info.heads = int(heads);
    m_info.kvHeads = int(kvHeads);
    m_info.headDim = int(headDim);
    m_info.hidden = int(hidden);
    m_info.maxPositions = int(config.integer(QStringLiteral("max_position_embeddings"), 0));
    m_info.parameters = weights.loadedParameters();
}

torch::Tensor LlamaModel::attention(const LlamaLayer &layer, int index, const torch::Tensor &x,
                                    const torch::Tensor &positions, const DecoderPass &pass) const
{
    const torch::Tensor q = m_rotary.apply(splitHeads(layer.q(x), m_info.heads), positions);
    const torch::Tensor k = m_rotary.apply(splitHeads(layer.k(x), m_info.kvHeads), positions);
    const torch::Tensor v = splitHeads(layer.v(x), m_info.kvHeads);
    DecoderAttention settings;
    settings.layer = index;
    settings.scale = 1.0 / std::sqrt(double(m_info.headDim));
    settings.slidingWindow = layer.slidingWindow;
    return layer.o(decoderAttention(settings, q, k, v, pass));
}

torch::Tensor LlamaModel::decode(const torch::Tensor &ids, const torch::Tensor &positions,
                                 const DecoderPass &pass) const
{
    torch::Tensor x = m_embeddings.index_select(0, ids);
    for (size_t i = 0; i < m_layers.size(); ++i) {
        const LlamaLayer &layer = m_layers[i];
        x = x + attention(layer, int(i), layer.inputNorm(x), positions, pass);
        const torch::Tensor h = layer.postAttentionNorm(x);
        x = x + applyPositionwise(h, [&](const torch::Tensor &rows) {
                return layer.down(m_activation(layer.gate(rows)) * layer.up(rows));
            });
    }
    return m_lmHead(m_finalNorm(x));
}

} // namespace

std::unique_ptr<Model> loadLlama(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    return std::make_unique<LlamaModel>(modelDir, config, source);
}

} // namespace attnscope
