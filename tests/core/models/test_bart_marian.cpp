// BART and Marian against the transformers formulas (BartAttention with its 1/√d scaling,
// BartEncoderLayer / BartDecoderLayer post-norm, BartLearnedPositionalEmbedding's offset of 2,
// BartScaledWordEmbedding, layernorm_embedding, final_logits_bias; Marian's sinusoidal table
// with sin in the first half and cos in the second, no layernorm_embedding) on tiny random
// checkpoints in Hugging Face layout, with different heads and depths in the two stacks.

#include <QtTest>

#include "core/models/seq2seq_model.h"
#include "decoder_test_support.h"
#include "reference_formulas.h"
#include "seq2seq_test_support.h"

using namespace attnscope;
using namespace attnscope::test;
namespace ref = attnscope::test::reference;

namespace {

constexpr int kModel = 16, kVocab = 40, kPositions = 20;
constexpr int kEncoderLayers = 2, kDecoderLayers = 3, kEncoderHeads = 4, kDecoderHeads = 2;
constexpr int kEncoderFfn = 24, kDecoderFfn = 20;
constexpr double kEps = 1e-5;

using Activation = std::function<torch::Tensor(const torch::Tensor &)>;

struct Flavor {
    bool marian;
    bool scaleEmbedding;
};

QJsonObject configOf(const Flavor &f)
{
    return QJsonObject{
        {"model_type", f.marian ? "marian" : "bart"},
        {"architectures", QJsonArray{f.marian ? "MarianMTModel" : "BartForConditionalGeneration"}},
        {"vocab_size", kVocab}, {"d_model", kModel}, {"max_position_embeddings", kPositions},
        {"encoder_layers", kEncoderLayers}, {"decoder_layers", kDecoderLayers},
        {"encoder_attention_heads", kEncoderHeads}, {"decoder_attention_heads", kDecoderHeads},
        {"encoder_ffn_dim", kEncoderFfn}, {"decoder_ffn_dim", kDecoderFfn},
        {"activation_function", f.marian ? "swish" : "gelu"}, {"scale_embedding", f.scaleEmbedding},
        {"decoder_start_token_id", f.marian ? 39 : 2}, {"pad_token_id", f.marian ? 39 : 1}, {"eos_token_id", f.marian ? 0 : 2},
        {"is_encoder_decoder", true},
    };
}

// MarianSinusoidalPositionalEmbedding._init_weight, loop by loop.
torch::Tensor sinusoidalTable(int64_t positions, int64_t dim)
{
    torch::Tensor table = torch::zeros({positions, dim});
    const int64_t sentinel = (dim + 1) / 2;
    for (int64_t p = 0; p < positions; ++p)
        for (int64_t j = 0; j < dim; ++j) {
            const double angle = double(p) / std::pow(10000.0, 2.0 * double(j / 2) / double(dim));
            // Even columns feed the sines (first half), odd ones the cosines (second half).
            if (j % 2 == 0)
                table[p][j / 2] = std::sin(angle);
            else
                table[p][sentinel + j / 2] = std::cos(angle);
        }
    return table;
}

void addLinear(TinyCheckpoint &w, const std::string &name, int64_t out, int64_t in)
{
    w.add(name + ".weight", {out, in}, 0.4);
    w.add(name + ".bias", {out}, 0.1);
}

void addNorm(TinyCheckpoint &w, const std::string &name)
{
    w.add(name + ".weight", {kModel}, 0.1, true);
    w.add(name + ".bias", {kModel}, 0.1);
}

void addWeights(TinyCheckpoint &w, const Flavor &f)
{
    const torch::Tensor shared = w.add("model.shared.weight", {kVocab, kModel}, 1.0);
    for (const bool decoder : {false, true}) {
        const std::string stack = decoder ? "model.decoder." : "model.encoder.";
        w.addStored(stack + "embed_tokens.weight", shared.clone());
        if (f.marian)
            w.addStored(stack + "embed_positions.weight", sinusoidalTable(kPositions, kModel));
        else {
            w.add(stack + "embed_positions.weight", {kPositions + 2, kModel}, 0.5);
            addNorm(w, stack + "layernorm_embedding");
        }
        for (int64_t i = 0; i < (decoder ? kDecoderLayers : kEncoderLayers); ++i) {
            const std::string at = stack + "layers." + std::to_string(i) + ".";
            for (const std::string &block : decoder ? std::vector<std::string>{"self_attn", "encoder_attn"}
                                                    : std::vector<std::string>{"self_attn"}) {
                for (const char *name : {"q_proj", "k_proj", "v_proj", "out_proj"})
                    addLinear(w, at + block + "." + name, kModel, kModel);
                addNorm(w, at + block + "_layer_norm");
            }
            const int64_t ffn = decoder ? kDecoderFfn : kEncoderFfn;
            addLinear(w, at + "fc1", ffn, kModel);
            addLinear(w, at + "fc2", kModel, ffn);
            addNorm(w, at + "final_layer_norm");
        }
    }
    w.add("final_logits_bias", {1, kVocab}, 0.5);
    w.addStored("lm_head.weight", shared.clone());
}

struct AttentionResult {
    torch::Tensor added, probabilities;
};

AttentionResult attention(const TinyCheckpoint &w, const std::string &at, int64_t heads, const torch::Tensor &x,
                          const torch::Tensor &memory, bool causal)
{
    const auto project = [&](const char *name, const torch::Tensor &input) {
        return ref::heads(ref::linear(input, w[at + name + ".weight"], w[at + name + ".bias"]), heads);
    };
    const LoopAttention a = loopAttention(project("q_proj", x), project("k_proj", memory), project("v_proj", memory),
                                          1.0 / std::sqrt(double(kModel / heads)), causal);
    return {ref::linear(a.output, w[at + "out_proj.weight"], w[at + "out_proj.bias"]), a.probabilities};
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
        return tokens + sinusoidalTable(kPositions, kModel).index_select(0, positions);
    return norm(w, stack + "layernorm_embedding", tokens + w[stack + "embed_positions.weight"].index_select(0, positions + 2));
}

Seq2SeqExpected referenceForward(const TinyCheckpoint &w, const Flavor &f, const torch::Tensor &source,
                                 const torch::Tensor &target)
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
        const AttentionResult a = attention(w, at + "self_attn.", kEncoderHeads, x, x, false);
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
        addWeights(checkpoint, flavor);
        const QString dir = checkpoint.write(configOf(flavor));
        const torch::Tensor source = torch::tensor({0, 17, 3, 22, 9, 31, 14, 8, 2}, torch::kLong);
        const torch::Tensor target = torch::tensor({marian ? 39 : 2, 12, 7, 33, 4, 19}, torch::kLong);
        const QString mismatch = seq2seqMismatch(runSeq2SeqEngine(dir, source, target),
                                                 referenceForward(checkpoint, flavor, source, target));
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    }

    void beyondThePositions()
    {
        const Flavor flavor{false, false};
        TinyCheckpoint checkpoint(64);
        addWeights(checkpoint, flavor);
        const auto model = loadSeq2SeqModel(checkpoint.write(configOf(flavor)));
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
