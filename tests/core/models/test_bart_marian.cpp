// BART and Marian against the transformers formulas (BartAttention with its 1/√d scaling,
// BartEncoderLayer / BartDecoderLayer post-norm, BartLearnedPositionalEmbedding's offset of 2,
// BartScaledWordEmbedding, layernorm_embedding, final_logits_bias; Marian's sinusoidal table
// with sin in the first half and cos in the second, no layernorm_embedding) on tiny random
// checkpoints in Hugging Face layout, with different heads and depths in the two stacks.

#include <QtTest>

#include "core/capture/attention_record.h"
#include "core/models/seq2seq_model.h"
#include "decoder_test_support.h"
#include "reference_formulas.h"
#include "seq2seq_test_support.h"

using namespace attnscope;
using namespace attnscope::test;
namespace ref = attnscope::test::reference;

namespace {

// The support's default layout: d_model 16, 40 words, 20 positions, 2 encoder layers of
// 4 heads, 3 decoder layers of 2 heads, feed-forward 24 / 20.
const BartLayout kDefault;
const int64_t kModel = kDefault.model, kPositions = kDefault.positions, kEncoderLayers = kDefault.encoderLayers,
              kDecoderLayers = kDefault.decoderLayers, kEncoderHeads = kDefault.encoderHeads,
              kDecoderHeads = kDefault.decoderHeads;
constexpr double kEps = 1e-5;

using Activation = std::function<torch::Tensor(const torch::Tensor &)>;

struct Flavor {
    bool marian;
    bool scaleEmbedding;
};

BartLayout layoutOf(const Flavor &f)
{
    BartLayout layout;
    layout.marian = f.marian;
    layout.scaleEmbedding = f.scaleEmbedding;
    return layout;
}

struct AttentionResult {
    torch::Tensor added, probabilities;
};

AttentionResult attention(const TinyCheckpoint &w, const std::string &at, int64_t heads, const torch::Tensor &x,
                          const torch::Tensor &memory, bool causal, const torch::Tensor &gates = {})
{
    const auto project = [&](const char *name, const torch::Tensor &input) {
        return ref::heads(ref::linear(input, w[at + name + ".weight"], w[at + name + ".bias"]), heads);
    };
    const LoopAttention a = loopAttention(project("q_proj", x), project("k_proj", memory), project("v_proj", memory),
                                          1.0 / std::sqrt(double(kModel / heads)), causal);
    // Head gates multiply each head's output before out_proj.
    const torch::Tensor output = gates.defined() ? (a.output.view({x.size(0), heads, -1}) * gates.view({1, heads, 1})).view({x.size(0), -1})
                                                 : a.output;
    return {ref::linear(output, w[at + "out_proj.weight"], w[at + "out_proj.bias"]), a.probabilities};
}

torch::Tensor norm(const TinyCheckpoint &w, const std::string &name, const torch::Tensor &x)
{
    return ref::layerNorm(x, w[name + ".weight"], w[name + ".bias"], kEps);
}

torch::Tensor embed(const TinyCheckpoint &w, const Flavor &f, const std::string &stack, const torch::Tensor &ids)
{
    const torch::Tensor tokens = w["model.shared.weight"].index_select(0, ids) * (f.scaleEmbedding ? std::sqrt(double(kModel)) : 1.0);
    const torch::Tensor positions = torch::arange(ids.size(0), torch::kLong);
    if (f.marian)
        return tokens + marianSinusoids(kPositions, kModel).index_select(0, positions);
    return norm(w, stack + "layernorm_embedding", tokens + w[stack + "embed_positions.weight"].index_select(0, positions + 2));
}

Seq2SeqExpected referenceForward(const TinyCheckpoint &w, const Flavor &f, const torch::Tensor &source,
                                 const torch::Tensor &target, const torch::Tensor &encoderGates = {})
{
    const Activation activation = [&](const torch::Tensor &x) { return f.marian ? ref::silu(x) : ref::geluExact(x); };
    const auto feedForward = [&](const std::string &at, const torch::Tensor &x) {
        return ref::linear(activation(ref::linear(x, w[at + "fc1.weight"], w[at + "fc1.bias"])), w[at + "fc2.weight"],
                           w[at + "fc2.bias"]);
    };
    std::vector<torch::Tensor> encoderMaps, decoderMaps, crossMaps;
    torch::Tensor x = embed(w, f, "model.encoder.", source);
    for (int64_t i = 0; i < kEncoderLayers; ++i) {
        const std::string at = "model.encoder.layers." + std::to_string(i) + ".";
        const AttentionResult a = attention(w, at + "self_attn.", kEncoderHeads, x, x, false,
                                            encoderGates.defined() ? encoderGates[i] : torch::Tensor());
        encoderMaps.push_back(a.probabilities);
        x = norm(w, at + "self_attn_layer_norm", x + a.added);
        x = norm(w, at + "final_layer_norm", x + feedForward(at, x));
    }
    torch::Tensor y = embed(w, f, "model.decoder.", target);
    for (int64_t i = 0; i < kDecoderLayers; ++i) {
        const std::string at = "model.decoder.layers." + std::to_string(i) + ".";
        const AttentionResult self = attention(w, at + "self_attn.", kDecoderHeads, y, y, true);
        decoderMaps.push_back(self.probabilities);
        y = norm(w, at + "self_attn_layer_norm", y + self.added);
        const AttentionResult cross = attention(w, at + "encoder_attn.", kDecoderHeads, y, x, false);
        crossMaps.push_back(cross.probabilities);
        y = norm(w, at + "encoder_attn_layer_norm", y + cross.added);
        y = norm(w, at + "final_layer_norm", y + feedForward(at, y));
    }
    Seq2SeqExpected expected;
    expected.encoded = x;
    expected.logits = ref::linear(y, w["lm_head.weight"]) + w["final_logits_bias"];
    expected.encoder = torch::stack(encoderMaps);
    expected.decoder = torch::stack(decoderMaps);
    expected.cross = torch::stack(crossMaps);
    return expected;
}

} // namespace

class TestBartMarian : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesReference_data()
    {
        QTest::addColumn<bool>("marian");
        QTest::addColumn<bool>("scaleEmbedding");
        QTest::newRow("bart") << false << false;
        QTest::newRow("bart, scale_embedding") << false << true;
        QTest::newRow("marian") << true << true;
    }

    void matchesReference()
    {
        QFETCH(bool, marian);
        QFETCH(bool, scaleEmbedding);
        const Flavor flavor{marian, scaleEmbedding};
        TinyCheckpoint checkpoint(60 + (marian ? 2 : 0) + (scaleEmbedding ? 1 : 0));
        addBartWeights(checkpoint, layoutOf(flavor));
        const QString dir = checkpoint.write(bartConfig(layoutOf(flavor)));
        const torch::Tensor source = torch::tensor({0, 17, 3, 22, 9, 31, 14, 8, 2}, torch::kLong);
        const torch::Tensor target = torch::tensor({layoutOf(flavor).decoderStart(), int64_t(12), int64_t(7), int64_t(33), int64_t(4), int64_t(19)});
        const QString mismatch = seq2seqMismatch(runSeq2SeqEngine(dir, source, target),
                                                 referenceForward(checkpoint, flavor, source, target));
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    }

    // Padding at the end of the source (attention_mask 0) is hidden from the encoder and the
    // cross-attention: everything equals a run of the source without it.
    void sourcePaddingIsHidden()
    {
        const Flavor flavor{false, true};
        TinyCheckpoint checkpoint(65);
        addBartWeights(checkpoint, layoutOf(flavor));
        const auto model = loadSeq2SeqModel(checkpoint.write(bartConfig(layoutOf(flavor))));
        Seq2SeqInput padded;
        padded.inputIds = torch::tensor({0, 17, 3, 22, 9, 31, 2, 1, 1}, torch::kLong);
        padded.attentionMask = torch::tensor({1, 1, 1, 1, 1, 1, 1, 0, 0}, torch::kLong);
        padded.decoderInputIds = torch::tensor({2, 12, 7, 33}, torch::kLong);
        Seq2SeqInput trimmed = padded;
        trimmed.inputIds = padded.inputIds.slice(0, 0, 7);
        trimmed.attentionMask = torch::Tensor();
        AttentionRecord encoder, cross, trimmedEncoder, trimmedCross;
        const torch::Tensor logits = model->forward(padded, {}, {&encoder, nullptr, &cross});
        const torch::Tensor expected = model->forward(trimmed, {}, {&trimmedEncoder, nullptr, &trimmedCross});
        QVERIFY(maxDifference(logits, expected) < 1e-5);
        QVERIFY(maxDifference(cross.all().narrow(-1, 0, 7), trimmedCross.all()) < 1e-6);
        QCOMPARE(cross.all().narrow(-1, 7, 2).abs().max().item<double>(), 0.0);
        QVERIFY(maxDifference(encoder.all().narrow(-2, 0, 7).narrow(-1, 0, 7), trimmedEncoder.all()) < 1e-6);
    }

    // As a Model the encoder runs alone, with head gates (differentiable, for head importance).
    void encoderHeadGates()
    {
        const Flavor flavor{false, true};
        TinyCheckpoint checkpoint(66);
        addBartWeights(checkpoint, layoutOf(flavor));
        const auto model = loadSeq2SeqModel(checkpoint.write(bartConfig(layoutOf(flavor))));
        torch::Tensor gates = torch::ones({kEncoderLayers, kEncoderHeads});
        gates[1][2] = 0.0;
        gates[0][1] = 0.5;
        ModelInput input;
        input.inputIds = torch::tensor({0, 17, 3, 22, 9, 31, 2}, torch::kLong);
        input.headGates = gates.clone().requires_grad_(true);
        const torch::Tensor hidden = model->forward(input, {}, nullptr);
        const Seq2SeqExpected expected = referenceForward(checkpoint, flavor, input.inputIds, torch::tensor({int64_t(2)}), gates);
        QVERIFY2(maxDifference(hidden, expected.encoded) < 1e-5, qPrintable(QString::number(maxDifference(hidden, expected.encoded))));
        hidden.pow(2).sum().backward();
        QVERIFY(input.headGates.grad().defined() && input.headGates.grad().abs().sum().item<double>() > 0);
    }

    void beyondThePositions()
    {
        const Flavor flavor{false, false};
        TinyCheckpoint checkpoint(64);
        addBartWeights(checkpoint, layoutOf(flavor));
        const auto model = loadSeq2SeqModel(checkpoint.write(bartConfig(layoutOf(flavor))));
        Seq2SeqInput input;
        input.inputIds = torch::zeros({kPositions + 1}, torch::kLong);
        input.decoderInputIds = torch::tensor({2}, torch::kLong);
        try {
            model->forward(input, {}, {});
            QFAIL("no error");
        } catch (const std::exception &error) {
            QVERIFY2(QString::fromUtf8(error.what()).contains("beyond the 20 positions of this bart model"), error.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestBartMarian)
#include "test_bart_marian.moc"
