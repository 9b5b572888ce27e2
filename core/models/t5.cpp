// T5 (v1.0 with a ReLU feed-forward; v1.1, flan-t5 and mT5 with "gated-gelu": gelu_new(wi_0)
// times wi_1): pre-norm blocks with T5's RMS norm (no mean, no bias), projections without
// bias, no 1/√d scaling, and relative position buckets instead of position embeddings:
// bidirectional in the encoder, causal in the decoder, the bias table held by the first
// block of each stack and shared by its layers (the cross-attention has none; checkpoints
// carry an unused EncDecAttention.relative_attention_bias, which is ignored). A tied head
// rescales the decoder's output by d_model^-0.5 before the shared embedding.

#include <cmath>

#include <torch/torch.h>

#include "core/capture/attention_recorder.h"
#include "core/io/model_config.h"
#include "core/models/common/activation.h"
#include "core/models/common/layer_norm.h"
#include "core/models/common/positionwise.h"
#include "core/models/common/seq2seq_attention.h"
#include "core/models/common/weight_resolver.h"
#include "core/models/forward_probe.h"
#include "core/models/seq2seq_families.h"
#include "core/models/seq2seq_model.h"

namespace attnscope {

namespace {

struct T5Shape {
    int64_t vocab = 0, hidden = 0, heads = 0, headDim = 0, ffn = 0;
    int64_t buckets = 32, maxDistance = 128;
    double eps = 1e-6;
    bool gated = false;
    Activation activation;
};

struct T5Block {
    RmsNorm selfNorm, crossNorm, ffnNorm;
    ProjectedAttention self, cross; // cross: decoder blocks only
    Linear wi, wiLinear, wo;        // wiLinear: the gated form's wi_1
};

struct T5Stack {
    std::vector<T5Block> blocks;
    torch::Tensor relativeBias; // [buckets, heads]
    RmsNorm finalNorm;
    torch::Tensor embeddings;   // [vocab, hidden], as stored
};

// "relu", "gelu", "gated-gelu", "gated-silu" … as T5Config reads feed_forward_proj.
void readFeedForward(const ModelConfig &config, T5Shape &shape)
{
    const QString projection = config.string(QStringLiteral("feed_forward_proj"), QStringLiteral("relu"));
    const QStringList parts = projection.split(QLatin1Char('-'));
    shape.gated = parts.size() == 2 && parts.first() == QLatin1String("gated");
    if (parts.size() > 2 || (parts.size() == 2 && !shape.gated))
        config.fail(QStringLiteral("feed_forward_proj '%1' is not of the form ACT or gated-ACT").arg(projection));
    // T5Config turns "gated-gelu" into gelu_new (the tanh approximation of the original code).
    shape.activation = activationByName(config, projection == QLatin1String("gated-gelu") ? QStringLiteral("gelu_new")
                                                                                          : parts.last());
}

// T5Attention._relative_position_bucket on memory − query positions.
torch::Tensor relativeBuckets(const torch::Tensor &relative, bool bidirectional, int64_t buckets, int64_t maxDistance)
{
    torch::Tensor offset = torch::zeros_like(relative);
    torch::Tensor distance;
    if (bidirectional) {
        buckets /= 2;
        offset = relative.gt(0).to(torch::kLong) * buckets;
        distance = relative.abs();
    } else {
        distance = -torch::clamp_max(relative, 0);
    }
    const int64_t maxExact = buckets / 2;
    // Logarithmic bins from maxExact to maxDistance, computed in fp32 as transformers does.
    torch::Tensor large = (torch::log(distance.to(torch::kFloat32) / double(maxExact))
                           / std::log(double(maxDistance) / double(maxExact)) * double(buckets - maxExact))
                              .to(torch::kLong)
                          + maxExact;
    large = torch::clamp_max(large, buckets - 1);
    return offset + torch::where(distance.lt(maxExact), distance, large);
}

class T5Model final : public Seq2SeqModel {
public:
    T5Model(const QString &modelDir, const ModelConfig &config, const WeightSource &source);

    torch::Tensor encode(const torch::Tensor &sourceIds, const torch::Tensor &keyMask, const AttentionPlan &plan,
                         AttentionRecorder *recorder, const EncoderHooks &hooks) const override;
    torch::Tensor decode(const torch::Tensor &decoderIds, const torch::Tensor &encoderOutput,
                         const torch::Tensor &sourceKeyMask, const Seq2SeqPlans &plans,
                         const Seq2SeqRecorders &recorders) const override;

private:
    T5Stack loadStack(const WeightResolver &weights, const std::string &prefix, int64_t layers, bool decoder) const;
    torch::Tensor positionBias(const T5Stack &stack, int64_t queries, int64_t keys, bool bidirectional) const;
    torch::Tensor feedForward(const T5Block &block, const torch::Tensor &x) const;

    T5Shape m_shape;
    T5Stack m_encoder, m_decoder;
    Linear m_lmHead;
    double m_outputScale = 1.0;
};

T5Model::T5Model(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    m_shape.vocab = config.integer(QStringLiteral("vocab_size"));
    m_shape.hidden = config.integer(QStringLiteral("d_model"));
    m_shape.heads = config.integer(QStringLiteral("num_heads"));
    m_shape.headDim = config.integer(QStringLiteral("d_kv"));
    m_shape.ffn = config.integer(QStringLiteral("d_ff"));
    m_shape.buckets = config.integer(QStringLiteral("relative_attention_num_buckets"), 32);
    m_shape.maxDistance = config.integer(QStringLiteral("relative_attention_max_distance"), 128);
    m_shape.eps = config.number(QStringLiteral("layer_norm_epsilon"), 1e-6);
    const int64_t encoderLayers = config.integer(QStringLiteral("num_layers"));
    const int64_t decoderLayers = config.integer(QStringLiteral("num_decoder_layers"), encoderLayers);
    if (m_shape.vocab <= 0 || m_shape.hidden <= 0 || m_shape.heads <= 0 || m_shape.headDim <= 0 || m_shape.ffn <= 0
        || encoderLayers <= 0 || decoderLayers <= 0 || m_shape.buckets < 4 || m_shape.maxDistance <= m_shape.buckets / 4)
        config.fail(QStringLiteral("vocab_size, d_model, num_heads, d_kv, d_ff and the layer counts must be positive, "
                                   "relative_attention_max_distance above a quarter of the buckets"));
    readFeedForward(config, m_shape);

    const WeightResolver weights(source, config, {});
    m_encoder = loadStack(weights, "encoder.", encoderLayers, false);
    m_decoder = loadStack(weights, "decoder.", decoderLayers, true);
    const bool tied = config.boolean(QStringLiteral("tie_word_embeddings"), true);
    m_lmHead.weight = tied ? m_decoder.embeddings : weights.stored("lm_head.weight", {m_shape.vocab, m_shape.hidden});
    m_outputScale = tied ? 1.0 / std::sqrt(double(m_shape.hidden)) : 1.0;

    Seq2SeqInfo stacks;
    stacks.encoderLayers = int(encoderLayers);
    stacks.decoderLayers = int(decoderLayers);
    stacks.encoderHeads = stacks.decoderHeads = int(m_shape.heads);
    stacks.headDim = int(m_shape.headDim);
    stacks.decoderVocabSize = int(m_shape.vocab);
    stacks.positions = QStringLiteral("relative buckets");
    describe(modelDir, config, stacks, int(m_shape.hidden), int(m_shape.vocab));
    m_info.parameters = weights.loadedParameters();
}

T5Stack T5Model::loadStack(const WeightResolver &weights, const std::string &prefix, int64_t layers, bool decoder) const
{
    const T5Shape &s = m_shape;
    T5Stack stack;
    // Every stack reads the shared table; older files hold only the per-stack copies.
    stack.embeddings = weights.stored(weights.contains("shared.weight") ? "shared.weight" : prefix + "embed_tokens.weight",
                                      {s.vocab, s.hidden});
    const ProjectionNames names{"q", "k", "v", "o"};
    for (int64_t i = 0; i < layers; ++i) {
        const std::string at = prefix + "block." + std::to_string(i) + ".layer.";
        T5Block block;
        block.selfNorm = weights.rmsNorm(at + "0.layer_norm", s.hidden, s.eps);
        block.self = loadProjectedAttention(weights, at + "0.SelfAttention.", names, s.hidden, s.heads, s.headDim, false);
        if (i == 0)
            stack.relativeBias = weights.tensor(at + "0.SelfAttention.relative_attention_bias.weight", {s.buckets, s.heads});
        const std::string ffn = at + (decoder ? "2." : "1.");
        if (decoder) {
            block.crossNorm = weights.rmsNorm(at + "1.layer_norm", s.hidden, s.eps);
            block.cross = loadProjectedAttention(weights, at + "1.EncDecAttention.", names, s.hidden, s.heads,
                                                 s.headDim, false);
        }
        block.ffnNorm = weights.rmsNorm(ffn + "layer_norm", s.hidden, s.eps);
        if (s.gated) {
            block.wi = weights.linear(ffn + "DenseReluDense.wi_0", s.ffn, s.hidden, false);
            block.wiLinear = weights.linear(ffn + "DenseReluDense.wi_1", s.ffn, s.hidden, false);
        } else {
            block.wi = weights.linear(ffn + "DenseReluDense.wi", s.ffn, s.hidden, false);
        }
        block.wo = weights.linear(ffn + "DenseReluDense.wo", s.hidden, s.ffn, false);
        stack.blocks.push_back(std::move(block));
    }
    stack.finalNorm = weights.rmsNorm(prefix + "final_layer_norm", s.hidden, s.eps);
    return stack;
}

// T5Attention.compute_bias: [H, queries, keys].
torch::Tensor T5Model::positionBias(const T5Stack &stack, int64_t queries, int64_t keys, bool bidirectional) const
{
    const torch::Tensor relative = torch::arange(keys, torch::kLong).unsqueeze(0) - torch::arange(queries, torch::kLong).unsqueeze(1);
    const torch::Tensor buckets = relativeBuckets(relative, bidirectional, m_shape.buckets, m_shape.maxDistance);
    return stack.relativeBias.index_select(0, buckets.reshape({-1})).view({queries, keys, m_shape.heads}).permute({2, 0, 1});
}

torch::Tensor T5Model::feedForward(const T5Block &block, const torch::Tensor &x) const
{
    return applyPositionwise(x, [&](const torch::Tensor &rows) {
        const torch::Tensor normed = block.ffnNorm(rows);
        torch::Tensor inner = m_shape.activation(block.wi(normed));
        if (m_shape.gated)
            inner = inner * block.wiLinear(normed);
        return block.wo(inner);
    });
}

torch::Tensor T5Model::encode(const torch::Tensor &sourceIds, const torch::Tensor &keyMask, const AttentionPlan &plan,
                              AttentionRecorder *recorder, const EncoderHooks &hooks) const
{
    const int64_t tokens = sourceIds.size(0);
    if (recorder)
        recorder->beginForward(int64_t(m_encoder.blocks.size()), m_shape.heads, tokens, tokens);
    AttentionStep step;
    step.keyMask = keyMask;
    step.scoreBias = positionBias(m_encoder, tokens, tokens, true);
    step.plan = &plan;
    step.recorder = recorder;
    step.headGates = hooks.headGates;
    step.probe = hooks.probe;
    torch::Tensor x = probedResidual(hooks.probe, 0, embeddingRows(m_encoder.embeddings, sourceIds));
    for (size_t i = 0; i < m_encoder.blocks.size(); ++i) {
        const T5Block &block = m_encoder.blocks[i];
        step.layer = int(i);
        const torch::Tensor normed = block.selfNorm(x);
        x = x + attendProjected(block.self, normed, normed, step);
        x = x + probedMlp(hooks.probe, step.layer, feedForward(block, x));
        x = probedResidual(hooks.probe, step.layer + 1, x);
    }
    return m_encoder.finalNorm(x);
}

torch::Tensor T5Model::decode(const torch::Tensor &decoderIds, const torch::Tensor &encoderOutput,
                              const torch::Tensor &sourceKeyMask, const Seq2SeqPlans &plans,
                              const Seq2SeqRecorders &recorders) const
{
    const int64_t tokens = decoderIds.size(0), sources = encoderOutput.size(0);
    const int64_t layers = int64_t(m_decoder.blocks.size());
    if (recorders.decoder)
        recorders.decoder->beginForward(layers, m_shape.heads, tokens, tokens);
    if (recorders.cross)
        recorders.cross->beginForward(layers, m_shape.heads, tokens, sources);
    AttentionStep self;
    self.causal = true;
    self.scoreBias = positionBias(m_decoder, tokens, tokens, false);
    self.plan = &plans.decoder;
    self.recorder = recorders.decoder;
    AttentionStep cross;
    cross.keyMask = sourceKeyMask;
    cross.plan = &plans.cross;
    cross.recorder = recorders.cross;
    torch::Tensor x = embeddingRows(m_decoder.embeddings, decoderIds);
    for (size_t i = 0; i < m_decoder.blocks.size(); ++i) {
        const T5Block &block = m_decoder.blocks[i];
        self.layer = cross.layer = int(i);
        const torch::Tensor normed = block.selfNorm(x);
        x = x + attendProjected(block.self, normed, normed, self);
        x = x + attendProjected(block.cross, block.crossNorm(x), encoderOutput, cross);
        x = x + feedForward(block, x);
    }
    return m_lmHead(m_decoder.finalNorm(x) * m_outputScale);
}

} // namespace

std::unique_ptr<Model> loadT5(const QString &modelDir, const ModelConfig &config, const WeightSource &source)
{
    return std::make_unique<T5Model>(modelDir, config, source);
}

} // namespace attnscope
