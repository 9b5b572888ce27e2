// The image tab of a vision model: a run on an image file shows the CLS overlay at the
// image's own resolution, hovering a patch shows where that patch looks, the predictions are
// the classifier's softmax, the other maps (layer mean, rollout, relevance) and layouts draw,
// per-layer maps are never offered head by head, a colour scale beside the image shows the
// map's colours over its range, relevance on a model without a classifier says at once why
// there is none, and the overlay exports at the original resolution.

#include <QMimeData>
#include <QMouseEvent>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

#include "color_scale_check.h"
#include "snapshot.h"
#include "core/capture/attention_record.h"
#include "ui/attention_run.h"
#include "ui/attention_workspace.h"
#include "ui/mainwindow.h"
#include "ui/export_figure_dialog.h"
#include "ui/views/vision_view.h"
#include "viz/figure/figure_page.h"

using namespace attnscope;

namespace {

const QString kDeit = QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/models/encoders/deit_distilled");
const QString kVitWithoutClassifier = QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/models/encoders/vit_base_interpolated");

QString writeImage(const QTemporaryDir &dir)
{
    QImage image(90, 60, QImage::Format_RGB32);
    image.fill(QColor(20, 30, 50));
    for (int y = 10; y < 40; ++y)
        for (int x = 50; x < 80; ++x)
            image.setPixel(x, y, qRgb(240, 210, 40));
    const QString path = dir.filePath(QStringLiteral("shapes.png"));
    image.save(path);
    return path;
}

// Runs the workspace's model on the image; false (the test failed) when the run fails.
bool runsOn(AttentionWorkspace &workspace, const QString &image)
{
    workspace.setImage(image);
    QSignalSpy finished(workspace.run(), &AttentionRun::finished);
    QSignalSpy failed(workspace.run(), &AttentionRun::failed);
    workspace.startRun();
    [&] { QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1 || failed.count() == 1, 30000); }();
    [&] { QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString())); }();
    return !QTest::currentTestFailed();
}

} // namespace

class TestVisionView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); } // the window's settings

    void runsAnImageAndOverlaysIt()
    {
        QTemporaryDir dir;
        const QString path = writeImage(dir);
        AttentionWorkspace workspace(kDeit, QStringLiteral("deit"));
        QVERIFY(workspace.isVision());
        workspace.resize(1200, 800);
        workspace.show();
        if (!runsOn(workspace, path))
            return;
        VisionView *view = workspace.visionView();
        QVERIFY(view->hasImage());
        const auto record = workspace.run()->record();
        QCOMPARE(record->queries(), int64_t(18));

        // The overlay is at the image's resolution and equals the CLS map of the shown head.
        const QImage overlay = view->overlay();
        QCOMPARE(overlay.size(), QSize(90, 60));
        workspace.showHead(2, 3);
        QVERIFY(view->overlay() != overlay);

        // Predictions: the softmax of the logits, strongest first, named by id2label.
        const auto top = view->predictions();
        QCOMPARE(int(top.size()), 3);
        const torch::Tensor probabilities = torch::softmax(record->logits.to(torch::kFloat64), 0);
        QVERIFY(std::abs(top[0].second - probabilities.max().item<double>()) < 1e-12);
        QVERIFY(top[0].second >= top[1].second && top[1].second >= top[2].second);
        QVERIFY(QStringList({QStringLiteral("tench"), QStringLiteral("goldfish"), QStringLiteral("shark")}).contains(top[0].first));

        // The colour scale: the overlay's colormap from 0 to the map's peak (the CLS row over
        // the 16 patches, after the CLS and distillation keys).
        ColorScaleBar *scale = view->colorScale();
        QVERIFY(scale->isVisible());
        QCOMPARE(scale->style().colormap.name(), QStringLiteral("inferno"));
        QCOMPARE(scale->style().scale.range.low, 0.0);
        QCOMPARE(scale->style().scale.range.high, record->row(2, 3, 0).slice(0, 2).max().item<double>());
        QCOMPARE(scale->unit(), QStringLiteral("CLS attention weight"));
        saveSnapshot(*view, QStringLiteral("vision_single"));
        const QString mismatch = colorScaleMismatch(*scale);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));

        // Hover a patch: the map becomes that patch's row.
        view->setSource(VisionView::MapSource::HoveredPatch);
        QSignalSpy hovered(view, &VisionView::patchHovered);
        const QPointF centre = view->patchCenter(5);
        QMouseEvent move(QEvent::MouseMove, centre, view->canvas()->mapToGlobal(centre), Qt::NoButton, Qt::NoButton,
                         Qt::NoModifier);
        QApplication::sendEvent(view->canvas(), &move);
        QCOMPARE(view->hoveredPatch(), 5);
        QCOMPARE(hovered.last().first().toInt(), 2 + 5);

        // Maps of a whole layer: shown layer by layer, never as copies labelled by head.
        for (const auto source : {VisionView::MapSource::ClsLayerMean, VisionView::MapSource::Rollout}) {
            view->setSource(source);
            QCOMPARE(view->overlay().size(), QSize(90, 60));
            view->setLayout(VisionView::Layout::LayerHeads);
            QCOMPARE(view->layout(), VisionView::Layout::HeadAcrossLayers);
            QVERIFY(!view->canvas()->grab().isNull());
            view->setLayout(VisionView::Layout::Single);
        }
        view->setSource(VisionView::MapSource::Relevance);
        QSignalSpy analysis(workspace.run(), &AttentionRun::analysisFinished);
        QTRY_VERIFY_WITH_TIMEOUT(analysis.count() == 1, 30000);
        QTRY_VERIFY(view->overlay() != QImage(path).convertToFormat(QImage::Format_ARGB32));
        QCOMPARE(view->colorScale()->unit(), QStringLiteral("relevance"));
        // The relevance is one map of the whole model.
        view->setLayout(VisionView::Layout::HeadAcrossLayers);
        QCOMPARE(view->layout(), VisionView::Layout::Single);
        view->setSource(VisionView::MapSource::ClsHead);
        view->setLayout(VisionView::Layout::LayerHeads);
        QCOMPARE(view->layout(), VisionView::Layout::LayerHeads);
        QVERIFY(!view->canvas()->grab().isNull());
        QVERIFY(view->colorScale()->unit().endsWith(QStringLiteral("÷ each map's peak")));
        saveSnapshot(*view, QStringLiteral("vision_layer_heads"));
        view->setLayout(VisionView::Layout::HeadAcrossLayers);
        QVERIFY(!view->canvas()->grab().isNull());
        view->setLayout(VisionView::Layout::Single);

        const QString exported = dir.filePath(QStringLiteral("overlay.png"));
        QString error;
        QVERIFY2(view->exportFigure(exported, &error), qPrintable(error));
        QCOMPARE(QImage(exported).size(), FigurePage().pixelSize()); // on the default page, as every view

        // The Image tab's Export… goes through the page dialog of every view: the overlay's
        // figure, its page set there (a wider page gives a wider preview).
        bool dialogSeen = false;
        QTimer::singleShot(0, [&] {
            auto *dialog = qobject_cast<ExportFigureDialog *>(QApplication::activeModalWidget());
            const auto close = qScopeGuard([] {
                if (QWidget *modal = QApplication::activeModalWidget())
                    modal->close(); // whatever failed, the dialog never waits for a hand
            });
            QVERIFY(dialog);
            dialogSeen = true;
            QCOMPARE(dialog->request().view, QStringLiteral("overlay"));
            const QImage first = dialog->preview();
            QVERIFY(!first.isNull());
            FigureRequest wider = dialog->request();
            wider.page.width *= 2;
            dialog->setRequest(wider);
            QTRY_VERIFY(dialog->preview().width() > first.width() * 3 / 2);
            const QString paged = dir.filePath(QStringLiteral("paged.png"));
            QString pagedError;
            QVERIFY2(dialog->exportTo(paged, &pagedError), qPrintable(pagedError));
            QCOMPARE(QImage(paged).size(), wider.page.pixelSize());
            saveSnapshot(*dialog, QStringLiteral("overlay_export_dialog"));
        });
        view->chooseFileAndExport();
        QVERIFY(dialogSeen);
    }

    // Gradient relevance explains a class score: a model without a classifier says so above
    // the image at once, instead of computing forever while the error goes elsewhere.
    void relevanceWithoutAClassifierSaysWhy()
    {
        QTemporaryDir dir;
        AttentionWorkspace workspace(kVitWithoutClassifier, QStringLiteral("vit"));
        workspace.resize(1000, 700);
        workspace.show();
        if (!runsOn(workspace, writeImage(dir)))
            return;
        VisionView *view = workspace.visionView();
        QVERIFY(view->predictions().empty());
        view->setSource(VisionView::MapSource::Relevance);
        QVERIFY2(view->note().contains(QStringLiteral("no classifier")), qPrintable(view->note()));
        QVERIFY(!view->colorScale()->isVisible()); // no map, no scale
        QVERIFY(!workspace.run()->isRunning());
    }

    // attnscope-cli render draws the same pixels as the GUI's export.
    void cliRenderEqualsTheGuiExport()
    {
        QTemporaryDir dir;
        const QString path = writeImage(dir);
        AttentionWorkspace workspace(kDeit, QStringLiteral("deit"));
        workspace.resize(1000, 700);
        workspace.show();
        workspace.setImage(path);
        QSignalSpy finished(workspace.run(), &AttentionRun::finished);
        workspace.startRun();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        VisionView *view = workspace.visionView();
        workspace.showHead(1, 2);
        view->setOpacity(0.45);
        view->setThreshold(0.1);
        view->setBilinear(false);
        view->setGridLines(true);
        const QString gui = dir.filePath(QStringLiteral("gui.png"));
        QVERIFY(view->exportFigure(gui, nullptr));

        const QString cli = dir.filePath(QStringLiteral("cli.png"));
        QProcess process;
        process.start(QStringLiteral(ATTNSCOPE_CLI),
                      {QStringLiteral("render"), kDeit, QStringLiteral("--image"), path, QStringLiteral("--view"),
                       QStringLiteral("overlay"), QStringLiteral("--layer"), QStringLiteral("1"), QStringLiteral("--head"),
                       QStringLiteral("2"), QStringLiteral("--opacity"), QStringLiteral("0.45"), QStringLiteral("--threshold"),
                       QStringLiteral("0.1"), QStringLiteral("--upsampling"), QStringLiteral("nearest"), QStringLiteral("--grid"),
                       QStringLiteral("--out"), cli});
        QVERIFY(process.waitForFinished(60000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        const QImage fromGui(gui), fromCli(cli);
        QCOMPARE(fromCli.size(), FigurePage().pixelSize());
        QCOMPARE(fromCli.convertToFormat(QImage::Format_ARGB32), fromGui.convertToFormat(QImage::Format_ARGB32));

        // SVG and PDF hold the same figure.
        for (const QString &name : {QStringLiteral("cli.svg"), QStringLiteral("cli.pdf")}) {
            process.start(QStringLiteral(ATTNSCOPE_CLI), {QStringLiteral("render"), kDeit, QStringLiteral("--image"), path,
                                                          QStringLiteral("--view"), QStringLiteral("overlay"),
                                                          QStringLiteral("--out"), dir.filePath(name)});
            QVERIFY(process.waitForFinished(60000));
            QCOMPARE(process.exitCode(), 0);
            QVERIFY(QFileInfo(dir.filePath(name)).size() > 0);
        }
    }

    // Dropping an image on the window of a vision model runs it.
    void dropAnImageOnTheWindow()
    {
        QTemporaryDir dir;
        const QString path = writeImage(dir);
        MainWindow window;
        QString error;
        QVERIFY2(window.openModelFolder(kDeit, &error), qPrintable(error));
        window.show();
        AttentionWorkspace *workspace = window.workspace();
        QVERIFY(workspace && workspace->isVision());
        QSignalSpy finished(workspace->run(), &AttentionRun::finished);
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(path)});
        QDragEnterEvent enter(QPoint(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(50, 50), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
        QCOMPARE(workspace->imagePath(), path);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QVERIFY(workspace->visionView()->hasImage());
    }

    void badImageIsOneLine()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.png"));
        QFile file(path);
        file.open(QIODevice::WriteOnly);
        file.write("\x89PNG\r\n\x1A\n truncated");
        file.close();
        AttentionWorkspace workspace(kDeit, QStringLiteral("deit"));
        workspace.setImage(path);
        QSignalSpy failed(workspace.run(), &AttentionRun::failed);
        workspace.startRun();
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
        QVERIFY(failed.first().first().toString().contains(path));
        QVERIFY(!failed.first().first().toString().contains(QLatin1Char('\n')));
    }
};

QTEST_MAIN(TestVisionView)
#include "test_vision_view.moc"
