#pragma once
// The bidirectional transformer layer shared by the encoder families: BERT, RoBERTa and
// DistilBERT put LayerNorm after each residual sum (post-norm), ViT, DeiT and DINOv2 before
// each sub-block (pre-norm; DINOv2 also scales each branch and may gate its FFN). Only the weight names differ between them.

#include <string>
#include <vector>

#include <torch/types.h>

#include "core/attention/variant.h"
#include "core/models/common/activation.h"
#include "core/models/common/layer_norm.h"
#include "core/models/common/linear.h"
#include "core/models/model.h"

namespace attnscope {

class AttentionRecorder;
class ModelConfig;
class WeightResolver;

// Names inside one layer, relative to its prefix (e.g. "encoder.layer.3.").
struct EncoderLayerNames {
    std::string query, key, value, output;
    std::string attentionNorm; // post-norm: after attention; pre-norm: before it
    std::string ffnIn, ffnOut;
    std::string ffnNorm;       // post-norm: after the feed-forward; pre-norm: before it
    std::string attentionScale = {}, ffnScale = {}; // DINOv2's layer scales (with EncoderShape::layerScale)
};

struct EncoderShape {
    int64_t layers = 0;
    int64_t hidden = 0;
    int64_t heads = 0;
    int64_t intermediate = 0;
    double layerNormEps = 1e-12;
    bool preNorm = false;
    bool qkvBias = true;
    bool layerScale = false;   // DINOv2: each branch × a learned per-channel scale
    bool swiGlu = false;       // DINOv2: ffnIn gives [x1, x2], the FFN is ffnOut(silu(x1) · x2)
    Activation activation;
};

struct EncoderLayer {
    Linear query, key, value, output, ffnIn, ffnOut;
    LayerNorm attentionNorm, ffnNorm;
    torch::Tensor attentionScale, ffnScale; // [hidden] or undefined
};

class EncoderStack {
public:
    // Loads layers prefix + "0." … prefix + "L-1.".
    EncoderStack(const WeightResolver &weights, const std::string &prefix,
                 const EncoderLayerNames &names, const EncoderShape &shape);

    // x [T, hidden]; keyMask [T] bool or undefined; the input's head gates and probe.
    // Reports the sizes to the recorder, then every layer's attention through attend().
    torch::Tensor forward(torch::Tensor x, const torch::Tensor &keyMask, const ModelInput &input,
                          const AttentionPlan &plan, AttentionRecorder *recorder) const;

    const EncoderShape &shape() const { return m_shape; }

private:
    torch::Tensor feedForward(const EncoderLayer &layer, const torch::Tensor &rows) const;
    torch::Tensor attention(const EncoderLayer &layer, int index, const torch::Tensor &x,
                            const torch::Tensor &keyMask, const ModelInput &input,
                            const AttentionPlan &plan, AttentionRecorder *recorder) const;

    EncoderShape m_shape;
    std::vector<EncoderLayer> m_layers;
};

// The shape from the config fields BERT, RoBERTa and ViT share (num_hidden_layers,
// hidden_size, num_attention_heads, intermediate_size, layer_norm_eps, hidden_act).
EncoderShape bertStyleShape(const ModelConfig &config);

// ModelInfo of an encoder: type, architecture, folder and the attention geometry.
ModelInfo encoderInfo(const QString &modelDir, const ModelConfig &config, const EncoderShape &shape);

} // namespace attnscope
