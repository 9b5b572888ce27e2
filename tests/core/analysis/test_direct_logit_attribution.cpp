// Direct logit attribution against a plain reference: each head's output Σ_j α_ij v_j through
// its slice of W_O, the MLPs as what is left of each layer's change of the stream, all
// through the final norm with the full stream's scale frozen and the unembedding, from the
// stored weights. The parts add up to the model's own logit; encoders are refused.
#include <QtTest>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/context_tokenizer.h"
#include "core/tokenize/tokenizer.h"
#include "stream_reference.h"

using namespace attnscope;
using namespace attnscope::test;

namespace {

AnalysisResult attribute(const AnalysisContext &context, const std::map<QString, QString> &given = {})
{
    const Analysis *dla = findAnalysis(QStringLiteral("direct-logit-attribution"));
    return dla->run(context, AnalysisOptions(dla->name(), dla->options(), given));
}

AnalysisContext contextOf(const Checkpoint &checkpoint)
{
    AnalysisContext context;
    context.model = checkpoint.model.get();
    context.input.inputIds = checkpoint.ids;
    return context;
}

} // namespace

class TestDirectLogitAttribution : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesReference_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("decoder (GPT-2)") << "gpt2";
        QTest::newRow("stories260K (LLaMA)") << "stories";
    }

    void matchesReference()
    {
        QFETCH(QString, name);
        const auto checkpoint = openCheckpoint(name);
        if (!checkpoint)
            QSKIP("shared model stories260K not found (set ATTNSCOPE_SHARED_DIR)");
        const Model &model = *checkpoint->model;
        const ModelInfo &info = model.info();
        const torch::Tensor ids = checkpoint->ids;
        const int64_t tokens = ids.size(0), dv = info.headDim, group = info.heads / info.kvHeads;
        ResidualRecorder recorder;
        const torch::Tensor logits = recordedRun(model, ids, recorder);
        const torch::Tensor alpha = attentionOf(model, ids);
        const AnalysisResult result = attribute(contextOf(*checkpoint));

        // Targets: the next token, and the model's top token after the last.
        const torch::Tensor full = recorder.streams.back();
        const bool layerNorm = checkpoint->family == Family::Gpt2;
        const torch::Tensor centredFull = layerNorm ? full - full.mean(-1, true) : full;
        const torch::Tensor scale = torch::sqrt(centredFull.pow(2).mean(-1, true) + checkpoint->finalNormEps());
        const torch::Tensor unembedding = checkpoint->unembedding();
        const auto logitOf = [&](const torch::Tensor &part, int64_t t, int64_t target) { // frozen norm, no bias
            const torch::Tensor p = layerNorm ? part - part.mean() : part;
            return (p / scale[t] * checkpoint->finalNormWeight()).dot(unembedding[target]).item<double>();
        };
        double worst = 0, worstSum = 0;
        for (int64_t t = 0; t < tokens; ++t) {
            const int64_t target = t + 1 < tokens ? ids[t + 1].item<int64_t>() : logits[t].argmax().item<int64_t>();
            QCOMPARE(result.tensors.at("target_ids")[t].item<int64_t>(), target);
            double sum = logitOf(recorder.streams[0][t], t, target)
                         + checkpoint->finalNormBias().dot(unembedding[target]).item<double>();
            worst = std::max(worst, std::abs(result.tensors.at("embedding_logit")[t].item<double>() - logitOf(recorder.streams[0][t], t, target)));
            for (int layer = 0; layer < info.layers; ++layer) {
                const torch::Tensor v = checkpoint->values(layer, recorder.streams[size_t(layer)]);
                const torch::Tensor wO = checkpoint->outputWeight(layer);
                torch::Tensor attentionOut = checkpoint->outputBias(layer).clone();
                for (int64_t h = 0; h < info.heads; ++h) {
                    torch::Tensor mixed = torch::zeros({dv}, torch::kFloat64);
                    for (int64_t j = 0; j < tokens; ++j)
                        mixed += alpha[layer][h][t][j].item<double>() * v[h / group][j];
                    const torch::Tensor written = wO.narrow(1, h * dv, dv).matmul(mixed);
                    attentionOut += written;
                    worst = std::max(worst, std::abs(result.tensors.at("head_logit")[layer][h][t].item<double>() - logitOf(written, t, target)));
                    sum += logitOf(written, t, target);
                }
                const torch::Tensor mlp = recorder.streams[size_t(layer) + 1][t] - recorder.streams[size_t(layer)][t] - attentionOut;
                worst = std::max(worst, std::abs(result.tensors.at("mlp_logit")[layer][t].item<double>() - logitOf(mlp, t, target)));
                sum += logitOf(mlp, t, target) + logitOf(checkpoint->outputBias(layer), t, target);
            }
            // The defining property: the parts add up to the model's own logit.
            worstSum = std::max(worstSum, std::abs(sum - logits[t][target].item<double>()));
        }
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
        QVERIFY2(worstSum < 1e-4, qPrintable(QString::number(worstSum)));
        QVERIFY(maxDifference(result.tensors.at("full_logit"), logits.gather(1, result.tensors.at("target_ids").view({-1, 1})).squeeze(1)) < 1e-9);
        QVERIFY(result.summary.value(QStringLiteral("max_gap_full_vs_parts")).toDouble() < 1e-4);
    }

    // --answer and --wrong attribute the logit difference: the parts sum to it too.
    void attributesALogitDifference()
    {
        const auto checkpoint = openCheckpoint(QStringLiteral("stories"));
        if (!checkpoint)
            QSKIP("shared model stories260K not found (set ATTNSCOPE_SHARED_DIR)");
        AnalysisContext context = contextOf(*checkpoint);
        setContextTokenizer(context, tokenize::loadTokenizer(checkpoint->dir));
        const int64_t answer = context.tokenize(QStringLiteral("Lily"), false).item<int64_t>();
        const int64_t wrong = context.tokenize(QStringLiteral("Tim"), false).item<int64_t>();
        const AnalysisResult result = attribute(context, {{QStringLiteral("answer"), QStringLiteral("Lily")},
                                                          {QStringLiteral("wrong"), QStringLiteral("Tim")}});
        ModelInput input;
        input.inputIds = checkpoint->ids;
        const torch::Tensor logits = checkpoint->model->forward(input, {}, nullptr).to(torch::kFloat64);
        const torch::Tensor difference = logits.select(1, answer) - logits.select(1, wrong);
        const torch::Tensor sum = result.tensors.at("embedding_logit") + result.tensors.at("head_logit").sum(torch::IntArrayRef{0, 1})
                                  + result.tensors.at("mlp_logit").sum(0) + result.tensors.at("attention_bias_logit").sum(0)
                                  + result.tensors.at("constant_logit");
        QVERIFY(maxDifference(sum, difference) < 1e-4);

        const QString error = inputErrorOf([&] { attribute(context, {{QStringLiteral("answer"), QStringLiteral("Once upon a time")}}); });
        QVERIFY2(error.contains(QStringLiteral("not one")) && error.contains(QStringLiteral("--answer")), qPrintable(error));
    }

    void encodersAreRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("without an LM head") << "bert-base";
        QTest::newRow("masked LM") << "bert";
    }

    void encodersAreRefused()
    {
        QFETCH(QString, name);
        const auto checkpoint = openCheckpoint(name);
        const QString error = inputErrorOf([&] { attribute(contextOf(*checkpoint)); });
        QVERIFY2(error.contains(QStringLiteral("needs a decoder language model")) && !error.contains(QLatin1Char('\n')), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestDirectLogitAttribution)
#include "test_direct_logit_attribution.moc"
