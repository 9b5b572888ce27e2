// Qwen3 against the transformers formulas (Qwen3Attention: q_norm / k_norm over each head
// before RoPE; GQA; explicit head_dim; attention_bias; windowed upper layers), on tiny
// random checkpoints in Hugging Face layout: every layer's attention to 1e-5, logits to
// 1e-5 of their scale, the KV cache against the full pass.

#include <QtTest>

#include "core/models/model.h"
#include "decoder_test_support.h"
#include "reference_formulas.h"

using namespace attnscope;
using namespace attnscope::test;
namespace ref = attnscope::test::reference;

namespace {

constexpr int kHidden = 32, kLayers = 3, kHeads = 4, kKvHeads = 2, kVocab = 48, kIntermediate = 40, kTokens = 12;
constexpr double kEps = 1e-6;

struct Qwen3Case {
    int headDim = 8;
    bool bias = false;
    int window = 0;           // > 0: use_sliding_window from layer 1 up
};

QJsonObject configOf(const Qwen3Case &c)
{
    return QJsonObject{
        {"model_type", "qwen3"}, {"architectures", QJsonArray{"Qwen3ForCausalLM"}},
        {"vocab_size", kVocab}, {"hidden_size", kHidden}, {"intermediate_size", kIntermediate},
        {"num_hidden_layers", kLayers}, {"num_attention_heads", kHeads}, {"num_key_value_heads", kKvHeads},
        {"head_dim", c.headDim}, {"rms_norm_eps", kEps}, {"rope_theta", 1000.0}, {"hidden_act", "silu"},
        {"attention_bias", c.bias}, {"tie_word_embeddings", false}, {"max_position_embeddings", 64},
        {"use_sliding_window", c.window > 0}, {"sliding_window", c.window > 0 ? QJsonValue(int(c.window)) : QJsonValue()},
        {"max_window_layers", 1},
    };
}

void addWeights(TinyCheckpoint &w, const Qwen3Case &c)
{
    const int64_t q = kHeads * c.headDim, kv = kKvHeads * c.headDim;
    w.add("model.embed_tokens.weight", {kVocab, kHidden}, 1.0);
    for (int64_t i = 0; i < kLayers; ++i) {
        const std::string at = "model.layers." + std::to_string(i) + ".";
        w.add(at + "input_layernorm.weight", {kHidden}, 0.1, true);
        w.add(at + "post_attention_layernorm.weight", {kHidden}, 0.1, true);
        w.add(at + "self_attn.q_norm.weight", {c.headDim}, 0.1, true);
        w.add(at + "self_attn.k_norm.weight", {c.headDim}, 0.1, true);
        for (const auto &[name, out, in] : std::vector<std::tuple<std::string, int64_t, int64_t>>{
                 {"self_attn.q_proj", q, kHidden}, {"self_attn.k_proj", kv, kHidden}, {"self_attn.v_proj", kv, kHidden},
                 {"self_attn.o_proj", kHidden, q}, {"mlp.gate_proj", kIntermediate, kHidden},
                 {"mlp.up_proj", kIntermediate, kHidden}, {"mlp.down_proj", kHidden, kIntermediate}}) {
            w.add(at + name + ".weight", {out, in});
            if (c.bias && name.rfind("self_attn", 0) == 0)
                w.add(at + name + ".bias", {out});
        }
    }
    w.add("model.norm.weight", {kHidden}, 0.1, true);
    w.add("lm_head.weight", {kVocab, kHidden});
}

torch::Tensor biasOf(const TinyCheckpoint &w, const std::string &name)
{
    return w.contains(name + ".bias") ? w[name + ".bias"] : torch::Tensor();
}

struct Reference {
    torch::Tensor attentions, logits;
};

// Qwen3DecoderLayer / Qwen3Attention, step by step.
Reference referenceForward(const TinyCheckpoint &w, const Qwen3Case &c, const torch::Tensor &ids)
{
    Reference out;
    std::vector<torch::Tensor> attentions;
    const torch::Tensor invFreq = ref::inverseFrequencies(1000.0, c.headDim);
    torch::Tensor x = w["model.embed_tokens.weight"].index_select(0, ids);
    for (int64_t i = 0; i < kLayers; ++i) {
        const std::string at = "model.layers." + std::to_string(i) + ".";
        const auto proj = [&](const std::string &name, const torch::Tensor &input) {
            return ref::linear(input, w[at + name + ".weight"], biasOf(w, at + name));
        };
        const torch::Tensor h = ref::rmsNorm(x, w[at + "input_layernorm.weight"], kEps);
        const torch::Tensor q = ref::rmsNorm(ref::heads(proj("self_attn.q_proj", h), kHeads), w[at + "self_attn.q_norm.weight"], kEps);
        const torch::Tensor k = ref::rmsNorm(ref::heads(proj("self_attn.k_proj", h), kKvHeads), w[at + "self_attn.k_norm.weight"], kEps);
        const torch::Tensor v = ref::heads(proj("self_attn.v_proj", h), kKvHeads);
        const int64_t window = c.window > 0 && i >= 1 ? c.window : 0;
        const ref::Attention a = ref::attend(ref::rope(q, invFreq), ref::rope(k, invFreq), v,
                                             1.0 / std::sqrt(double(c.headDim)), 0, window);
        attentions.push_back(a.probabilities);
        x = x + proj("self_attn.o_proj", a.output);
        const torch::Tensor m = ref::rmsNorm(x, w[at + "post_attention_layernorm.weight"], kEps);
        x = x + proj("mlp.down_proj", ref::silu(proj("mlp.gate_proj", m)) * proj("mlp.up_proj", m));
    }
    out.logits = ref::linear(ref::rmsNorm(x, w["model.norm.weight"], kEps), w["lm_head.weight"]);
    out.attentions = torch::stack(attentions);
    return out;
}

} // namespace

class TestQwen3 : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesTransformersFormulas_data()
    {
        QTest::addColumn<int>("headDim");
        QTest::addColumn<bool>("bias");
        QTest::addColumn<int>("window");
        QTest::newRow("head_dim 8") << 8 << false << 0;
        QTest::newRow("head_dim 16 != hidden/heads, bias") << 16 << true << 0;
        QTest::newRow("window 4 on layers 1+, 12 tokens") << 8 << false << 4;
    }

    void matchesTransformersFormulas()
    {
        QFETCH(int, headDim);
        QFETCH(bool, bias);
        QFETCH(int, window);
        const Qwen3Case c{headDim, bias, window};
        TinyCheckpoint weights(23);
        addWeights(weights, c);
        const QString dir = weights.write(configOf(c));
        const torch::Tensor ids = torch::randint(kVocab, {kTokens}, torch::kInt64);
        const Reference expected = referenceForward(weights, c, ids);
        const EngineRun run = runEngine(dir, ids);
        const QString mismatch = runMismatch(run, expected.attentions, expected.logits);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        const auto info = loadModel(dir)->info();
        QCOMPARE(info.headDim, headDim);
        const std::vector<int64_t> windows = window > 0 ? std::vector<int64_t>{0, window, window} : std::vector<int64_t>();
        QCOMPARE(info.slidingWindows, windows);
    }

    void unknownLayerTypeIsOneLineNamingTheField()
    {
        const Qwen3Case c{8, false, 4};
        TinyCheckpoint weights(5);
        addWeights(weights, c);
        QJsonObject config = configOf(c);
        config.insert("layer_types", QJsonArray{"full_attention", "chunked_attention", "full_attention"});
        const QString error = loadError(weights.write(config));
        QVERIFY2(error.contains("layer_types") && error.contains("chunked_attention") && !error.contains('\n'),
                 qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestQwen3)
#include "test_qwen3.moc"
