// Phi-3: the LLaMA layout with q, k, v fused in one qkv_proj and gate, up in one
// gate_up_proj, a partial rotary factor, rope scaling up to longrope (short and long
// factors), and a sliding window on every layer when sliding_window is set.

#include "core/io/model_config.h"
#include "core/models/common/sliding_windows.h"
#include "core/models/decoder_families.h"
#include "core/models/rotary_decoder_loader.h"

namespace attnscope {

std::unique_ptr<Model> loadPhi3(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    const DecoderDimensions dims = readDecoderDimensions(config);
    RotaryDecoderLayout layout;
    layout.fusedProjections = true;
    layout.normEps = config.number(QStringLiteral("rms_norm_eps"), 1e-5);
    layout.windows = layerWindows(config, dims.layers, config.integer(QStringLiteral("sliding_window"), 0),
                                  [](int64_t) { return true; });
    RotaryDecoderParts parts;
    parts.activation = activationByName(config, config.string(QStringLiteral("hidden_act"), QStringLiteral("silu")));
    return loadRotaryDecoder(modelDir, config, source, dims, layout, std::move(parts));
}

} // namespace attnscope
