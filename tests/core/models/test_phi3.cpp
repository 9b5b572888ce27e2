// Phi-3 against the transformers formulas (Phi3Attention, Phi3MLP, longrope from
// modeling_rope_utils): fused qkv_proj and gate_up_proj, partial_rotary_factor, longrope's
// short factors within original_max_position_embeddings and long ones beyond (cos and sin
// scaled by sqrt(1 + ln(factor) / ln(original))), a sliding window shorter than the input.

#include <QtTest>

#include "core/models/model.h"
#include "decoder_test_support.h"
#include "reference_formulas.h"

using namespace attnscope;
using namespace attnscope::test;
namespace ref = attnscope::test::reference;

namespace {

constexpr int kHidden = 32, kLayers = 2, kHeads = 4, kKvHeads = 2, kHeadDim = 8, kVocab = 48,
                  kIntermediate = 40, kTokens = 12;
constexpr double kEps = 1e-5, kTheta = 10000.0;

struct Phi3Case {
    double partial = 1.0;
    int window = 0;
    int original = 0;     // > 0: longrope with this original_max_position_embeddings
    int maxPositions = 64;
};

std::vector<double> factorsOf(int64_t count, double base)
{
    std::vector<double> factors;
    for (int64_t i = 0; i < count; ++i)
        factors.push_back(base + 0.7 * double(i));
    return factors;
}

QJsonArray jsonOf(const std::vector<double> &values)
{
    QJsonArray array;
    for (double value : values)
        array.append(value);
    return array;
}

int64_t rotaryOf(const Phi3Case &c) { return int64_t(kHeadDim * c.partial); }

QJsonObject configOf(const Phi3Case &c)
{
    QJsonObject config{
        {"model_type", "phi3"}, {"architectures", QJsonArray{"Phi3ForCausalLM"}},
        {"vocab_size", kVocab}, {"hidden_size", kHidden}, {"intermediate_size", kIntermediate},
        {"num_hidden_layers", kLayers}, {"num_attention_heads", kHeads}, {"num_key_value_heads", kKvHeads},
        {"rms_norm_eps", kEps}, {"rope_theta", kTheta}, {"hidden_act", "silu"}, {"partial_rotary_factor", c.partial},
        {"max_position_embeddings", c.maxPositions}, {"tie_word_embeddings", false},
        {"sliding_window", c.window > 0 ? QJsonValue(int(c.window)) : QJsonValue()},
    };
    if (c.original > 0) {
        config.insert("original_max_position_embeddings", c.original);
        config.insert("rope_scaling", QJsonObject{{"type", "longrope"},
                                                  {"short_factor", jsonOf(factorsOf(rotaryOf(c) / 2, 1.0))},
                                                  {"long_factor", jsonOf(factorsOf(rotaryOf(c) / 2, 2.5))}});
    }
    return config;
}

void addWeights(TinyCheckpoint &w)
{
    w.add("model.embed_tokens.weight", {kVocab, kHidden}, 1.0);
    for (int64_t i = 0; i < kLayers; ++i) {
        const std::string at = "model.layers." + std::to_string(i) + ".";
        w.add(at + "input_layernorm.weight", {kHidden}, 0.1, true);
        w.add(at + "post_attention_layernorm.weight", {kHidden}, 0.1, true);
        w.add(at + "self_attn.qkv_proj.weight", {(kHeads + 2 * kKvHeads) * kHeadDim, kHidden});
        w.add(at + "self_attn.o_proj.weight", {kHidden, kHeads * kHeadDim});
        w.add(at + "mlp.gate_up_proj.weight", {2 * kIntermediate, kHidden});
        w.add(at + "mlp.down_proj.weight", {kHidden, kIntermediate});
    }
    w.add("model.norm.weight", {kHidden}, 0.1, true);
    w.add("lm_head.weight", {kVocab, kHidden});
}

struct Reference {
    torch::Tensor attentions, logits;
};

Reference referenceForward(const TinyCheckpoint &w, const Phi3Case &c, const torch::Tensor &ids)
{
    const int64_t rotary = rotaryOf(c);
    torch::Tensor invFreq = ref::inverseFrequencies(kTheta, rotary);
    double scaling = 1.0;
    if (c.original > 0) {
        // _compute_longrope_parameters with seq_len = max position + 1.
        const bool longInput = kTokens > c.original;
        const torch::Tensor factors = torch::tensor(factorsOf(rotary / 2, longInput ? 2.5 : 1.0)).to(torch::kFloat);
        const torch::Tensor exponents = torch::arange(0, rotary, 2, torch::kInt64).to(torch::kFloat) / double(rotary);
        invFreq = 1.0 / (factors * torch::pow(kTheta, exponents));
        const double factor = double(c.maxPositions) / double(c.original);
        scaling = factor <= 1 ? 1.0 : std::sqrt(1 + std::log(factor) / std::log(double(c.original)));
    }
    std::vector<torch::Tensor> attentions;
    torch::Tensor x = w["model.embed_tokens.weight"].index_select(0, ids);
    for (int64_t i = 0; i < kLayers; ++i) {
        const std::string at = "model.layers." + std::to_string(i) + ".";
        const torch::Tensor h = ref::rmsNorm(x, w[at + "input_layernorm.weight"], kEps);
        const torch::Tensor qkv = ref::linear(h, w[at + "self_attn.qkv_proj.weight"]);
        const int64_t qEnd = kHeads * kHeadDim, kvWidth = kKvHeads * kHeadDim;
        const torch::Tensor q = ref::heads(qkv.narrow(1, 0, qEnd), kHeads);
        const torch::Tensor k = ref::heads(qkv.narrow(1, qEnd, kvWidth), kKvHeads);
        const torch::Tensor v = ref::heads(qkv.narrow(1, qEnd + kvWidth, kvWidth), kKvHeads);
        const ref::Attention a = ref::attend(ref::rope(q, invFreq, scaling), ref::rope(k, invFreq, scaling), v,
                                             1.0 / std::sqrt(double(kHeadDim)), 0, c.window);
        attentions.push_back(a.probabilities);
        x = x + ref::linear(a.output, w[at + "self_attn.o_proj.weight"]);
        const torch::Tensor gateUp = ref::linear(ref::rmsNorm(x, w[at + "post_attention_layernorm.weight"], kEps),
                                                 w[at + "mlp.gate_up_proj.weight"]);
        const torch::Tensor gate = gateUp.narrow(1, 0, kIntermediate), up = gateUp.narrow(1, kIntermediate, kIntermediate);
        x = x + ref::linear(up * ref::silu(gate), w[at + "mlp.down_proj.weight"]);
    }
    return {torch::stack(attentions), ref::linear(ref::rmsNorm(x, w["model.norm.weight"], kEps), w["lm_head.weight"])};
}

} // namespace

class TestPhi3 : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesTransformersFormulas_data()
    {
        QTest::addColumn<double>("partial");
        QTest::addColumn<int>("window");
        QTest::addColumn<int>("original");
        QTest::addColumn<int>("maxPositions");
        QTest::newRow("plain rope") << 1.0 << 0 << 0 << 64;
        QTest::newRow("partial_rotary_factor 0.5, window 4 over 12 tokens") << 0.5 << 4 << 0 << 64;
        QTest::newRow("longrope short factors (12 <= 32), factor 8") << 1.0 << 0 << 32 << 256;
        QTest::newRow("longrope long factors (12 > 8), factor 8") << 1.0 << 0 << 8 << 64;
        QTest::newRow("longrope long, partial 0.5, window 5") << 0.5 << 5 << 8 << 64;
    }

    void matchesTransformersFormulas()
    {
        QFETCH(double, partial);
        QFETCH(int, window);
        QFETCH(int, original);
        QFETCH(int, maxPositions);
        const Phi3Case c{partial, window, original, maxPositions};
        TinyCheckpoint weights(11);
        addWeights(weights);
        const QString dir = weights.write(configOf(c));
        const torch::Tensor ids = torch::randint(kVocab, {kTokens}, torch::kInt64);
        const Reference expected = referenceForward(weights, c, ids);
        const EngineRun run = runEngine(dir, ids);
        // A cache that grows past the original context keeps the keys rotated with the short
        // factors (as transformers' generate does), so only shorter runs must agree.
        const QString mismatch = runMismatch(run, expected.attentions, expected.logits, original == 0 || kTokens <= original);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        const std::vector<int64_t> windows = window > 0 ? std::vector<int64_t>(kLayers, window) : std::vector<int64_t>();
        QCOMPARE(loadModel(dir)->info().slidingWindows, windows);
    }

    void ropeScalingErrorsAreOneLineNamingTheField_data()
    {
        QTest::addColumn<QJsonObject>("scaling");
        QTest::addColumn<QStringList>("mentions");
        QTest::newRow("unknown type") << QJsonObject{{"type", "su-perb"}, {"factor", 2}} << QStringList{"rope_scaling", "'su-perb'", "longrope"};
        QTest::newRow("short factors missing") << QJsonObject{{"type", "longrope"}, {"long_factor", QJsonArray{1, 1, 1, 1}}}
                                               << QStringList{"longrope", "short_factor", "4 numbers"};
    }

    void ropeScalingErrorsAreOneLineNamingTheField()
    {
        QFETCH(QJsonObject, scaling);
        QFETCH(QStringList, mentions);
        TinyCheckpoint weights(2);
        addWeights(weights);
        QJsonObject config = configOf({});
        config.insert("rope_scaling", scaling);
        const QString error = loadError(weights.write(config));
        QVERIFY2(!error.contains('\n') && error.contains("config.json"), qPrintable(error));
        for (const QString &mention : mentions)
            QVERIFY2(error.contains(mention), qPrintable(error + " lacks " + mention));
    }
};

QTEST_GUILESS_MAIN(TestPhi3)
#include "test_phi3.moc"
