// Gemma, Gemma 2 and Gemma 3 (text): embeddings × √hidden, RMSNorm with (1 + w), GeGLU
// (gelu_pytorch_tanh). Gemma 2 and 3 add norms after attention and the MLP, scale scores by
// query_pre_attn_scalar and slide a window on some layers (every other one in Gemma 2,
// all but every sliding_window_pattern-th in Gemma 3, or as layer_types says). Gemma 2
// soft-caps scores and logits; Gemma 3 norms each head of q and k and gives its local
// layers their own rotary base (rope_local_base_freq), keeping rope_scaling for the
// global ones.

#include <cmath>

#include "core/io/model_config.h"
#include "core/models/common/sliding_windows.h"
#include "core/models/decoder_families.h"
#include "core/models/rotary_decoder_loader.h"

namespace attnscope {

namespace {

// A soft-capping field: its default when absent, none when null (as transformers reads it).
double softCapOf(const ModelConfig &config, const QString &field, double absent)
{
    if (config.json().contains(field) && config.json().value(field).isNull())
        return 0;
    const double cap = config.number(field, absent);
    if (cap < 0)
        config.fail(QStringLiteral("%1 must not be negative").arg(field));
    return cap;
}

std::vector<int64_t> gemmaWindows(const ModelConfig &config, int64_t layers)
{
    const QString type = config.modelType();
    if (type == QLatin1String("gemma"))
        return {};
    const int64_t window = config.integer(QStringLiteral("sliding_window"), 4096);
    if (type == QLatin1String("gemma2"))
        return layerWindows(config, layers, window, [](int64_t layer) { return layer % 2 == 0; });
    const int64_t pattern = config.integer(QStringLiteral("sliding_window_pattern"), 6);
    if (pattern <= 0)
        config.fail(QStringLiteral("sliding_window_pattern must be positive"));
    return layerWindows(config, layers, window, [&](int64_t layer) { return (layer + 1) % pattern != 0; });
}

// Gemma 3: global layers rotate with rope_theta and rope_scaling, local (sliding) ones with
// rope_local_base_freq and no scaling.
void useLocalAndGlobalRotaries(const ModelConfig &config, const DecoderDimensions &dims,
                               RotaryDecoderLayout &layout, RotaryDecoderParts &parts)
{
    RotarySettings global = RotarySettings::fromConfig(config);
    global.theta = config.number(QStringLiteral("rope_theta"), 1000000.0);
    RotarySettings local;
    local.theta = config.number(QStringLiteral("rope_local_base_freq"), 10000.0);
    parts.rotaries = {RotaryEmbedding(config, dims.headDim, global), RotaryEmbedding(config, dims.headDim, local)};
    layout.rotaryOfLayer.assign(size_t(dims.layers), 0);
    for (size_t i = 0; i < layout.windows.size(); ++i)
        layout.rotaryOfLayer[i] = layout.windows[i] > 0 ? 1 : 0;
}

} // namespace

std::unique_ptr<Model> loadGemma(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    const QString type = config.modelType();
    const bool first = type == QLatin1String("gemma");
    const bool third = type == QLatin1String("gemma3_text");
    if (third && config.boolean(QStringLiteral("use_bidirectional_attention"), false))
        config.fail(QStringLiteral("use_bidirectional_attention is not supported (AttnScope runs Gemma 3 as a causal decoder)"));
    const DecoderDimensions dims = readDecoderDimensions(config, 256); // Gemma configs' head_dim
    RotaryDecoderLayout layout;
    layout.qkvBias = layout.outputBias = config.boolean(QStringLiteral("attention_bias"), false);
    layout.norms = first ? BlockNorms::Inputs : BlockNorms::Both;
    layout.unitOffsetNorms = true;
    layout.normEps = config.number(QStringLiteral("rms_norm_eps"), 1e-6);
    layout.tiedByDefault = true;
    layout.windows = gemmaWindows(config, dims.layers);

    RotaryDecoderParts parts;
    parts.embeddingScale = std::sqrt(double(dims.hidden));
    // Gemma reads hidden_activation; when it is null, transformers uses gelu_pytorch_tanh
    // whatever hidden_act says.
    parts.activation = activationByName(config, config.string(QStringLiteral("hidden_activation"),
                                                               QStringLiteral("gelu_pytorch_tanh")));
    if (!first) {
        const double scalar = config.number(QStringLiteral("query_pre_attn_scalar"), 256);
        if (scalar <= 0)
            config.fail(QStringLiteral("query_pre_attn_scalar must be positive"));
        parts.attentionScale = 1.0 / std::sqrt(scalar);
        const bool second = !third;
        parts.attentionSoftCap = softCapOf(config, QStringLiteral("attn_logit_softcapping"), second ? 50.0 : 0.0);
        parts.finalSoftCap = softCapOf(config, QStringLiteral("final_logit_softcapping"), second ? 30.0 : 0.0);
    }
    if (third) {
        parts.qkNorm = QkNorm::PerHead;
        useLocalAndGlobalRotaries(config, dims, layout, parts);
    }
    return loadRotaryDecoder(modelDir, config, source, dims, layout, std::move(parts));
}

} // namespace attnscope
