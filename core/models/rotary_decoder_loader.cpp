#include "core/models/rotary_decoder_loader.h"

#include <cmath>

#include <torch/torch.h>

#include "core/io/model_config.h"
#include "core/models/common/weight_resolver.h"

namespace attnscope {

namespace {

class LayerLoader {
public:
    LayerLoader(const WeightResolver &weights, const DecoderDimensions &dims, const RotaryDecoderLayout &layout)
        : m_weights(weights), m_dims(dims), m_layout(layout) {}

    RmsNorm norm(const std::string &name, int64_t size) const
    {
        RmsNorm norm = m_weights.rmsNorm(name, size, m_layout.normEps);
        if (m_layout.unitOffsetNorms)
            norm.weight = norm.weight + 1; // Gemma: x̂ · (1 + w)
        return norm;
    }

    RotaryDecoderLayer layer(int64_t index, QkNorm qkNorm) const
    {
        const std::string at = "layers." + std::to_string(index) + ".";
        RotaryDecoderLayer layer;
        const int64_t hidden = m_dims.hidden;
        switch (m_layout.norms) {
        case BlockNorms::Inputs:
            layer.attentionInputNorm = norm(at + "input_layernorm", hidden);
            layer.mlpInputNorm = norm(at + "post_attention_layernorm", hidden);
            break;
        case BlockNorms::Outputs:
            layer.attentionOutputNorm = norm(at + "post_attention_layernorm", hidden);
            layer.mlpOutputNorm = norm(at + "post_feedforward_layernorm", hidden);
            break;
        case BlockNorms::Both:
            layer.attentionInputNorm = norm(at + "input_layernorm", hidden);
            layer.attentionOutputNorm = norm(at + "post_attention_layernorm", hidden);
            layer.mlpInputNorm = norm(at + "pre_feedforward_layernorm", hidden);
            layer.mlpOutputNorm = norm(at + "post_feedforward_layernorm", hidden);
            break;
        }
        loadProjections(at, layer);
        const int64_t qWidth = m_dims.heads * m_dims.headDim, kvWidth = m_dims.kvHeads * m_dims.headDim;
        if (qkNorm == QkNorm::PerHead) {
            layer.qNorm = norm(at + "self_attn.q_norm", m_dims.headDim);
            layer.kNorm = norm(at + "self_attn.k_norm", m_dims.headDim);
        } else if (qkNorm == QkNorm::WholeProjection) {
            layer.qNorm = norm(at + "self_attn.q_norm", qWidth);
            layer.kNorm = norm(at + "self_attn.k_norm", kvWidth);
        }
        if (!m_layout.windows.empty())
            layer.slidingWindow = m_layout.windows.at(size_t(index));
        if (!m_layout.rotaryOfLayer.empty())
            layer.rotary = m_layout.rotaryOfLayer.at(size_t(index));
        return layer;
    }

private:
    void loadProjections(const std::string &at, RotaryDecoderLayer &layer) const
    {
        const int64_t hidden = m_dims.hidden, intermediate = m_dims.intermediate;
        const int64_t qWidth = m_dims.heads * m_dims.headDim, kvWidth = m_dims.kvHeads * m_dims.headDim;
        const RotaryDecoderLayout &l = m_layout;
        layer.o = m_weights.linear(at + "self_attn.o_proj", hidden, qWidth, l.outputBias);
        layer.down = m_weights.linear(at + "mlp.down_proj", hidden, intermediate, l.mlpBias);
        if (!l.fusedProjections) {
            layer.q = m_weights.linear(at + "self_attn.q_proj", qWidth, hidden, l.qkvBias);
            layer.k = m_weights.linear(at + "self_attn.k_proj", kvWidth, hidden, l.qkvBias);
            layer.v = m_weights.linear(at + "self_attn.v_proj", kvWidth, hidden, l.qkvBias);
            layer.gate = m_weights.linear(at + "mlp.gate_proj", intermediate, hidden, l.mlpBias);
            layer.up = m_weights.linear(at + "mlp.up_proj", intermediate, hidden, l.mlpBias);
            return;
        }
        // Phi-3 stacks q, k, v (and gate, up) along the output rows.
        const Linear qkv = m_weights.linear(at + "self_attn.qkv_proj", qWidth + 2 * kvWidth, hidden, l.qkvBias);
        layer.q = rows(qkv, 0, qWidth);
        layer.k = rows(qkv, qWidth, kvWidth);
        layer.v = rows(qkv, qWidth + kvWidth, kvWidth);
        const Linear gateUp = m_weights.linear(at + "mlp.gate_up_proj", 2 * intermediate, hidden, l.mlpBias);
        layer.gate = rows(gateUp, 0, intermediate);
        layer.up = rows(gateUp, intermediate, intermediate);
    }

    static Linear rows(const Linear &fused, int64_t begin, int64_t count)
    {
        Linear part;
        part.weight = fused.weight.narrow(0, begin, count);
        if (fused.bias.defined())
            part.bias = fused.bias.narrow(0, begin, count);
        return part;
    }

    const WeightResolver &m_weights;
    const DecoderDimensions &m_dims;
    const RotaryDecoderLayout &m_layout;
};

} // namespace

DecoderDimensions readDecoderDimensions(const ModelConfig &config, int64_t defaultHeadDim)
{
    DecoderDimensions dims;
    dims.hidden = config.integer(QStringLiteral("hidden_size"));
    dims.layers = config.integer(QStringLiteral("num_hidden_layers"));
    dims.heads = config.integer(QStringLiteral("num_attention_heads"));
    dims.kvHeads = config.integer(QStringLiteral("num_key_value_heads"), dims.heads);
    if (dims.heads <= 0 || dims.hidden <= 0 || dims.layers <= 0)
        config.fail(QStringLiteral("hidden_size, num_hidden_layers and num_attention_heads must be positive"));
    if (dims.kvHeads <= 0 || dims.heads % dims.kvHeads != 0)
        config.fail(QStringLiteral("num_attention_heads (%1) is not a multiple of num_key_value_heads (%2)")
                        .arg(dims.heads).arg(dims.kvHeads));
    dims.headDim = config.integer(QStringLiteral("head_dim"), defaultHeadDim > 0 ? defaultHeadDim : dims.hidden / dims.heads);
    if (dims.headDim <= 0)
        config.fail(QStringLiteral("head_dim must be positive"));
    dims.intermediate = config.integer(QStringLiteral("intermediate_size"));
    return dims;
}

std::unique_ptr<Model> loadRotaryDecoder(const QString &modelDir, const ModelConfig &config,
                                         const WeightSource &source, const DecoderDimensions &dims,
                                         const RotaryDecoderLayout &layout, RotaryDecoderParts parts)
{
    const int64_t vocab = config.integer(QStringLiteral("vocab_size"));
    if (vocab <= 0)
        config.fail(QStringLiteral("vocab_size must be positive"));
    const WeightResolver weights(source, config, {"model."});
    const LayerLoader loader(weights, dims, layout);
    parts.embeddings = weights.stored("embed_tokens.weight", {vocab, dims.hidden});
    for (int64_t i = 0; i < dims.layers; ++i)
        parts.layers.push_back(loader.layer(i, parts.qkNorm));
    parts.finalNorm = loader.norm("norm", dims.hidden);
    const bool tied = config.boolean(QStringLiteral("tie_word_embeddings"), layout.tiedByDefault)
        || !weights.contains("lm_head.weight");
    parts.lmHead.weight = tied ? parts.embeddings : weights.stored("lm_head.weight", {vocab, dims.hidden});
    if (parts.attentionScale == 0)
        parts.attentionScale = 1.0 / std::sqrt(double(dims.headDim));
    if (parts.rotaries.empty())
        parts.rotaries.emplace_back(config, dims.headDim);
    return std::make_unique<RotaryDecoder>(modelDir, config, dims, std::move(parts), weights.loadedParameters());
}

} // namespace attnscope
