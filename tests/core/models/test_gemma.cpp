// Gemma, Gemma 2 and Gemma 3 (text) against the transformers formulas: embeddings × √hidden
// (an fp32 scalar), RMSNorm with (1 + w), GeGLU with gelu_pytorch_tanh (also when
// hidden_act says "gelu" and hidden_activation is null), head_dim ≠ hidden / heads, GQA;
// Gemma 2: query_pre_attn_scalar, score and final-logit soft-capping on and off, pre- and
// post-norms, a window on alternating layers shorter than the input; Gemma 3: q/k norms
// per head, local layers by sliding_window_pattern or layer_types with their own rotary
// base, rope scaling on the global ones.

#include <QtTest>

#include "core/models/model.h"
#include "decoder_test_support.h"
#include "reference_formulas.h"

using namespace attnscope;
using namespace attnscope::test;
namespace ref = attnscope::test::reference;

namespace {

constexpr int kHidden = 32, kLayers = 3, kHeads = 4, kKvHeads = 2, kHeadDim = 16, kVocab = 48,
                  kIntermediate = 40, kTokens = 12;
constexpr double kEps = 1e-6;

struct GemmaCase {
    QString type = "gemma2";
    double attnCap = 0, finalCap = 0; // 0: null in config.json
    int window = 4;
    bool layerTypes = false;          // Gemma 3: "layer_types" instead of sliding_window_pattern
};

bool slidingLayer(const GemmaCase &c, int64_t i)
{
    if (c.type == "gemma")
        return false;
    if (c.type == "gemma2")
        return i % 2 == 0;
    return c.layerTypes ? i == 1 : (i + 1) % 2 != 0; // pattern 2: layers 0 and 2 slide
}

QJsonValue capOf(double cap) { return cap > 0 ? QJsonValue(cap) : QJsonValue(); }

QJsonObject configOf(const GemmaCase &c)
{
    QJsonObject config{
        {"model_type", c.type}, {"vocab_size", kVocab}, {"hidden_size", kHidden},
        {"intermediate_size", kIntermediate}, {"num_hidden_layers", kLayers}, {"num_attention_heads", kHeads},
        {"num_key_value_heads", kKvHeads}, {"head_dim", kHeadDim}, {"rms_norm_eps", kEps},
        {"max_position_embeddings", 64}, {"rope_theta", 10000.0},
    };
    if (c.type == "gemma") {
        config.insert("hidden_act", "gelu"); // ignored: hidden_activation null means gelu_pytorch_tanh
        config.insert("hidden_activation", QJsonValue());
        return config;
    }
    config.insert("hidden_activation", "gelu_pytorch_tanh");
    config.insert("query_pre_attn_scalar", 24);
    config.insert("sliding_window", c.window);
    config.insert("attn_logit_softcapping", capOf(c.attnCap));
    config.insert("final_logit_softcapping", capOf(c.finalCap));
    if (c.type == "gemma3_text") {
        config.insert("rope_theta", 100000.0);
        config.insert("rope_local_base_freq", 10000.0);
        config.insert("rope_scaling", QJsonObject{{"rope_type", "linear"}, {"factor", 2.0}});
        if (c.layerTypes)
            config.insert("layer_types", QJsonArray{"full_attention", "sliding_attention", "full_attention"});
        else
            config.insert("sliding_window_pattern", 2);
    }
    return config;
}

void addWeights(TinyCheckpoint &w, const GemmaCase &c)
{
    const int64_t q = kHeads * kHeadDim, kv = kKvHeads * kHeadDim;
    w.add("model.embed_tokens.weight", {kVocab, kHidden}, 1.0);
    for (int64_t i = 0; i < kLayers; ++i) {
        const std::string at = "model.layers." + std::to_string(i) + ".";
        std::vector<std::string> norms{"input_layernorm", "post_attention_layernorm"};
        if (c.type != "gemma")
            norms.insert(norms.end(), {"pre_feedforward_layernorm", "post_feedforward_layernorm"});
        for (const std::string &norm : norms)
            w.add(at + norm + ".weight", {kHidden}, 0.3); // Gemma stores w of (1 + w)
        if (c.type == "gemma3_text") {
            w.add(at + "self_attn.q_norm.weight", {kHeadDim}, 0.3);
            w.add(at + "self_attn.k_norm.weight", {kHeadDim}, 0.3);
        }
        for (const auto &[name, out, in] : std::vector<std::tuple<std::string, int64_t, int64_t>>{
                 {"self_attn.q_proj", q, kHidden}, {"self_attn.k_proj", kv, kHidden}, {"self_attn.v_proj", kv, kHidden},
                 {"self_attn.o_proj", kHidden, q}, {"mlp.gate_proj", kIntermediate, kHidden},
                 {"mlp.up_proj", kIntermediate, kHidden}, {"mlp.down_proj", kHidden, kIntermediate}})
            w.add(at + name + ".weight", {out, in}, 0.3);
    }
    w.add("model.norm.weight", {kHidden}, 0.3);
}

struct Reference {
    torch::Tensor attentions, logits;
};

Reference referenceForward(const TinyCheckpoint &w, const GemmaCase &c, const torch::Tensor &ids)
{
    const bool first = c.type == "gemma", third = c.type == "gemma3_text";
    const double scale = first ? 1.0 / std::sqrt(double(kHeadDim)) : 1.0 / std::sqrt(24.0);
    std::vector<torch::Tensor> attentions;
    const auto norm = [&](const torch::Tensor &x, const std::string &name) {
        return ref::rmsNorm(x, w[name + ".weight"], kEps, true);
    };
    // Gemma's normalizer: torch.tensor(hidden ** 0.5, dtype=float32).
    torch::Tensor x = w["model.embed_tokens.weight"].index_select(0, ids) * torch::tensor(std::sqrt(double(kHidden)), torch::kFloat);
    for (int64_t i = 0; i < kLayers; ++i) {
        const std::string at = "model.layers." + std::to_string(i) + ".";
        const auto proj = [&](const std::string &name, const torch::Tensor &input) {
            return ref::linear(input, w[at + name + ".weight"]);
        };
        const bool sliding = slidingLayer(c, i);
        const torch::Tensor h = norm(x, at + "input_layernorm");
        torch::Tensor q = ref::heads(proj("self_attn.q_proj", h), kHeads);
        torch::Tensor k = ref::heads(proj("self_attn.k_proj", h), kKvHeads);
        const torch::Tensor v = ref::heads(proj("self_attn.v_proj", h), kKvHeads);
        torch::Tensor invFreq = ref::inverseFrequencies(10000.0, kHeadDim);
        if (third) {
            q = norm(q, at + "self_attn.q_norm");
            k = norm(k, at + "self_attn.k_norm");
            if (!sliding)
                invFreq = ref::inverseFrequencies(100000.0, kHeadDim) / 2.0; // linear, factor 2
        }
        const ref::Attention a = ref::attend(ref::rope(q, invFreq), ref::rope(k, invFreq), v, scale, c.attnCap,
                                             sliding ? c.window : 0);
        attentions.push_back(a.probabilities);
        const torch::Tensor attended = proj("self_attn.o_proj", a.output);
        const auto mlp = [&](const torch::Tensor &input) {
            return proj("mlp.down_proj", ref::geluTanh(proj("mlp.gate_proj", input)) * proj("mlp.up_proj", input));
        };
        if (first) {
            x = x + attended;
            x = x + mlp(norm(x, at + "post_attention_layernorm"));
        } else {
            x = x + norm(attended, at + "post_attention_layernorm");
            x = x + norm(mlp(norm(x, at + "pre_feedforward_layernorm")), at + "post_feedforward_layernorm");
        }
    }
    torch::Tensor logits = ref::linear(norm(x, "model.norm"), w["model.embed_tokens.weight"]);
    if (c.finalCap > 0)
        logits = torch::tanh(logits / c.finalCap) * c.finalCap;
    return {torch::stack(attentions), logits};
}

} // namespace

class TestGemma : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesTransformersFormulas_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<double>("attnCap");
        QTest::addColumn<double>("finalCap");
        QTest::addColumn<bool>("layerTypes");
        QTest::newRow("gemma") << "gemma" << 0.0 << 0.0 << false;
        QTest::newRow("gemma2, soft-capping on (scores 2, logits 3)") << "gemma2" << 2.0 << 3.0 << false;
        QTest::newRow("gemma2, soft-capping off (null)") << "gemma2" << 0.0 << 0.0 << false;
        QTest::newRow("gemma3_text, sliding_window_pattern 2") << "gemma3_text" << 0.0 << 0.0 << false;
        QTest::newRow("gemma3_text, layer_types, logits capped") << "gemma3_text" << 0.0 << 3.0 << true;
    }

    void matchesTransformersFormulas()
    {
        QFETCH(QString, type);
        QFETCH(double, attnCap);
        QFETCH(double, finalCap);
        QFETCH(bool, layerTypes);
        const GemmaCase c{type, attnCap, finalCap, 4, layerTypes};
        TinyCheckpoint weights(13);
        addWeights(weights, c);
        const QString dir = weights.write(configOf(c));
        const torch::Tensor ids = torch::randint(kVocab, {kTokens}, torch::kInt64);
        const Reference expected = referenceForward(weights, c, ids);
        const EngineRun run = runEngine(dir, ids);
        const QString mismatch = runMismatch(run, expected.attentions, expected.logits);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        std::vector<int64_t> windows;
        for (int64_t i = 0; i < kLayers && type != "gemma"; ++i)
            windows.push_back(slidingLayer(c, i) ? 4 : 0);
        QCOMPARE(loadModel(dir)->info().slidingWindows, windows);
        QCOMPARE(loadModel(dir)->info().headDim, int(kHeadDim));
    }

    // Soft-capping must change what the engine computes (the reference could otherwise
    // agree with an engine that ignores it).
    void softCappingChangesScoresAndLogits()
    {
        GemmaCase capped{"gemma2", 2.0, 3.0, 4, false};
        TinyCheckpoint weights(13);
        addWeights(weights, capped);
        const torch::Tensor ids = torch::randint(kVocab, {kTokens}, torch::kInt64);
        const EngineRun withCaps = runEngine(weights.write(configOf(capped)), ids);
        const EngineRun without = runEngine(weights.write(configOf({"gemma2", 0.0, 0.0, 4, false})), ids);
        QVERIFY(maxDifference(withCaps.attentions, without.attentions) > 1e-3);
        QVERIFY(withCaps.logits.abs().max().item<double>() <= 3.0); // tanh reaches 1 in fp32
        QVERIFY(without.logits.abs().max().item<double>() > 3.0);
    }

    void unsupportedFeatureIsOneLineNamingTheField()
    {
        GemmaCase c{"gemma3_text", 0.0, 0.0, 4, false};
        TinyCheckpoint weights(1);
        addWeights(weights, c);
        QJsonObject config = configOf(c);
        config.insert("use_bidirectional_attention", true);
        const QString error = loadError(weights.write(config));
        QVERIFY2(error.contains("config.json") && error.contains("use_bidirectional_attention") && !error.contains('\n'),
                 qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestGemma)
#include "test_gemma.moc"
