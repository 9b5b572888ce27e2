// LLaMA and the families with its layout: Mistral (sliding window), Qwen2 (q/k/v bias,
// sliding window on the upper layers), SmolLM (tied embeddings). Pre-norm RMSNorm blocks,
// RoPE, grouped-query attention recorded per query head, SwiGLU MLP.

#include "core/io/model_config.h"
#include "core/models/common/sliding_windows.h"
#include "core/models/decoder_families.h"
#include "core/models/rotary_decoder_loader.h"

namespace attnscope {

std::vector<int64_t> qwenSlidingWindows(const ModelConfig &config, int64_t layers)
{
    if (!config.boolean(QStringLiteral("use_sliding_window"), false))
        return {};
    const int64_t firstSliding = config.integer(QStringLiteral("max_window_layers"), 0);
    return layerWindows(config, layers, config.integer(QStringLiteral("sliding_window"), 0),
                        [&](int64_t layer) { return layer >= firstSliding; });
}

std::unique_ptr<Model> loadLlama(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    const DecoderDimensions dims = readDecoderDimensions(config);
    const bool qwen = config.modelType() == QLatin1String("qwen2");
    RotaryDecoderLayout layout;
    layout.qkvBias = qwen || config.boolean(QStringLiteral("attention_bias"), false);
    layout.outputBias = !qwen && config.boolean(QStringLiteral("attention_bias"), false);
    layout.mlpBias = config.boolean(QStringLiteral("mlp_bias"), false);
    layout.normEps = config.number(QStringLiteral("rms_norm_eps"), 1e-6);
    // Mistral slides every layer; Qwen2 only when use_sliding_window, from max_window_layers
    // up (or as "layer_types" says).
    layout.windows = qwen ? qwenSlidingWindows(config, dims.layers)
                          : layerWindows(config, dims.layers, config.integer(QStringLiteral("sliding_window"), 0),
                                         [](int64_t) { return true; });
    RotaryDecoderParts parts;
    parts.activation = activationByName(config, config.string(QStringLiteral("hidden_act"), QStringLiteral("silu")));
    return loadRotaryDecoder(modelDir, config, source, dims, layout, std::move(parts));
}

} // namespace attnscope
