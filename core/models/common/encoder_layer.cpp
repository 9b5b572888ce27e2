#include "core/models/common/encoder_layer.h"

#include <cmath>

#include "core/attention/kernel.h"
#include "core/capture/attention_recorder.h"
#include "core/io/model_config.h"
#include "core/models/common/head_gates.h"
#include "core/models/common/positionwise.h"
#include "core/models/common/weight_resolver.h"
#include "core/models/forward_probe.h"

namespace attnscope {

EncoderStack::EncoderStack(const WeightResolver &weights, const std::string &prefix,
                           const EncoderLayerNames &names, const EncoderShape &shape)
    : m_shape(shape)
{
    if (shape.heads <= 0 || shape.hidden % shape.heads != 0)
        weights.config().fail(QStringLiteral("hidden size %1 is not a multiple of the %2 attention heads")
                                  .arg(shape.hidden).arg(shape.heads));
    const int64_t d = shape.hidden;
    for (int64_t i = 0; i < shape.layers; ++i) {
        const std::string at = prefix + std::to_string(i) + ".";
        EncoderLayer layer;
        layer.query = weights.linear(at + names.query, d, d, shape.qkvBias);
        layer.key = weights.linear(at + names.key, d, d, shape.qkvBias);
        layer.value = weights.linear(at + names.value, d, d, shape.qkvBias);
        layer.output = weights.linear(at + names.output, d, d);
        layer.attentionNorm = weights.layerNorm(at + names.attentionNorm, d, shape.layerNormEps);
        layer.ffnIn = weights.linear(at + names.ffnIn, (shape.swiGlu ? 2 : 1) * shape.intermediate, d);
        layer.ffnOut = weights.linear(at + names.ffnOut, d, shape.intermediate);
        layer.ffnNorm = weights.layerNorm(at + names.ffnNorm, d, shape.layerNormEps);
        if (shape.layerScale) {
            layer.attentionScale = weights.tensor(at + names.attentionScale, {d});
            layer.ffnScale = weights.tensor(at + names.ffnScale, {d});
        }
        m_layers.push_back(std::move(layer));
    }
}

torch::Tensor EncoderStack::attention(const EncoderLayer &layer, int index, const torch::Tensor &x,
                                      const torch::Tensor &keyMask, const ModelInput &input,
                                      const AttentionPlan &plan, AttentionRecorder *recorder) const
{
    const int64_t tokens = x.size(0);
    const int64_t headDim = m_shape.hidden / m_shape.heads;
    const auto heads = [&](const Linear &projection) {
        return projection(x).view({tokens, m_shape.heads, headDim}).transpose(0, 1).contiguous();
    };
    AttentionInputs inputs;
    inputs.layer = index;
    inputs.q = heads(layer.query);
    inputs.k = heads(layer.key);
    inputs.v = heads(layer.value);
    inputs.scale = 1.0 / std::sqrt(double(headDim));
    inputs.keyMask = keyMask;
    torch::Tensor perHead = gateHeads(attend(inputs, plan, recorder), input.headGates, index);
    if (input.probe)
        perHead = input.probe->heads({index, perHead, inputs.v, &layer.output, m_shape.preNorm ? nullptr : &layer.attentionNorm});
    return layer.output(perHead.transpose(0, 1).reshape({tokens, m_shape.hidden}));
}

torch::Tensor EncoderStack::feedForward(const EncoderLayer &layer, const torch::Tensor &rows) const
{
    if (!m_shape.swiGlu)
        return layer.ffnOut(m_shape.activation(layer.ffnIn(rows)));
    const std::vector<torch::Tensor> halves = layer.ffnIn(rows).chunk(2, -1);
    return layer.ffnOut(torch::silu(halves[0]) * halves[1]);
}

namespace {

torch::Tensor scaled(const torch::Tensor &x, const torch::Tensor &scale)
{
    return scale.defined() ? x * scale : x;
}

} // namespace

torch::Tensor EncoderStack::forward(torch::Tensor x, const torch::Tensor &keyMask, const ModelInput &input,
                                    const AttentionPlan &plan, AttentionRecorder *recorder) const
{
    if (recorder)
        recorder->beginForward(m_shape.layers, m_shape.heads, x.size(0), x.size(0));
    x = probedResidual(input.probe, 0, x);
    for (size_t i = 0; i < m_layers.size(); ++i) {
        const EncoderLayer &layer = m_layers[i];
        const int index = int(i);
        if (m_shape.preNorm) {
            x = x + scaled(attention(layer, index, layer.attentionNorm(x), keyMask, input, plan, recorder),
                           layer.attentionScale);
            x = x + probedMlp(input.probe, index, applyPositionwise(x, [&](const torch::Tensor &rows) {
                    return scaled(feedForward(layer, layer.ffnNorm(rows)), layer.ffnScale);
                }));
        } else {
            x = layer.attentionNorm(x + attention(layer, index, x, keyMask, input, plan, recorder));
            x = layer.ffnNorm(x + probedMlp(input.probe, index, applyPositionwise(x, [&](const torch::Tensor &rows) {
                    return feedForward(layer, rows);
                })));
        }
        x = probedResidual(input.probe, index + 1, x);
    }
    return x;
}

EncoderShape bertStyleShape(const ModelConfig &config)
{
    EncoderShape shape;
    shape.layers = config.integer(QStringLiteral("num_hidden_layers"));
    shape.hidden = config.integer(QStringLiteral("hidden_size"));
    shape.heads = config.integer(QStringLiteral("num_attention_heads"));
    shape.intermediate = config.integer(QStringLiteral("intermediate_size"));
    shape.layerNormEps = config.number(QStringLiteral("layer_norm_eps"), 1e-12);
    shape.activation = activationByName(config, config.string(QStringLiteral("hidden_act"), QStringLiteral("gelu")));
    return shape;
}

ModelInfo encoderInfo(const QString &modelDir, const ModelConfig &config, const EncoderShape &shape)
{
    ModelInfo info;
    info.modelType = config.modelType();
    const QStringList architectures = config.architectures();
    info.architecture = architectures.isEmpty() ? QString() : architectures.first();
    info.directory = modelDir;
    info.layers = int(shape.layers);
    info.heads = int(shape.heads);
    info.kvHeads = int(shape.heads);
    info.headDim = int(shape.hidden / shape.heads);
    info.hidden = int(shape.hidden);
    return info;
}

} // namespace attnscope
