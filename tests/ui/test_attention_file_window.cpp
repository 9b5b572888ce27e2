// Attention files in the GUI: opening one shows its heads in the workspace with the tokens of
// its metadata and the warnings of the loader, views that need no model work, and analyses
// that need the model say so in one line; a compact capture opens and recomputes its cells.

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

#include "core/analysis/analysis.h"
#include "core/capture/attention_record.h"
#include "core/capture/compact_capture.h"
#include "core/models/model.h"
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

    // A compact capture (q, k and row normalizers, as `run` writes past its budget) opens too:
    // the head view recomputes its cells exactly, and head statistics go one head at a time.
    void opensACompactCapture()
    {
        const auto model = loadModel(QStringLiteral(ATTNSCOPE_SOURCE_DIR "/resources/demos/grammar"));
        ModelInput input;
        input.inputIds = torch::tensor({2, 5, 9, 14, 7, 3}, torch::kInt64);
        auto compact = std::make_shared<AttentionRecord>(0); // nothing dense
        auto dense = std::make_shared<AttentionRecord>();
        {
            const torch::NoGradGuard noGradients;
            model->forward(input, {}, compact.get());
            model->forward(input, {}, dense.get());
        }
        QVERIFY(!compact->isDense());
        NamedTensors tensors;
        QMap<QString, QString> metadata{{QStringLiteral("tokens"), QStringLiteral(R"(["[CLS]","a","b","c","d","[SEP]"])")}};
        appendCompactCapture(*compact, tensors, metadata);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("compact.safetensors"));
        writeSafetensors(path, tensors, metadata);

        MainWindow window;
        QString error;
        QVERIFY2(window.openAttentionFile(path, &error), qPrintable(error));
        window.show();
        AttentionWorkspace *workspace = window.workspace();
        QTRY_VERIFY_WITH_TIMEOUT(workspace->isReady(), 20000);
        QVERIFY(!workspace->run()->record()->isDense());
        workspace->showHead(2, 3);
        HeadView *view = workspace->headView();
        QTRY_VERIFY_WITH_TIMEOUT(view->hasOverview(), 20000);
        for (const auto &[row, column] : {std::pair{5, 0}, std::pair{3, 4}, std::pair{0, 0}})
            QVERIFY(std::abs(view->cellAt(view->cellCenter(row, column)).weight - dense->tile(2, 3, row, row + 1, column, column + 1).item<double>())
                    < 1e-6);
        QSignalSpy analysed(workspace->run(), &AttentionRun::analysisFinished);
        workspace->run()->startAnalysis(QStringLiteral("head-stats"), {});
        QTRY_COMPARE_WITH_TIMEOUT(analysed.count(), 1, 20000);
        QCOMPARE(workspace->run()->analysisResult()->tensors.at("entropy").sizes().vec(), (std::vector<int64_t>{3, 4}));
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
