// OLMo 2 against the transformers formulas (Olmo2Attention, Olmo2DecoderLayer): RMSNorms
// over the whole q and k projections before the heads split, norms after attention and the
// MLP (post_attention_layernorm, post_feedforward_layernorm) and none before them, GQA.

#include <QtTest>

#include "core/models/model.h"
#include "decoder_test_support.h"
#include "reference_formulas.h"

using namespace attnscope;
using namespace attnscope::test;
namespace ref = attnscope::test::reference;

namespace {

constexpr int kHidden = 32, kLayers = 2, kHeads = 4, kHeadDim = 8, kVocab = 48, kIntermediate = 40, kTokens = 12;
constexpr double kEps = 1e-5;

QJsonObject configOf(int kvHeads)
{
    return QJsonObject{
        {"model_type", "olmo2"}, {"architectures", QJsonArray{"Olmo2ForCausalLM"}},
        {"vocab_size", kVocab}, {"hidden_size", kHidden}, {"intermediate_size", kIntermediate},
        {"num_hidden_layers", kLayers}, {"num_attention_heads", kHeads}, {"num_key_value_heads", kvHeads},
        {"rms_norm_eps", kEps}, {"rope_theta", 500000.0}, {"hidden_act", "silu"}, {"attention_bias", false},
        {"max_position_embeddings", 64}, {"tie_word_embeddings", false},
    };
}

void addWeights(TinyCheckpoint &w, int64_t kvHeads)
{
    const int64_t q = kHeads * kHeadDim, kv = kvHeads * kHeadDim;
    w.add("model.embed_tokens.weight", {kVocab, kHidden}, 1.0);
    for (int64_t i = 0; i < kLayers; ++i) {
        const std::string at = "model.layers." + std::to_string(i) + ".";
        w.add(at + "post_attention_layernorm.weight", {kHidden}, 0.1, true);
        w.add(at + "post_feedforward_layernorm.weight", {kHidden}, 0.1, true);
        w.add(at + "self_attn.q_norm.weight", {q}, 0.1, true);
        w.add(at + "self_attn.k_norm.weight", {kv}, 0.1, true);
        for (const auto &[name, out, in] : std::vector<std::tuple<std::string, int64_t, int64_t>>{
                 {"self_attn.q_proj", q, kHidden}, {"self_attn.k_proj", kv, kHidden}, {"self_attn.v_proj", kv, kHidden},
                 {"self_attn.o_proj", kHidden, q}, {"mlp.gate_proj", kIntermediate, kHidden},
                 {"mlp.up_proj", kIntermediate, kHidden}, {"mlp.down_proj", kHidden, kIntermediate}})
            w.add(at + name + ".weight", {out, in});
    }
    w.add("model.norm.weight", {kHidden}, 0.1, true);
    w.add("lm_head.weight", {kVocab, kHidden});
}

struct Reference {
    torch::Tensor attentions, logits;
};

Reference referenceForward(const TinyCheckpoint &w, int64_t kvHeads, const torch::Tensor &ids)
{
    const torch::Tensor invFreq = ref::inverseFrequencies(500000.0, kHeadDim);
    std::vector<torch::Tensor> attentions;
    torch::Tensor x = w["model.embed_tokens.weight"].index_select(0, ids);
    for (int64_t i = 0; i < kLayers; ++i) {
        const std::string at = "model.layers." + std::to_string(i) + ".";
        const auto proj = [&](const std::string &name, const torch::Tensor &input) {
            return ref::linear(input, w[at + name + ".weight"]);
        };
        const torch::Tensor q = ref::rmsNorm(proj("self_attn.q_proj", x), w[at + "self_attn.q_norm.weight"], kEps);
        const torch::Tensor k = ref::rmsNorm(proj("self_attn.k_proj", x), w[at + "self_attn.k_norm.weight"], kEps);
        const torch::Tensor v = proj("self_attn.v_proj", x);
        const ref::Attention a = ref::attend(ref::rope(ref::heads(q, kHeads), invFreq), ref::rope(ref::heads(k, kvHeads), invFreq),
                                             ref::heads(v, kvHeads), 1.0 / std::sqrt(double(kHeadDim)));
        attentions.push_back(a.probabilities);
        x = x + ref::rmsNorm(proj("self_attn.o_proj", a.output), w[at + "post_attention_layernorm.weight"], kEps);
        const torch::Tensor mlp = proj("mlp.down_proj", ref::silu(proj("mlp.gate_proj", x)) * proj("mlp.up_proj", x));
        x = x + ref::rmsNorm(mlp, w[at + "post_feedforward_layernorm.weight"], kEps);
    }
    return {torch::stack(attentions), ref::linear(ref::rmsNorm(x, w["model.norm.weight"], kEps), w["lm_head.weight"])};
}

} // namespace

class TestOlmo2 : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesTransformersFormulas_data()
    {
        QTest::addColumn<int>("kvHeads");
        QTest::newRow("multi-head") << 4;
        QTest::newRow("grouped-query (2 kv heads)") << 2;
    }

    void matchesTransformersFormulas()
    {
        QFETCH(int, kvHeads);
        TinyCheckpoint weights(17);
        addWeights(weights, kvHeads);
        const QString dir = weights.write(configOf(kvHeads));
        const torch::Tensor ids = torch::randint(kVocab, {kTokens}, torch::kInt64);
        const Reference expected = referenceForward(weights, kvHeads, ids);
        const EngineRun run = runEngine(dir, ids);
        const QString mismatch = runMismatch(run, expected.attentions, expected.logits);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    }

    void missingPostNormIsOneLineNamingTheTensor()
    {
        TinyCheckpoint weights(4);
        addWeights(weights, 2);
        weights.addStored("model.layers.1.post_feedforward_layernorm.weight", torch::ones({kHidden - 1}));
        const QString error = loadError(weights.write(configOf(2)));
        QVERIFY2(error.contains("post_feedforward_layernorm") && error.contains("expected [32]") && !error.contains('\n'),
                 qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestOlmo2)
#include "test_olmo2.moc"
