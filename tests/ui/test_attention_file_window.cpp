// Attention files in the GUI: opening one shows its heads in the workspace with the tokens of
// its metadata and the warnings of the loader, views that need no model work, and analyses
// that need the model say so in one line.

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "core/io/safetensors_writer.h"
#include "ui/attention_run.h"
#include "ui/attention_workspace.h"
#include "ui/mainwindow.h"
#include "ui/views/head_view.h"

using namespace attnscope;

class TestAttentionFileWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void opensAndExploresAFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("attn.safetensors"));
        torch::manual_seed(3);
        torch::Tensor attention = torch::softmax(torch::randn({2, 1, 3, 6, 6}), -1); // HF stacked, batch 1
        attention[0][0][1][2] *= 3;                                                   // one row off
        writeSafetensors(path, {{"attentions", attention.contiguous()}},
                         {{QStringLiteral("tokens"), QStringLiteral(R"(["[CLS]","the","cat","sat","down","[SEP]"])")}});
        MainWindow window;
        QString error;
        QVERIFY2(window.openAttentionFile(path, &error), qPrintable(error));
        window.show();
        AttentionWorkspace *workspace = window.workspace();
        QVERIFY(workspace);
        QTRY_VERIFY_WITH_TIMEOUT(workspace->isReady(), 20000);
        const auto record = workspace->run()->record();
        QCOMPARE(record->layers(), int64_t(2));
        QCOMPARE(record->heads(), int64_t(3));
        QCOMPARE(workspace->run()->tokens().at(2), QStringLiteral("cat"));
        workspace->showHead(1, 2);
        HeadView *view = workspace->headView();
        QTRY_VERIFY_WITH_TIMEOUT(view->hasOverview(), 20000);
        QCOMPARE(view->cellAt(view->cellCenter(4, 1)).weight, attention[1][0][2][4][1].item<double>());

        // Rollout needs no model; importance does.
        QSignalSpy analysed(workspace->run(), &AttentionRun::analysisFinished);
        QSignalSpy failed(workspace->run(), &AttentionRun::failed);
        workspace->run()->startAnalysis(QStringLiteral("rollout"), {});
        QTRY_COMPARE_WITH_TIMEOUT(analysed.count(), 1, 20000);
        workspace->run()->startAnalysis(QStringLiteral("importance"), {});
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("needs the model")));
    }

    void refusesABadFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.safetensors"));
        writeSafetensors(path, {{"attentions", torch::full({2, 3, 4}, 0.25)}});
        MainWindow window;
        QString error;
        QVERIFY(!window.openAttentionFile(path, &error));
        QVERIFY(error.contains(path) && error.contains(QStringLiteral("must be equal")));
        QVERIFY(!window.workspace());
    }
};

QTEST_MAIN(TestAttentionFileWindow)
#include "test_attention_file_window.moc"
