// Qwen3: the Qwen2 layout with an RMSNorm over each head of q and k before the rotation,
// attention_bias on all four projections (off by default) and an explicit head_dim.

#include "core/io/model_config.h"
#include "core/models/decoder_families.h"
#include "core/models/rotary_decoder_loader.h"

namespace attnscope {

std::unique_ptr<Model> loadQwen3(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    const DecoderDimensions dims = readDecoderDimensions(config, 128); // Qwen3Config's head_dim
    RotaryDecoderLayout layout;
    layout.qkvBias = layout.outputBias = config.boolean(QStringLiteral("attention_bias"), false);
    layout.normEps = config.number(QStringLiteral("rms_norm_eps"), 1e-6);
    layout.windows = qwenSlidingWindows(config, dims.layers);
    RotaryDecoderParts parts;
    parts.qkNorm = QkNorm::PerHead;
    parts.activation = activationByName(config, config.string(QStringLiteral("hidden_act"), QStringLiteral("silu")));
    return loadRotaryDecoder(modelDir, config, source, dims, layout, std::move(parts));
}

} // namespace attnscope
