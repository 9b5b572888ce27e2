// Activation patching on GPT-2, BERT and stories260K: patching nothing leaves the corrupted
// metric, patching every head's output restores the clean one exactly (the last token is the
// same in both inputs, so only attention carried the difference to it), the stream row at
// the last layer and position restores it too, an unchanged embedding row does nothing, and
// one head's map entry equals a run with that head put back by a probe written here.
#include <QtTest>

#include "core/analysis/activation_patching.h"
#include "core/analysis/analysis_registry.h"
#include "core/analysis/context_tokenizer.h"
#include "core/tokenize/tokenizer.h"
#include "stream_reference.h"

using namespace attnscope;
using namespace attnscope::test;

namespace {

// Keeps the clean heads, then puts the chosen ones back into another pass.
class HeadSwap : public ForwardProbe {
public:
    torch::Tensor heads(const HeadOutputs &outputs) override
    {
        if (recording) {
            clean.resize(size_t(outputs.layer) + 1);
            clean[size_t(outputs.layer)] = outputs.perHead.clone();
            return outputs.perHead;
        }
        torch::Tensor patched = outputs.perHead.clone();
        for (int64_t h = 0; h < patched.size(0); ++h)
            if (swapAll || (outputs.layer == layer && h == head))
                patched[h] = clean[size_t(outputs.layer)][h];
        return patched;
    }
    bool recording = true, swapAll = false;
    int layer = -1;
    int64_t head = -1;
    std::vector<torch::Tensor> clean;
};

torch::Tensor corruptedOf(const torch::Tensor &ids)
{
    torch::Tensor corrupted = ids.clone();
    corrupted[1] = ids[2];
    corrupted[2] = ids[1] + 1;
    return corrupted;
}

torch::Tensor logitsWith(const Model &model, const torch::Tensor &ids, ForwardProbe *probe)
{
    ModelInput input;
    input.inputIds = ids;
    input.probe = probe;
    return model.forward(input, {}, nullptr).to(torch::kFloat64);
}

double klAtLast(const torch::Tensor &logits, const torch::Tensor &clean)
{
    const torch::Tensor p = torch::log_softmax(clean[-1], -1), q = torch::log_softmax(logits[-1], -1);
    return (p.exp() * (p - q)).sum().item<double>();
}

AnalysisResult patch(const Checkpoint &checkpoint, const torch::Tensor &corrupted, const std::map<QString, QString> &given)
{
    AnalysisContext context;
    context.model = checkpoint.model.get();
    context.input.inputIds = checkpoint.ids;
    context.tokenize = [corrupted](const QString &, bool) { return corrupted; };
    const Analysis *analysis = findAnalysis(QStringLiteral("activation-patching"));
    return analysis->run(context, AnalysisOptions(analysis->name(), analysis->options(), given));
}

} // namespace

class TestActivationPatching : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void definingProperties_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("decoder (GPT-2)") << "gpt2";
        QTest::newRow("encoder (BERT masked LM)") << "bert";
        QTest::newRow("stories260K (LLaMA)") << "stories";
    }

    void definingProperties()
    {
        QFETCH(QString, name);
        const auto checkpoint = openCheckpoint(name);
        if (!checkpoint)
            QSKIP("shared model stories260K not found (set ATTNSCOPE_SHARED_DIR)");
        const Model &model = *checkpoint->model;
        const torch::Tensor corrupted = corruptedOf(checkpoint->ids);
        HeadSwap swap;
        const torch::Tensor clean = logitsWith(model, checkpoint->ids, &swap);
        swap.recording = false;
        const double corruptedKl = klAtLast(logitsWith(model, corrupted, nullptr), clean);
        QVERIFY(corruptedKl > 1e-6);
        swap.swapAll = true;
        QVERIFY2(klAtLast(logitsWith(model, corrupted, &swap), clean) < 1e-9, "every head patched: the clean output");
        swap.swapAll = false;

        const AnalysisResult result = patch(*checkpoint, corrupted, {{QStringLiteral("corrupted-text"), QStringLiteral("x")}});
        QVERIFY(std::abs(result.summary.value(QStringLiteral("clean")).toDouble()) < 1e-12);
        QVERIFY(std::abs(result.summary.value(QStringLiteral("corrupted")).toDouble() - corruptedKl) < 1e-9);
        const torch::Tensor heads = result.tensors.at("head_recovered");
        const torch::Tensor rows = result.tensors.at("residual_recovered");
        const ModelInfo &info = model.info();
        QCOMPARE(heads.sizes().vec(), (std::vector<int64_t>{info.layers, info.heads}));
        QCOMPARE(rows.sizes().vec(), (std::vector<int64_t>{info.layers + 1, checkpoint->ids.size(0)}));
        QVERIFY(std::abs(rows[info.layers][-1].item<double>() - 1) < 1e-9);
        QVERIFY(std::abs(rows[0][0].item<double>()) < 1e-12); // the same first token
        for (int layer = 0; layer < info.layers; ++layer)
            for (int64_t head = 0; head < info.heads; ++head) {
                swap.layer = layer;
                swap.head = head;
                const double expected = 1 - klAtLast(logitsWith(model, corrupted, &swap), clean) / corruptedKl;
                QVERIFY2(std::abs(heads[layer][head].item<double>() - expected) < 1e-6, qPrintable(QStringLiteral("%1.%2").arg(layer).arg(head)));
            }
        QVERIFY(torch::equal(result.tensors.at("corrupted_input_ids"), corrupted));
    }

    void logitDifferenceMetric()
    {
        const auto checkpoint = openCheckpoint(QStringLiteral("stories"));
        if (!checkpoint)
            QSKIP("shared model stories260K not found (set ATTNSCOPE_SHARED_DIR)");
        AnalysisContext context;
        context.model = checkpoint->model.get();
        setContextTokenizer(context, tokenize::loadTokenizer(checkpoint->dir));
        context.input.inputIds = context.tokenize(QStringLiteral("Lily had a big ball. Lily gave the ball to"), true);
        const Analysis *analysis = findAnalysis(QStringLiteral("activation-patching"));
        const auto run = [&](const QString &corrupted, const QString &answer) {
            return analysis->run(context, AnalysisOptions(analysis->name(), analysis->options(),
                                                          {{QStringLiteral("corrupted-text"), corrupted},
                                                           {QStringLiteral("answer"), answer}, {QStringLiteral("wrong"), QStringLiteral("Tim")}}));
        };
        const AnalysisResult result = run(QStringLiteral("Tim had a big ball. Tim gave the ball to"), QStringLiteral("Lily"));
        ModelInput input = context.input;
        const torch::Tensor logits = checkpoint->model->forward(input, {}, nullptr).to(torch::kFloat64);
        const int64_t lily = context.tokenize(QStringLiteral("Lily"), false).item<int64_t>();
        const int64_t tim = context.tokenize(QStringLiteral("Tim"), false).item<int64_t>();
        QVERIFY(std::abs(result.summary.value(QStringLiteral("clean")).toDouble() - (logits[-1][lily] - logits[-1][tim]).item<double>()) < 1e-9);

        QString error = inputErrorOf([&] { run(QStringLiteral("Tim had a ball."), QStringLiteral("Lily")); });
        QVERIFY2(error.contains(QStringLiteral("must be as long")), qPrintable(error));
        error = inputErrorOf([&] { run(QStringLiteral("Tim had a big ball. Tim gave the ball to"), QStringLiteral("Tim and Lily")); });
        QVERIFY2(error.contains(QStringLiteral("not one")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestActivationPatching)
#include "test_activation_patching.moc"
