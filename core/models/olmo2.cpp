// OLMo 2: the LLaMA layout with the norms moved after attention and the MLP (the residual
// stream itself is never normalized until the final norm), and RMSNorms over the whole q
// and k projections before they split into heads.

#include "core/io/model_config.h"
#include "core/models/decoder_families.h"
#include "core/models/rotary_decoder_loader.h"

namespace attnscope {

std::unique_ptr<Model> loadOlmo2(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    const DecoderDimensions dims = readDecoderDimensions(config);
    RotaryDecoderLayout layout;
    layout.qkvBias = layout.outputBias = config.boolean(QStringLiteral("attention_bias"), false);
    layout.norms = BlockNorms::Outputs;
    layout.normEps = config.number(QStringLiteral("rms_norm_eps"), 1e-5);
    RotaryDecoderParts parts;
    parts.qkNorm = QkNorm::WholeProjection;
    parts.activation = activationByName(config, config.string(QStringLiteral("hidden_act"), QStringLiteral("silu")));
    return loadRotaryDecoder(modelDir, config, source, dims, layout, std::move(parts));
}

} // namespace attnscope
