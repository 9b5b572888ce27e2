// T5 against the transformers formulas (T5Attention, T5LayerFF, T5Stack,
// T5ForConditionalGeneration) on tiny random checkpoints in Hugging Face layout: v1.0 (ReLU,
// tied head with the d_model^-0.5 rescale) and v1.1 (gated-gelu, untied head), decoder depth
// different from the encoder's, d_kv·heads ≠ d_model; shared.weight beside the per-stack
// embed_tokens copies and the unused EncDecAttention.relative_attention_bias, as real files
// hold them. Relative position buckets are written here as plain loops.

#include <QtTest>

#include "core/capture/attention_record.h"
#include "core/models/seq2seq_generation.h"
#include "core/models/seq2seq_model.h"
#include "decoder_test_support.h"
#include "reference_formulas.h"
#include "seq2seq_test_support.h"

using namespace attnscope;
using namespace attnscope::test;
namespace ref = attnscope::test::reference;

namespace {

// The support's default layout: d_model 16, 4 heads of d_kv 6 (24 ≠ d_model), 40 words,
// 8 buckets up to distance 16.
const T5Layout kDefault;
const int64_t kModel = kDefault.model, kHeads = kDefault.heads, kBuckets = kDefault.buckets,
              kMaxDistance = kDefault.maxDistance;
constexpr double kEps = 1e-6;

T5Layout layoutOf(bool gated, int64_t encoderLayers, int64_t decoderLayers)
{
    T5Layout layout;
    layout.encoderLayers = encoderLayers;
    layout.decoderLayers = decoderLayers;
    layout.gated = gated;
    return layout;
}

// T5Attention._relative_position_bucket for one distance, in fp32 as transformers computes it.
int64_t bucketOf(int64_t relative, bool bidirectional)
{
    int64_t buckets = kBuckets, result = 0, distance = 0;
    if (bidirectional) {
        buckets /= 2;
        if (relative > 0)
            result += buckets;
        distance = std::abs(relative);
    } else {
        distance = relative < 0 ? -relative : 0;
    }
    const int64_t maxExact = buckets / 2;
    if (distance < maxExact)
        return result + distance;
    const float logarithmic = std::log(float(distance) / float(maxExact)) / float(std::log(double(kMaxDistance) / maxExact))
                              * float(buckets - maxExact);
    return result + std::min<int64_t>(maxExact + int64_t(logarithmic), buckets - 1);
}

// compute_bias: [H, T, S], bias[h][i][j] = table[bucket(j − i)][h].
torch::Tensor positionBias(const torch::Tensor &table, int64_t queries, int64_t keys, bool bidirectional)
{
    torch::Tensor bias = torch::zeros({kHeads, queries, keys});
    for (int64_t i = 0; i < queries; ++i)
        for (int64_t j = 0; j < keys; ++j)
            bias.select(1, i).select(1, j).copy_(table[bucketOf(j - i, bidirectional)]);
    return bias;
}

struct AttentionResult {
    torch::Tensor added, probabilities;
};

AttentionResult attention(const TinyCheckpoint &w, const std::string &at, const torch::Tensor &x,
                          const torch::Tensor &memory, bool causal, const torch::Tensor &bias)
{
    const auto project = [&](const char *name, const torch::Tensor &input) {
        return ref::heads(ref::linear(input, w[at + name + ".weight"]), kHeads);
    };
    const LoopAttention a = loopAttention(project("q", x), project("k", memory), project("v", memory), 1.0, causal, bias);
    return {ref::linear(a.output, w[at + "o.weight"]), a.probabilities};
}

torch::Tensor feedForward(const TinyCheckpoint &w, const std::string &at, const torch::Tensor &x, bool gated)
{
    const torch::Tensor normed = ref::rmsNorm(x, w[at + "layer_norm.weight"], kEps);
    const std::string dense = at + "DenseReluDense.";
    const torch::Tensor inner = gated ? ref::geluTanh(ref::linear(normed, w[dense + "wi_0.weight"]))
                                            * ref::linear(normed, w[dense + "wi_1.weight"])
                                      : torch::relu(ref::linear(normed, w[dense + "wi.weight"]));
    return x + ref::linear(inner, w[dense + "wo.weight"]);
}

Seq2SeqExpected referenceForward(const TinyCheckpoint &w, const T5Layout &v, const torch::Tensor &source,
                                 const torch::Tensor &target)
{
    Seq2SeqExpected expected;
    std::vector<torch::Tensor> encoderMaps, decoderMaps, crossMaps;
    const int64_t sources = source.size(0), targets = target.size(0);
    torch::Tensor x = w["shared.weight"].index_select(0, source);
    const torch::Tensor encoderBias = positionBias(w["encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"],
                                                   sources, sources, true);
    for (int64_t i = 0; i < v.encoderLayers; ++i) {
        const std::string at = "encoder.block." + std::to_string(i) + ".layer.";
        const torch::Tensor normed = ref::rmsNorm(x, w[at + "0.layer_norm.weight"], kEps);
        const AttentionResult a = attention(w, at + "0.SelfAttention.", normed, normed, false, encoderBias);
        encoderMaps.push_back(a.probabilities);
        x = feedForward(w, at + "1.", x + a.added, v.gated);
    }
    const torch::Tensor encoded = ref::rmsNorm(x, w["encoder.final_layer_norm.weight"], kEps);

    torch::Tensor y = w["shared.weight"].index_select(0, target);
    const torch::Tensor decoderBias = positionBias(w["decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"],
                                                   targets, targets, false);
    for (int64_t i = 0; i < v.decoderLayers; ++i) {
        const std::string at = "decoder.block." + std::to_string(i) + ".layer.";
        const torch::Tensor normed = ref::rmsNorm(y, w[at + "0.layer_norm.weight"], kEps);
        const AttentionResult self = attention(w, at + "0.SelfAttention.", normed, normed, true, decoderBias);
        decoderMaps.push_back(self.probabilities);
        y = y + self.added;
        const AttentionResult cross = attention(w, at + "1.EncDecAttention.", ref::rmsNorm(y, w[at + "1.layer_norm.weight"], kEps),
                                                encoded, false, {});
        crossMaps.push_back(cross.probabilities);
        y = feedForward(w, at + "2.", y + cross.added, v.gated);
    }
    y = ref::rmsNorm(y, w["decoder.final_layer_norm.weight"], kEps);
    expected.logits = v.gated ? ref::linear(y, w["lm_head.weight"])
                              : ref::linear(y * std::pow(double(kModel), -0.5), w["shared.weight"]);
    expected.encoder = torch::stack(encoderMaps);
    expected.decoder = torch::stack(decoderMaps);
    expected.cross = torch::stack(crossMaps);
    return expected;
}

} // namespace

class TestT5 : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesReference_data()
    {
        QTest::addColumn<bool>("gated");
        QTest::addColumn<int>("encoderLayers");
        QTest::addColumn<int>("decoderLayers");
        QTest::newRow("v1.0 relu, tied, 2 encoder / 3 decoder layers") << false << 2 << 3;
        QTest::newRow("v1.1 gated-gelu, untied, 3 encoder / 2 decoder layers") << true << 3 << 2;
    }

    void matchesReference()
    {
        QFETCH(bool, gated);
        QFETCH(int, encoderLayers);
        QFETCH(int, decoderLayers);
        const T5Layout variant = layoutOf(gated, encoderLayers, decoderLayers);
        TinyCheckpoint checkpoint(gated ? 51 : 50);
        addT5Weights(checkpoint, variant);
        const QString dir = checkpoint.write(t5Config(variant));
        // 11 source tokens reach the logarithmic buckets and the last one (distances ≥ 6).
        const torch::Tensor source = torch::tensor({5, 17, 3, 22, 9, 31, 2, 14, 8, 27, 1}, torch::kLong);
        const torch::Tensor target = torch::tensor({0, 12, 7, 33, 4, 19, 25}, torch::kLong);
        const QString mismatch = seq2seqMismatch(runSeq2SeqEngine(dir, source, target),
                                                 referenceForward(checkpoint, variant, source, target));
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    }

    void describesBothStacks()
    {
        const T5Layout variant = layoutOf(false, 2, 3);
        TinyCheckpoint checkpoint(52);
        addT5Weights(checkpoint, variant);
        const auto model = loadSeq2SeqModel(checkpoint.write(t5Config(variant)));
        const Seq2SeqInfo &stacks = model->seq2seqInfo();
        QCOMPARE(stacks.encoderLayers, 2);
        QCOMPARE(stacks.decoderLayers, 3);
        QCOMPARE(stacks.decoderHeads, int(kHeads));
        QCOMPARE(stacks.headDim, int(kDefault.kv));
        QCOMPARE(model->info().layers, 2);
        // As a Model the encoder alone runs: its final hidden states.
        ModelInput input;
        input.inputIds = torch::tensor({3, 4, 5}, torch::kLong);
        QVERIFY(model->forward(input, {}, nullptr).sizes().vec() == (std::vector<int64_t>{3, kModel}));
    }

    // Each step's rows (cross and self) and logits equal one forward pass of the final ids.
    void generationStepsMatchForward()
    {
        const T5Layout variant = layoutOf(true, 2, 3);
        TinyCheckpoint checkpoint(54);
        addT5Weights(checkpoint, variant);
        const auto model = loadSeq2SeqModel(checkpoint.write(t5Config(variant)));
        Seq2SeqGenerationRequest request;
        request.sourceIds = torch::tensor({5, 17, 3, 22, 9, 31, 1}, torch::kLong);
        request.maxNewTokens = 6;
        const Seq2SeqGeneration generation = generateSeq2Seq(*model, request, {});
        QCOMPARE(generation.decoderIds.size(), size_t(7));
        Seq2SeqInput input;
        input.inputIds = request.sourceIds;
        input.decoderInputIds = torch::tensor(generation.decoderIds, torch::kLong).slice(0, 0, 6);
        AttentionRecord encoder, decoder, cross;
        const torch::Tensor logits = model->forward(input, {}, {&encoder, &decoder, &cross});
        const double differences[] = {maxDifference(generation.encoderAttentions, encoder.all()),
                                      maxDifference(generation.crossAttentions, cross.all()),
                                      maxDifference(generation.decoderAttentions, decoder.all()),
                                      maxDifference(generation.stepLogits, logits)};
        qInfo("generation against forward: encoder %g, cross %g, decoder %g, logits %g", differences[0],
              differences[1], differences[2], differences[3]);
        QVERIFY(differences[0] < 1e-5 && differences[1] < 1e-5 && differences[2] < 1e-5 && differences[3] < 1e-4);
        QCOMPARE(generation.decoderIds[1], logits[0].argmax().item<int64_t>()); // greedy
    }

    void missingDecoderStart()
    {
        const T5Layout variant = layoutOf(false, 1, 1);
        TinyCheckpoint checkpoint(53);
        addT5Weights(checkpoint, variant);
        QJsonObject config = t5Config(variant);
        config.remove("decoder_start_token_id");
        const QString error = loadError(checkpoint.write(config));
        QVERIFY2(error.contains("config.json") && error.contains("decoder_start_token_id"), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestT5)
#include "test_t5.moc"
