#include "core/models/rotary_decoder.h"

#include <torch/torch.h>

#include "core/io/model_config.h"
#include "core/models/common/heads.h"
#include "core/models/common/positionwise.h"
#include "core/models/forward_probe.h"
#include "core/models/readout.h"

namespace attnscope {

namespace {

torch::Tensor normIfPresent(const RmsNorm &norm, const torch::Tensor &x)
{
    return norm.weight.defined() ? norm(x) : x;
}

} // namespace

RotaryDecoder::RotaryDecoder(const QString &modelDir, const ModelConfig &config, const DecoderDimensions &dims,
                             RotaryDecoderParts parts, int64_t parameters)
    : m_parts(std::move(parts))
{
    describe(modelDir, config);
    m_info.layers = int(dims.layers);
    m_info.heads = int(dims.heads);
    m_info.kvHeads = int(dims.kvHeads);
    m_info.headDim = int(dims.headDim);
    m_info.hidden = int(dims.hidden);
    m_info.maxPositions = int(config.integer(QStringLiteral("max_position_embeddings"), 0));
    m_info.parameters = parameters;
    bool anySliding = false;
    for (const RotaryDecoderLayer &layer : m_parts.layers) {
        m_info.slidingWindows.push_back(layer.slidingWindow);
        anySliding = anySliding || layer.slidingWindow > 0;
    }
    if (!anySliding)
        m_info.slidingWindows.clear();
}

torch::Tensor RotaryDecoder::attention(const RotaryDecoderLayer &layer, int index, const torch::Tensor &x,
                                       const torch::Tensor &positions, const DecoderPass &pass) const
{
    torch::Tensor q = layer.q(x);
    torch::Tensor k = layer.k(x);
    if (m_parts.qkNorm == QkNorm::WholeProjection) {
        q = layer.qNorm(q);
        k = layer.kNorm(k);
    }
    q = splitHeads(q, m_info.heads);
    k = splitHeads(k, m_info.kvHeads);
    if (m_parts.qkNorm == QkNorm::PerHead) {
        q = layer.qNorm(q);
        k = layer.kNorm(k);
    }
    const RotaryEmbedding &rotary = m_parts.rotaries.at(layer.rotary);
    DecoderAttention settings;
    settings.layer = index;
    settings.scale = m_parts.attentionScale;
    settings.softCap = m_parts.attentionSoftCap;
    settings.slidingWindow = layer.slidingWindow;
    settings.output = &layer.o;
    return decoderAttention(settings, rotary.apply(q, positions), rotary.apply(k, positions),
                            splitHeads(layer.v(x), m_info.kvHeads), pass);
}

Readout RotaryDecoder::readout() const
{
    return {{}, m_parts.finalNorm, m_parts.lmHead, m_parts.finalSoftCap};
}

torch::Tensor RotaryDecoder::decode(const torch::Tensor &ids, const torch::Tensor &positions,
                                    const DecoderPass &pass) const
{
    torch::Tensor x = embeddingRows(m_parts.embeddings, ids);
    if (m_parts.embeddingScale > 0)
        x = x * torch::scalar_tensor(m_parts.embeddingScale, x.options());
    x = probedResidual(pass.probe, 0, x);
    for (size_t i = 0; i < m_parts.layers.size(); ++i) {
        const RotaryDecoderLayer &layer = m_parts.layers[i];
        const int index = int(i);
        const torch::Tensor attended = attention(layer, index, normIfPresent(layer.attentionInputNorm, x), positions, pass);
        x = x + normIfPresent(layer.attentionOutputNorm, attended);
        const torch::Tensor mlp = applyPositionwise(normIfPresent(layer.mlpInputNorm, x), [&](const torch::Tensor &rows) {
            return layer.down(m_parts.activation(layer.gate(rows)) * layer.up(rows));
        });
        x = probedResidual(pass.probe, index + 1, x + probedMlp(pass.probe, index, normIfPresent(layer.mlpOutputNorm, mlp)));
    }
    return readout().logits(x);
}

} // namespace attnscope
