// The head map's axes: tokens whenever they can be read (a smaller font down to the floor,
// then every n-th token, only then indices), long tokens cut with an ellipsis, and the labels
// right against the matrix. The induction demo's sentence reads as words at 1024 × 768.

#include <QtTest>

#include <torch/torch.h>

#include "snapshot.h"
#include "ui/attention_workspace.h"
#include "ui/demo_launcher.h"
#include "ui/mainwindow.h"
#include "ui/views/head_view.h"
#include "ui/views/heatmap_axes.h"
#include "core/capture/attention_record.h"
#include "ui/attention_run.h"
#include "viz/tile_pyramid.h"

using namespace attnscope;

namespace {

QStringList words(int count)
{
    static const QStringList vocabulary{QStringLiteral("the"), QStringLiteral("cat"), QStringLiteral("sat"),
                                        QStringLiteral("on"), QStringLiteral("mat")};
    QStringList tokens;
    for (int i = 0; i < count; ++i)
        tokens << vocabulary[i % vocabulary.size()];
    return tokens;
}

HeatmapViewport viewport(int64_t cells, double side)
{
    HeatmapViewport shown;
    shown.setPlotRect(QRectF(60, 40, side, side));
    shown.setMatrixSize(cells, cells);
    return shown;
}

QFont widgetFont()
{
    QFont font;
    font.setPixelSize(13);
    return font;
}

} // namespace

class TestHeatmapAxes : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void tokensShrinkThenThinOutThenBecomeIndices_data()
    {
        QTest::addColumn<int>("cells");
        QTest::addColumn<bool>("tokens");
        QTest::addColumn<bool>("smaller");
        QTest::addColumn<bool>("everyCell");
        QTest::newRow("roomy: the widget's font") << 12 << true << false << true;
        QTest::newRow("tight: a smaller font") << 32 << true << true << true;
        QTest::newRow("tighter: every n-th token") << 70 << true << true << false;
        QTest::newRow("too tight: indices") << 400 << false << false << false;
    }

    void tokensShrinkThenThinOutThenBecomeIndices()
    {
        QFETCH(int, cells);
        QFETCH(bool, tokens);
        QFETCH(bool, smaller);
        QFETCH(bool, everyCell);
        const QStringList names = words(cells);
        const HeatmapAxes axes = layoutHeatmapAxes(viewport(cells, 400), names, names, widgetFont());
        for (const AxisLabels *axis : {&axes.rows, &axes.columns}) {
            QCOMPARE(axis->tokens, tokens);
            QCOMPARE(QFontInfo(axis->font).pixelSize() < 13, smaller);
            QVERIFY(QFontInfo(axis->font).pixelSize() >= kMinLabelPixels);
            QCOMPARE(axis->step == 1, everyCell);
            QVERIFY(tokens || axis->step >= kMaxTokenStep);
            for (const AxisLabel &label : axis->labels) {
                QCOMPARE(label.cell % axis->step, qint64(0));
                QCOMPARE(label.text, tokens ? names[int(label.cell)] : QString::number(label.cell));
            }
            // Every labelled cell of the matrix, no gaps.
            QCOMPARE(qint64(axis->labels.size()), (cells + axis->step - 1) / axis->step);
            // Labels of neighbouring cells do not overlap.
            const double line = QFontMetricsF(axis->font).height();
            const double cell = 400.0 / cells;
            QVERIFY(!tokens || cell * double(axis->step) >= 0.9 * line);
        }
    }

    void labelsStandAgainstTheMatrixAndLongOnesAreCut()
    {
        // A square matrix in a wide plot is centred: labels follow it, not the plot's edge.
        HeatmapViewport wide;
        wide.setPlotRect(QRectF(60, 80, 700, 300));
        wide.setMatrixSize(10, 10);
        QStringList names = words(10);
        names[3] = QStringLiteral("antidisestablishmentarianism");
        const HeatmapAxes axes = layoutHeatmapAxes(wide, names, names, widgetFont());
        const QPointF topLeft = wide.toPixel(QPointF(0, 0));
        QVERIFY(topLeft.x() > 200); // far from the plot's left edge
        for (const AxisLabel &label : axes.rows.labels) {
            QVERIFY(std::abs(label.box.right() - (topLeft.x() - 4)) < 1);
            QVERIFY(label.box.left() >= 0);
        }
        for (const AxisLabel &label : axes.columns.labels) {
            QVERIFY(std::abs(label.box.bottom() - (topLeft.y() - 4)) < 1);
            QVERIFY(label.box.top() >= 0);
        }
        // The row has room for the whole word; the column above the matrix does not (80 px).
        QCOMPARE(axes.rows.labels[3].text, names[3]);
        QVERIFY(axes.columns.labels[3].text.endsWith(QChar(0x2026)));
        QVERIFY(axes.columns.labels[3].text.size() > 3);
        QVERIFY(axes.columns.labels[3].box.height() <= 80 - 4);
    }

    // Without tokens the view labels indices, and leaves room for the largest.
    void indicesAreNeverCut_data()
    {
        QTest::addColumn<int>("cells");
        QTest::newRow("12") << 12;
        QTest::newRow("1500") << 1500;
    }

    void indicesAreNeverCut()
    {
        QFETCH(int, cells);
        HeadView view;
        view.resize(500, 460);
        view.setHead(std::make_shared<TilePyramid>(denseTileSource(torch::rand({cells, cells})), cells, cells), {}, {});
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const HeatmapAxes axes = view.axes();
        for (const AxisLabels *axis : {&axes.rows, &axes.columns}) {
            QVERIFY(!axis->tokens);
            QVERIFY(axis->labels.size() >= 4);
            for (const AxisLabel &label : axis->labels) {
                QCOMPARE(label.text, QString::number(label.cell));
                QVERIFY(label.box.left() >= 0 && label.box.top() >= 0);
            }
        }
    }

    // The first example of the induction demo, as the app opens it at 1024 × 768: words, in a
    // readable font, on both axes of the head map.
    void inductionDemoShowsWords()
    {
        MainWindow window;
        window.resize(1024, 768);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QString error;
        QVERIFY2(window.demos()->startDemo(QStringLiteral("induction"), &error), qPrintable(error));
        AttentionWorkspace *workspace = window.workspace();
        QVERIFY(workspace);
        QTRY_VERIFY_WITH_TIMEOUT(workspace->isReady(), 30000);
        workspace->showView(QStringLiteral("head"));
        HeadView *head = workspace->headView();
        QTRY_VERIFY(head->hasOverview());
        const QStringList tokens = workspace->run()->tokens();
        QCOMPARE(tokens.size(), 29);
        const HeatmapAxes axes = head->axes();
        for (const AxisLabels *axis : {&axes.rows, &axes.columns}) {
            QVERIFY2(axis->tokens, qPrintable(QStringLiteral("indices at %1 px a cell").arg(head->cellPixels())));
            QCOMPARE(axis->step, qint64(1));
            QCOMPARE(int(axis->labels.size()), tokens.size());
            for (const AxisLabel &label : axis->labels)
                QCOMPARE(label.text, tokens[int(label.cell)]);
        }
        // Right against the matrix.
        const QPointF corner = head->cellCenter(0, 0) - QPointF(head->cellPixels(), head->cellPixels()) / 2;
        QVERIFY(corner.x() - axes.rows.labels.front().box.right() < 8);
        QVERIFY(corner.y() - axes.columns.labels.front().box.bottom() < 8);
        saveSnapshot(window, QStringLiteral("induction_1024x768"));
    }
};

QTEST_MAIN(TestHeatmapAxes)
#include "test_heatmap_axes.moc"
