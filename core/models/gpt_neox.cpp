// GPT-NeoX (Pythia): LayerNorm blocks with bias, q/k/v fused in one query_key_value whose
// rows run head by head ([q, k, v] of head 0, then head 1 …), rotary positions on the first
// rotary_pct of each head, an exact-GELU MLP, and attention and MLP side by side on the
// same input (use_parallel_residual) or one after the other. The buffers old checkpoints
// carry (attention.bias, masked_bias, rotary_emb.inv_freq) are never read.

#include <cmath>

#include <torch/torch.h>

#include "core/io/model_config.h"
#include "core/models/causal_lm.h"
#include "core/models/common/activation.h"
#include "core/models/common/heads.h"
#include "core/models/common/positionwise.h"
#include "core/models/common/rotary_embedding.h"
#include "core/models/common/weight_resolver.h"
#include "core/models/decoder_families.h"
#include "core/models/forward_probe.h"
#include "core/models/readout.h"

namespace attnscope {

namespace {

struct NeoxLayer {
    LayerNorm attentionNorm, mlpNorm;
    Linear qkv, dense, mlpIn, mlpOut;
};

class GptNeoxModel final : public CausalLanguageModel {
public:
    GptNeoxModel(const QString &modelDir, const ModelConfig &config, const WeightSource &source);

    Readout readout() const override { return {m_finalNorm, {}, m_lmHead}; }

protected:
    torch::Tensor decode(const torch::Tensor &ids, const torch::Tensor &positions,
                         const DecoderPass &pass) const override;

private:
    torch::Tensor attention(const NeoxLayer &layer, int index, const torch::Tensor &x,
                            const torch::Tensor &positions, const DecoderPass &pass) const;
    torch::Tensor mlp(const NeoxLayer &layer, const torch::Tensor &x) const;

    torch::Tensor m_embeddings;
    std::vector<NeoxLayer> m_layers;
    LayerNorm m_finalNorm;
    Linear m_lmHead;
    RotaryEmbedding m_rotary;
    Activation m_activation;
    bool m_parallelResidual = true;
};

// Newer configs name the rotary fields as other families do.
RotarySettings neoxRotary(const ModelConfig &config)
{
    RotarySettings settings;
    settings.theta = config.has(QStringLiteral("rotary_emb_base"))
        ? config.number(QStringLiteral("rotary_emb_base"))
        : config.number(QStringLiteral("rope_theta"), 10000.0);
    settings.partialFactor = config.has(QStringLiteral("rotary_pct"))
        ? config.number(QStringLiteral("rotary_pct"))
        : config.number(QStringLiteral("partial_rotary_factor"), 0.25);
    settings.scaling = config.object(QStringLiteral("rope_scaling"));
    return settings;
}

GptNeoxModel::GptNeoxModel(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    describe(modelDir, config);
    const int64_t hidden = config.integer(QStringLiteral("hidden_size"));
    const int64_t layers = config.integer(QStringLiteral("num_hidden_layers"));
    const int64_t heads = config.integer(QStringLiteral("num_attention_heads"));
    if (hidden <= 0 || layers <= 0 || heads <= 0 || hidden % heads != 0)
        config.fail(QStringLiteral("hidden_size (%1) must be a positive multiple of num_attention_heads (%2); num_hidden_layers positive")
                        .arg(hidden).arg(heads));
    const int64_t headDim = hidden / heads;
    const int64_t intermediate = config.integer(QStringLiteral("intermediate_size"));
    const double eps = config.number(QStringLiteral("layer_norm_eps"), 1e-5);
    const bool bias = config.boolean(QStringLiteral("attention_bias"), true);
    m_parallelResidual = config.boolean(QStringLiteral("use_parallel_residual"), true);
    m_activation = activationByName(config, config.string(QStringLiteral("hidden_act"), QStringLiteral("gelu")));
    m_rotary = RotaryEmbedding(config, headDim, neoxRotary(config));

    const WeightResolver weights(source, config, {"gpt_neox."});
    const int64_t vocab = m_info.vocabSize;
    m_embeddings = weights.stored("embed_in.weight", {vocab, hidden});
    for (int64_t i = 0; i < layers; ++i) {
        const std::string at = "layers." + std::to_string(i) + ".";
        NeoxLayer layer;
        layer.attentionNorm = weights.layerNorm(at + "input_layernorm", hidden, eps);
        layer.mlpNorm = weights.layerNorm(at + "post_attention_layernorm", hidden, eps);
        layer.qkv = weights.linear(at + "attention.query_key_value", 3 * hidden, hidden, bias);
        layer.dense = weights.linear(at + "attention.dense", hidden, hidden, bias);
        layer.mlpIn = weights.linear(at + "mlp.dense_h_to_4h", intermediate, hidden);
        layer.mlpOut = weights.linear(at + "mlp.dense_4h_to_h", hidden, intermediate);
        m_layers.push_back(std::move(layer));
    }
    m_finalNorm = weights.layerNorm("final_layer_norm", hidden, eps);
    const bool tied = config.boolean(QStringLiteral("tie_word_embeddings"), false)
        || !weights.contains("embed_out.weight");
    m_lmHead.weight = tied ? m_embeddings : weights.stored("embed_out.weight", {vocab, hidden});

    m_info.layers = int(layers);
    m_info.heads = int(heads);
    m_info.kvHeads = int(heads);
    m_info.headDim = int(headDim);
    m_info.hidden = int(hidden);
    m_info.maxPositions = int(config.integer(QStringLiteral("max_position_embeddings"), 0));
    m_info.parameters = weights.loadedParameters();
}

torch::Tensor GptNeoxModel::attention(const NeoxLayer &layer, int index, const torch::Tensor &x,
                                      const torch::Tensor &positions, const DecoderPass &pass) const
{
    // [T, heads · 3 · d] → [heads, T, 3 · d]: each head holds its q, k and v side by side.
    const std::vector<torch::Tensor> qkv = splitHeads(layer.qkv(x), m_info.heads).chunk(3, -1);
    DecoderAttention settings;
    settings.layer = index;
    settings.scale = 1.0 / std::sqrt(double(m_info.headDim));
    settings.output = &layer.dense;
    return decoderAttention(settings, m_rotary.apply(qkv[0].contiguous(), positions),
                            m_rotary.apply(qkv[1].contiguous(), positions), qkv[2].contiguous(), pass);
}

torch::Tensor GptNeoxModel::mlp(const NeoxLayer &layer, const torch::Tensor &x) const
{
    return applyPositionwise(x, [&](const torch::Tensor &rows) {
        return layer.mlpOut(m_activation(layer.mlpIn(layer.mlpNorm(rows))));
    });
}

torch::Tensor GptNeoxModel::decode(const torch::Tensor &ids, const torch::Tensor &positions,
                                   const DecoderPass &pass) const
{
    torch::Tensor x = probedResidual(pass.probe, 0, embeddingRows(m_embeddings, ids));
    for (size_t i = 0; i < m_layers.size(); ++i) {
        const NeoxLayer &layer = m_layers[i];
        const int index = int(i);
        const torch::Tensor attended = attention(layer, index, layer.attentionNorm(x), positions, pass);
        // Parallel: mlp(ln2(x)) + attn(ln1(x)) + x; sequential: y = attn(ln1(x)) + x, then mlp(ln2(y)) + y.
        if (m_parallelResidual) {
            x = probedMlp(pass.probe, index, mlp(layer, x)) + attended + x;
        } else {
            x = attended + x;
            x = probedMlp(pass.probe, index, mlp(layer, x)) + x;
        }
        x = probedResidual(pass.probe, index + 1, x);
    }
    return readout().logits(x);
}

} // namespace

std::unique_ptr<Model> loadGptNeox(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    return std::make_unique<GptNeoxModel>(modelDir, config, source);
}

} // namespace attnscope
