// The attention workspace: running a real model on a text in the worker shows the chosen
// head with the recorded weights (hovering a cell reports the record's value), choosing
// another head shows it, and a folder it cannot run reports one line instead of a result.
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "ui/attention_run.h"
#include "ui/attention_workspace.h"
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
