// File → Export…: the dialog exports the view in front on the page it sets (PNG of exactly
// physical size × dpi pixels), and its "Copy as command" line, run through the real
// attnscope-cli, draws the same pixels, for every view of a text model.
#include <QtTest>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QImage>
#include <QMenuBar>
#include <QProcess>
#include <QSignalSpy>
#include <QPushButton>
#include <QTemporaryDir>

#include "ui/attention_selection.h"
#include "ui/attention_workspace.h"
#include "ui/export_figure_dialog.h"
#include "ui/mainwindow.h"
#include "ui/panels/analysis_panel.h"
#include "ui/panels/variant_picker.h"

using namespace attnscope;

namespace {

const QString kModel = QStringLiteral(ATTNSCOPE_SOURCE_DIR "/resources/demos/grammar");
const QString kText = QStringLiteral("the dogs that the cat sees [MASK] happy .");

// The command line's words after "attnscope-cli" (the test runs them without a shell).
QStringList renderArguments(const AttentionWorkspace &workspace, const FigureRequest &request, const QString &out)
{
    return QStringList{QStringLiteral("render"), kModel} + workspace.figureInputArguments() + request.arguments()
           + QStringList{QStringLiteral("--out"), out};
}

QImage runCliRender(const QStringList &arguments, const QString &out)
{
    QProcess process;
    process.start(QStringLiteral(ATTNSCOPE_CLI), arguments);
    if (!process.waitForFinished(120000) || process.exitCode() != 0)
        qWarning("attnscope-cli: %s", process.readAllStandardError().constData());
    return QImage(out);
}

} // namespace

class TestExportFigure : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cliDrawsTheSamePixelsAsTheDialog_data()
    {
        QTest::addColumn<QString>("view");
        QTest::addColumn<QString>("variant");
        QTest::addColumn<QString>("compared");
        QTest::addColumn<QString>("method"); // analyses: the method and the tensor shown
        QTest::addColumn<QString>("score");
        for (const char *view : {"head", "model", "lines", "token", "neuron", "graph"})
            QTest::newRow(view) << QString::fromLatin1(view) << QString() << QString() << QString() << QString();
        QTest::newRow("head, magma, log") << QStringLiteral("head") << QString() << QString() << QString() << QString();
        QTest::newRow("analyses: a head statistic") << QStringLiteral("analyses") << QString() << QString()
                                                    << QStringLiteral("head-stats") << QStringLiteral("to_cls");
        QTest::newRow("analyses: rollout by layer") << QStringLiteral("analyses") << QString() << QString()
                                                    << QStringLiteral("rollout") << QStringLiteral("rollout_by_layer");
        QTest::newRow("analyses: logit lens") << QStringLiteral("analyses") << QString() << QString()
                                              << QStringLiteral("logit-lens") << QStringLiteral("top_ids");
        QTest::newRow("analyses: value norms") << QStringLiteral("analyses") << QString() << QString()
                                               << QStringLiteral("value-norms") << QStringLiteral("norms");
        QTest::newRow("variant − reference") << QStringLiteral("head") << QStringLiteral("topk:k=2") << QStringLiteral("difference")
                                             << QString() << QString();
        QTest::newRow("reference beside a variant") << QStringLiteral("head") << QStringLiteral("window:size=2") << QStringLiteral("reference")
                                                    << QString() << QString();
    }
    void cliDrawsTheSamePixelsAsTheDialog()
    {
        QFETCH(QString, view);
        QFETCH(QString, variant);
        QFETCH(QString, compared);
        QFETCH(QString, method);
        QFETCH(QString, score);
        AttentionWorkspace workspace(kModel, QStringLiteral("grammar demo"));
        workspace.resize(1000, 700);
        workspace.setText(kText);
        if (!variant.isEmpty()) {
            workspace.variantPicker()->setSpec(variant);
            workspace.setComparing(true);
        }
        if (QString::fromLatin1(QTest::currentDataTag()).contains(QLatin1String("magma"))) {
            workspace.findChild<QComboBox *>(QStringLiteral("colormap"))->setCurrentText(QStringLiteral("magma"));
            workspace.findChild<QComboBox *>(QStringLiteral("scale"))->setCurrentText(QStringLiteral("log"));
        }
        workspace.startRun();
        QTRY_VERIFY_WITH_TIMEOUT(workspace.isReady(), 60000);
        if (compared == QLatin1String("difference"))
            workspace.setComparedMap(ComparedMap::Difference);
        if (compared == QLatin1String("reference"))
            workspace.setComparedMap(ComparedMap::Reference);
        workspace.selection()->selectHead(2, 0);
        workspace.selection()->selectCell(3, 2);
        if (view == QLatin1String("analyses")) {
            QSignalSpy shown(workspace.analysisPanel(), &AnalysisPanel::shown);
            workspace.analysisPanel()->chooseMethod(method);
            workspace.analysisPanel()->startAnalysis();
            QTRY_VERIFY_WITH_TIMEOUT(shown.count() > 0, 60000);
            workspace.analysisPanel()->showScore(score);
            if (score == QLatin1String("norms")) // the map follows the workspace's head
                workspace.selection()->selectHead(1, 2);
        }
        workspace.showView(view);

        FigureRequest request = workspace.figureRequest();
        if (view == QLatin1String("analyses") && method == QLatin1String("head-stats")) { // the chart of the score in the table
            QCOMPARE(request.view, QStringLiteral("charts"));
            QCOMPARE(request.score, QStringLiteral("to-cls"));
        } else if (view == QLatin1String("analyses")) { // the analysis figure of the tensor and slice shown
            QCOMPARE(request.view, QStringLiteral("analysis"));
            QCOMPARE(request.method, method);
            QCOMPARE(request.tensor, score);
            if (score == QLatin1String("norms"))
                QCOMPARE((std::pair{request.layer, request.head}), (std::pair{1, 2}));
        } else {
            QCOMPARE(request.view, view);
        }
        QCOMPARE(request.compared, compared);
        if (QString::fromLatin1(QTest::currentDataTag()).contains(QLatin1String("magma")))
            QCOMPARE(request.arguments().mid(request.arguments().indexOf(QStringLiteral("--colormap")), 4),
                     (QStringList{QStringLiteral("--colormap"), QStringLiteral("magma"), QStringLiteral("--scale"), QStringLiteral("log")}));
        request.page.width = 10;
        request.page.height = 7.5;
        request.page.dpi = 120;
        ExportFigureDialog dialog(request, workspace.figureSource(), kModel, workspace.figureInputArguments());
        QCOMPARE(dialog.request(), request);
        QVERIFY(!dialog.preview().isNull());

        QTemporaryDir dir;
        const QString gui = dir.filePath(QStringLiteral("gui.png"));
        QString error;
        QVERIFY2(dialog.exportTo(gui, &error), qPrintable(error));
        const QImage exported(gui);
        QCOMPARE(exported.size(), QSize(472, 354)); // 10 × 7.5 cm at 120 dpi

        const QString cli = dir.filePath(QStringLiteral("cli.png"));
        const QImage rendered = runCliRender(renderArguments(workspace, request, cli), cli);
        QCOMPARE(rendered.size(), exported.size());
        QVERIFY2(rendered.convertToFormat(QImage::Format_RGB32) == exported.convertToFormat(QImage::Format_RGB32),
                 qPrintable(dialog.command(cli)));
        QVERIFY(dialog.command(cli).startsWith(QStringLiteral("attnscope-cli render %1 --text '%2'").arg(kModel, kText)));
        QVERIFY(dialog.command(cli).contains(QStringLiteral("--view %1").arg(request.view)));
    }

    void exportActionOpensOnceARunIsShown()
    {
        MainWindow window;
        QAction *exportAction = nullptr;
        for (QAction *action : window.findChildren<QAction *>())
            if (action->text() == QStringLiteral("&Export…"))
                exportAction = action;
        QVERIFY(exportAction);
        QVERIFY(!exportAction->isEnabled());
        QString error;
        QVERIFY2(window.openModelFolder(kModel, &error), qPrintable(error));
        window.workspace()->setText(kText);
        window.workspace()->startRun();
        QTRY_VERIFY_WITH_TIMEOUT(exportAction->isEnabled(), 60000);

        // The dialog edits the page; Copy as Command puts the line on the clipboard.
        bool checked = false;
        QTimer::singleShot(0, &window, [&] {
            auto *dialog = window.findChild<ExportFigureDialog *>();
            QVERIFY(dialog);
            FigureRequest request = dialog->request();
            request.page.dpi = 600;
            request.page.title = QStringLiteral("Agreement head");
            dialog->setRequest(request);
            dialog->findChild<QPushButton *>(QStringLiteral("copyCommand"))->click();
            const QString line = QApplication::clipboard()->text();
            QVERIFY2(line.contains(QStringLiteral("--dpi 600 --title 'Agreement head'")), qPrintable(line));
            QVERIFY(line.endsWith(QStringLiteral("--out head.pdf")));
            checked = true;
            dialog->reject();
        });
        exportAction->trigger();
        QVERIFY(checked);
    }
};

QTEST_MAIN(TestExportFigure)
#include "test_export_figure.moc"
