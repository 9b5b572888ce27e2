// GPT-NeoX (Pythia) against the transformers formulas (GPTNeoXAttention, GPTNeoXLayer):
// query_key_value laid out head by head, rotary on the first rotary_pct of each head,
// LayerNorm with bias, exact GELU, parallel and sequential residuals; the buffers old
// Pythia checkpoints carry are ignored. Tiny random checkpoints in Hugging Face layout.

#include <QtTest>

#include "core/models/model.h"
#include "decoder_test_support.h"
#include "reference_formulas.h"

using namespace attnscope;
using namespace attnscope::test;
namespace ref = attnscope::test::reference;

namespace {

constexpr int kHidden = 32, kLayers = 2, kHeads = 4, kHeadDim = 8, kVocab = 48, kIntermediate = 64, kTokens = 12;
constexpr double kEps = 1e-5;

QJsonObject configOf(bool parallel, double rotaryPct)
{
    return QJsonObject{
        {"model_type", "gpt_neox"}, {"architectures", QJsonArray{"GPTNeoXForCausalLM"}},
        {"vocab_size", kVocab}, {"hidden_size", kHidden}, {"intermediate_size", kIntermediate},
        {"num_hidden_layers", kLayers}, {"num_attention_heads", kHeads}, {"rotary_pct", rotaryPct},
        {"rotary_emb_base", 10000}, {"layer_norm_eps", kEps}, {"hidden_act", "gelu"},
        {"use_parallel_residual", parallel}, {"max_position_embeddings", 64}, {"tie_word_embeddings", false},
    };
}

void addWeights(TinyCheckpoint &w)
{
    w.add("gpt_neox.embed_in.weight", {kVocab, kHidden}, 1.0);
    for (int64_t i = 0; i < kLayers; ++i) {
        const std::string at = "gpt_neox.layers." + std::to_string(i) + ".";
        for (const char *norm : {"input_layernorm", "post_attention_layernorm"}) {
            w.add(at + norm + ".weight", {kHidden}, 0.1, true);
            w.add(at + norm + ".bias", {kHidden}, 0.1);
        }
        for (const auto &[name, out, in] : std::vector<std::tuple<std::string, int64_t, int64_t>>{
                 {"attention.query_key_value", 3 * kHidden, kHidden}, {"attention.dense", kHidden, kHidden},
                 {"mlp.dense_h_to_4h", kIntermediate, kHidden}, {"mlp.dense_4h_to_h", kHidden, kIntermediate}}) {
            w.add(at + name + ".weight", {out, in});
            w.add(at + name + ".bias", {out}, 0.1);
        }
        // What old Pythia files carry besides the weights.
        w.addStored(at + "attention.bias", torch::tril(torch::ones({64, 64}, torch::kBool)).view({1, 1, 64, 64}));
        w.addStored(at + "attention.masked_bias", torch::tensor(-1e9));
        w.addStored(at + "attention.rotary_emb.inv_freq", torch::ones({1}));
    }
    w.add("gpt_neox.final_layer_norm.weight", {kHidden}, 0.1, true);
    w.add("gpt_neox.final_layer_norm.bias", {kHidden}, 0.1);
    w.add("embed_out.weight", {kVocab, kHidden});
}

struct Reference {
    torch::Tensor attentions, logits;
};

Reference referenceForward(const TinyCheckpoint &w, bool parallel, double rotaryPct, const torch::Tensor &ids)
{
    const int64_t rotary = int64_t(kHeadDim * rotaryPct);
    const torch::Tensor invFreq = ref::inverseFrequencies(10000.0, rotary);
    std::vector<torch::Tensor> attentions;
    torch::Tensor x = w["gpt_neox.embed_in.weight"].index_select(0, ids);
    for (int64_t i = 0; i < kLayers; ++i) {
        const std::string at = "gpt_neox.layers." + std::to_string(i) + ".";
        const auto proj = [&](const std::string &name, const torch::Tensor &input) {
            return ref::linear(input, w[at + name + ".weight"], w[at + name + ".bias"]);
        };
        const auto norm = [&](const std::string &name, const torch::Tensor &input) {
            return ref::layerNorm(input, w[at + name + ".weight"], w[at + name + ".bias"], kEps);
        };
        // qkv.view(T, heads, 3 · head_size): q, k, v are thirds of each head's slice.
        const torch::Tensor qkv = proj("attention.query_key_value", norm("input_layernorm", x)).view({kTokens, kHeads, 3 * kHeadDim});
        const torch::Tensor q = qkv.narrow(2, 0, kHeadDim).permute({1, 0, 2});
        const torch::Tensor k = qkv.narrow(2, kHeadDim, kHeadDim).permute({1, 0, 2});
        const torch::Tensor v = qkv.narrow(2, 2 * kHeadDim, kHeadDim).permute({1, 0, 2});
        const ref::Attention a = ref::attend(ref::rope(q, invFreq), ref::rope(k, invFreq), v, 1.0 / std::sqrt(double(kHeadDim)));
        attentions.push_back(a.probabilities);
        const torch::Tensor attended = proj("attention.dense", a.output);
        const auto mlp = [&](const torch::Tensor &input) {
            return proj("mlp.dense_4h_to_h", ref::geluExact(proj("mlp.dense_h_to_4h", norm("post_attention_layernorm", input))));
        };
        if (parallel) {
            x = mlp(x) + attended + x;
        } else {
            const torch::Tensor y = attended + x;
            x = mlp(y) + y;
        }
    }
    const torch::Tensor final = ref::layerNorm(x, w["gpt_neox.final_layer_norm.weight"], w["gpt_neox.final_layer_norm.bias"], kEps);
    return {torch::stack(attentions), ref::linear(final, w["embed_out.weight"])};
}

} // namespace

class TestGptNeox : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesTransformersFormulas_data()
    {
        QTest::addColumn<bool>("parallel");
        QTest::addColumn<double>("rotaryPct");
        QTest::newRow("parallel residual, rotary_pct 0.25") << true << 0.25;
        QTest::newRow("sequential residual, rotary_pct 0.5") << false << 0.5;
        QTest::newRow("parallel residual, full rotary") << true << 1.0;
    }

    void matchesTransformersFormulas()
    {
        QFETCH(bool, parallel);
        QFETCH(double, rotaryPct);
        TinyCheckpoint weights(7);
        addWeights(weights);
        const QString dir = weights.write(configOf(parallel, rotaryPct));
        const torch::Tensor ids = torch::randint(kVocab, {kTokens}, torch::kInt64);
        const Reference expected = referenceForward(weights, parallel, rotaryPct, ids);
        const EngineRun run = runEngine(dir, ids);
        const QString mismatch = runMismatch(run, expected.attentions, expected.logits);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        // The buffers are not parameters: embeddings, 2 × (2 LayerNorms, 4 biased linears), final norm, head.
        const int64_t perLayer = 4 * kHidden + 3 * kHidden * kHidden + 3 * kHidden + kHidden * kHidden + kHidden
            + 2 * kIntermediate * kHidden + kIntermediate + kHidden;
        QCOMPARE(loadModel(dir)->info().parameters, 2 * kVocab * kHidden + kLayers * perLayer + 2 * kHidden);
    }

    void oddRotaryWidthIsOneLineNamingTheProblem()
    {
        TinyCheckpoint weights(3);
        addWeights(weights);
        const QString error = loadError(weights.write(configOf(true, 0.375)));
        QVERIFY2(error.contains("config.json") && error.contains("rotary") && !error.contains('\n'), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestGptNeox)
#include "test_gpt_neox.moc"
