// The attention workspace: running a real model on a text in the worker shows the chosen
// head with the recorded weights (hovering a cell reports the record's value), choosing
// another head shows it, and a folder it cannot run reports one line instead of a result.
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include <torch/torch.h>

#include "core/attention/variant_report.h"
#include "core/attention/variant_spec.h"
#include "core/capture/attention_record.h"
#include "core/tokenize/tokenizer.h"
#include "ui/attention_run.h"
#include "ui/attention_workspace.h"
#include "ui/panels/variant_picker.h"
#include "ui/views/head_view.h"

using namespace attnscope;

namespace {

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");

void requireStories()
{
    if (!QFileInfo::exists(kStories + QStringLiteral("/tokenizer.json")))
        QSKIP("shared test data absent: no ../shared/models/stories260K");
}

} // namespace

class TestAttentionWorkspace : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runsAndShowsTheRecordedHead()
    {
        requireStories();
        AttentionWorkspace workspace(kStories, QStringLiteral("llama"));
        workspace.resize(1100, 700);
        workspace.show();
        workspace.setText(QStringLiteral("Once upon a time, there was a little girl named Lily."));
        QSignalSpy progress(workspace.run(), &AttentionRun::progress);
        workspace.startRun();
        QTRY_VERIFY_WITH_TIMEOUT(workspace.isReady(), 30000);
        QVERIFY(progress.count() >= 5); // one per layer, then done
        const auto record = workspace.run()->record();
        QCOMPARE(record->layers(), int64_t(5));
        QCOMPARE(record->heads(), int64_t(8));
        QCOMPARE(workspace.run()->tokens().size(), int(record->queries()));

        QSignalSpy shown(&workspace, &AttentionWorkspace::headShown);
        workspace.findChild<QSpinBox *>(QStringLiteral("layer"))->setValue(3);
        workspace.findChild<QSpinBox *>(QStringLiteral("head"))->setValue(6);
        QCOMPARE(shown.count(), 2);
        QCOMPARE(shown.last().at(0).toInt(), 3);
        QCOMPARE(shown.last().at(1).toInt(), 6);
        HeadView *view = workspace.headView();
        QTRY_VERIFY_WITH_TIMEOUT(view->hasOverview(), 30000);
        for (const auto &[row, col] : {std::pair<qint64, qint64>{5, 2}, {10, 10}, {12, 0}}) {
            const HoveredCell cell = view->cellAt(view->cellCenter(row, col));
            QCOMPARE(cell.row, row);
            QCOMPARE(cell.col, col);
            QCOMPARE(cell.weight, record->tile(3, 6, row, row + 1, col, col + 1).item<double>());
        }
        // Causal: a future key is masked, not a weight of zero.
        QVERIFY(view->cellAt(view->cellCenter(2, 9)).masked);
    }

    // A variant beside the reference: the divergence table holds core's comparison, the
    // outputs are listed, and the difference map shows variant − reference cell by cell.
    void comparesAVariant()
    {
        requireStories();
        const QString text = QStringLiteral("Once upon a time, there was a little girl named Lily. She loved to play.");
        AttentionWorkspace workspace(kStories, QStringLiteral("llama"));
        workspace.resize(1100, 700);
        workspace.show();
        workspace.setText(text);
        workspace.setComparing(true);
        workspace.variantPicker()->chooseVariant(QStringLiteral("topk"));
        workspace.variantPicker()->setParameter(QStringLiteral("k"), QStringLiteral("2"));
        workspace.variantPicker()->setScope(QStringLiteral("1-2"), QString());
        QCOMPARE(workspace.variantPicker()->spec(), QStringLiteral("topk:k=2@layers=1-2"));
        QVERIFY(workspace.variantPicker()->isValid());
        workspace.startRun();
        QTRY_VERIFY_WITH_TIMEOUT(workspace.isReady(), 30000);

        const auto model = loadModel(kStories);
        const auto tokenizer = tokenize::loadTokenizer(kStories);
        const tokenize::Encoding encoding = tokenizer->encode(text.toUtf8());
        const VariantReport report = compareVariant(*model, comparisonInputOf(encoding, false, *tokenizer),
                                                    parsePlan({QStringLiteral("topk:k=2@layers=1-2")}));
        for (int layer = 0; layer < 5; ++layer)
            for (int head = 0; head < 8; ++head)
                QCOMPARE(workspace.tableDivergence(layer, head), report.heads[size_t(layer)][size_t(head)].jsDivergence);
        QVERIFY(workspace.outputsText().contains(QStringLiteral("top-1 agreement")));
        QVERIFY(workspace.outputsText().contains(QStringLiteral("perplexity")));

        workspace.findChild<QSpinBox *>(QStringLiteral("layer"))->setValue(2);
        workspace.setComparedMap(ComparedMap::Difference);
        HeadView *view = workspace.headView();
        QTRY_VERIFY_WITH_TIMEOUT(view->hasOverview(), 30000);
        QVERIFY(view->style().colormap.isDiverging());
        const auto variant = workspace.run()->record();
        const auto reference = workspace.run()->referenceRecord();
        // Side by side: the reference view shows the reference weights of the same head.
        HeadView *referenceView = workspace.referenceView();
        QVERIFY(referenceView->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(referenceView->hasOverview(), 30000);
        QCOMPARE(referenceView->cellAt(referenceView->cellCenter(9, 3)).weight,
                 reference->tile(2, 0, 9, 10, 3, 4).item<double>());
        for (const auto &[row, col] : {std::pair<qint64, qint64>{9, 3}, {14, 14}, {16, 0}}) {
            const HoveredCell cell = view->cellAt(view->cellCenter(row, col));
            QCOMPARE(cell.weight, (variant->tile(2, 0, row, row + 1, col, col + 1)
                                   - reference->tile(2, 0, row, row + 1, col, col + 1)).item<double>());
        }
    }

    void aBadSpecIsReportedBeforeRunning()
    {
        AttentionWorkspace workspace(kStories, QStringLiteral("llama"));
        workspace.setComparing(true);
        workspace.variantPicker()->setScope(QStringLiteral("x-y"), QString());
        QVERIFY(!workspace.variantPicker()->isValid());
        QVERIFY(!workspace.variantPicker()->problem().isEmpty());
        QSignalSpy progress(workspace.run(), &AttentionRun::progress);
        workspace.startRun();
        QVERIFY(!workspace.run()->isRunning());
        QCOMPARE(progress.count(), 0);
    }

    void aFolderItCannotRunReportsOneLine()
    {
        AttentionWorkspace workspace(QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/models/decoders/llama_gqa"), QStringLiteral("llama"));
        QSignalSpy failed(workspace.run(), &AttentionRun::failed);
        workspace.setText(QStringLiteral("no tokenizer here"));
        workspace.startRun();
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(QStringLiteral("tokenizer")) && !message.contains(QLatin1Char('\n')), qPrintable(message));
        QVERIFY(!workspace.isReady());
        QVERIFY(!workspace.run()->record());
    }
};

QTEST_MAIN(TestAttentionWorkspace)
#include "test_attention_workspace.moc"
