// Analyses of a compact record (attention too long to keep dense): head statistics and sink
// scores, computed one head at a time from q and k, equal those of the same run kept dense,
// on GPT-2 and BERT fixtures and on stories260K.
#include <QtTest>

#include "core/analysis/analysis_registry.h"
#include "core/capture/attention_record.h"
#include "stream_reference.h"

using namespace attnscope;
using namespace attnscope::test;

namespace {

AnalysisResult analysed(const QString &method, const Checkpoint &checkpoint, int64_t denseBudget, bool &dense)
{
    auto record = std::make_shared<AttentionRecord>(denseBudget);
    ModelInput input;
    input.inputIds = checkpoint.ids;
    {
        const torch::NoGradGuard noGradients;
        record->logits = checkpoint.model->forward(input, {}, record.get());
    }
    record->tokens.resize(size_t(checkpoint.ids.size(0)));
    dense = record->isDense();
    AnalysisContext context;
    context.record = record;
    const Analysis *analysis = findAnalysis(method);
    return analysis->run(context, AnalysisOptions(method, analysis->options(), {}));
}

} // namespace

class TestHeadByHead : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void compactEqualsDense_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("method");
        for (const char *name : {"gpt2", "bert-base", "stories"})
            for (const char *method : {"head-stats", "sinks"})
                QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(name, method))) << name << method;
    }
    void compactEqualsDense()
    {
        QFETCH(QString, name);
        QFETCH(QString, method);
        const auto checkpoint = openCheckpoint(name);
        if (!checkpoint)
            QSKIP("shared model stories260K not found (set ATTNSCOPE_SHARED_DIR)");
        bool wasDense = false;
        const AnalysisResult dense = analysed(method, *checkpoint, AttentionRecord::kDefaultDenseBudgetBytes, wasDense);
        QVERIFY(wasDense);
        const AnalysisResult compact = analysed(method, *checkpoint, 0, wasDense); // nothing fits: q and k only
        QVERIFY(!wasDense);
        QCOMPARE(compact.tensors.size(), dense.tensors.size());
        for (const auto &[tensor, values] : dense.tensors) {
            QVERIFY2(compact.tensors.count(tensor), tensor.c_str());
            QCOMPARE(compact.tensors.at(tensor).sizes(), values.sizes());
            QVERIFY2(maxDifference(compact.tensors.at(tensor), values) < 1e-6, tensor.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestHeadByHead)
#include "test_head_by_head.moc"
