// Colour scales: the bar paints, at each round tick, the colour its map gives that value, on
// linear, log, gamma and diverging scales; and every map of the workspace (head, model grid,
// neuron strips) shows one whose colormap, scale and range are those the map is drawn with,
// the range measured here from the record itself.

#include <QtTest>

#include <torch/torch.h>

#include "color_scale_check.h"
#include "snapshot.h"
#include "core/capture/attention_record.h"
#include "core/capture/neuron_breakdown.h"
#include "ui/attention_run.h"
#include "ui/attention_selection.h"
#include "ui/attention_workspace.h"
#include "ui/demo_catalog.h"
#include "ui/views/head_view.h"
#include "ui/views/model_view.h"
#include "ui/views/neuron_view.h"
#include "viz/figure/axis_ticks.h"
#include "viz/model_grid_painter.h"
#include "viz/model_thumbnails.h"
#include "viz/neuron_painter.h"

using namespace attnscope;

namespace {

const QString kText = QStringLiteral("the cat sat on the mat and the dog ran to the tree . the cat sat on the mat and the dog ran to the tree .");

HeatmapStyle styleOf(const QString &colormap, ScaleKind kind, double low, double high)
{
    HeatmapStyle style;
    style.colormap = Colormap::byName(colormap);
    style.scale.kind = kind;
    style.scale.range = {low, high};
    return style;
}

bool sameColors(const HeatmapStyle &a, const HeatmapStyle &b)
{
    return a.colormap.name() == b.colormap.name() && a.scale.kind == b.scale.kind
           && a.scale.range.low == b.scale.range.low && a.scale.range.high == b.scale.range.high;
}

} // namespace

class TestColorScale : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void ticksMatchTheirColours_data()
    {
        QTest::addColumn<QString>("colormap");
        QTest::addColumn<int>("kind");
        QTest::addColumn<double>("low");
        QTest::addColumn<double>("high");
        QTest::newRow("linear, a diffuse head") << "viridis" << int(ScaleKind::Linear) << 0.0 << 0.098;
        QTest::newRow("log") << "magma" << int(ScaleKind::Log) << 0.0 << 1.0;
        QTest::newRow("gamma") << "cividis" << int(ScaleKind::Gamma) << 0.0 << 0.5;
        QTest::newRow("reversed") << "grays_r" << int(ScaleKind::Linear) << 0.0 << 0.75;
        QTest::newRow("difference") << "rdbu" << int(ScaleKind::Linear) << -0.032 << 0.032;
    }

    void ticksMatchTheirColours()
    {
        QFETCH(QString, colormap);
        QFETCH(int, kind);
        QFETCH(double, low);
        QFETCH(double, high);
        ColorScaleBar bar;
        bar.setScale(styleOf(colormap, ScaleKind(kind), low, high), QStringLiteral("attention weight"));
        bar.resize(bar.sizeHint().width(), 320);
        bar.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bar));
        const QString mismatch = colorScaleMismatch(bar);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        QVERIFY(bar.caption().startsWith(QStringLiteral("attention weight · ")));
        QVERIFY(bar.caption().endsWith(scaleKindName(ScaleKind(kind))) || ScaleKind(kind) == ScaleKind::Gamma);

        const std::vector<double> ticks = bar.tickValues();
        if (ScaleKind(kind) == ScaleKind::Log) {
            for (const double tick : ticks) // powers of ten
                QVERIFY(std::abs(std::log10(tick) - std::round(std::log10(tick))) < 1e-9);
            return;
        }
        // Round: multiples of one step of 1, 2 or 5 × 10^k.
        const double step = ticks[1] - ticks[0];
        const double mantissa = step / std::pow(10.0, std::floor(std::log10(step)));
        QVERIFY2(std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 || std::abs(mantissa - 5) < 1e-9,
                 qPrintable(QString::number(step)));
        for (const double tick : ticks)
            QVERIFY(std::abs(tick / step - std::round(tick / step)) < 1e-6);
        if (low < 0) { // signed ticks centred at 0
            QVERIFY(std::find(ticks.begin(), ticks.end(), 0.0) != ticks.end());
            QCOMPARE(ticks.front(), -ticks.back());
            QCOMPARE(bar.style().colormap.color(bar.style().scale.map(0.0)), bar.style().colormap.color(0.5));
        }
    }

    // The induction demo in the workspace: its head, model grid and neuron strips each carry
    // the colour scale of exactly what they draw.
    void everyMapOfTheWorkspaceHasItsScale()
    {
        const QString folder = demosDirectory() + QStringLiteral("/induction");
        QVERIFY2(QFileInfo::exists(folder + QStringLiteral("/model.safetensors")), qPrintable(folder));
        AttentionWorkspace workspace(folder, QStringLiteral("induction"));
        workspace.resize(1200, 800);
        workspace.show();
        workspace.setText(kText);
        workspace.startRun();
        QTRY_VERIFY_WITH_TIMEOUT(workspace.isReady(), 30000);
        const auto record = workspace.run()->record();
        workspace.showHead(1, 0);

        // Head: the bar spans 0 … the head's largest weight, beside the matrix.
        HeadView *head = workspace.headView();
        QTRY_VERIFY(head->hasOverview());
        ColorScaleBar *headScale = head->colorScale();
        QVERIFY(sameColors(headScale->style(), head->style()));
        QCOMPARE(headScale->style().scale.range.low, 0.0);
        QCOMPARE(headScale->style().scale.range.high, record->layer(1)[0].max().item<double>());
        QCOMPARE(headScale->unit(), QStringLiteral("attention weight"));
        QString mismatch = colorScaleMismatch(*headScale);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        saveSnapshot(workspace, QStringLiteral("workspace_head"));
        const double matrixRight = head->cellCenter(0, record->keys() - 1).x() + head->cellPixels() / 2;
        QVERIFY2(headScale->geometry().left() >= matrixRight && headScale->geometry().left() <= matrixRight + 16,
                 qPrintable(QStringLiteral("matrix ends at %1, its scale starts at %2").arg(matrixRight).arg(headScale->geometry().left())));

        // Model grid: one scale for every thumbnail, 0 … the largest weight of the model.
        workspace.showView(QStringLiteral("model"));
        ModelView *model = workspace.modelView();
        QTRY_VERIFY_WITH_TIMEOUT(model->isReady(), 30000);
        ColorScaleBar *modelScale = model->colorScale();
        QTRY_VERIFY(modelScale->isVisible());
        QCOMPARE(modelScale->style().scale.range.low, 0.0);
        QCOMPARE(modelScale->style().scale.range.high, record->all().max().item<double>());
        saveSnapshot(*model, QStringLiteral("model_grid"));
        mismatch = colorScaleMismatch(*modelScale);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        // A thumbnail's cells are drawn in the scale's colours.
        QVERIFY2(model->thumbnails().level == 0, "29 tokens fit a thumbnail cell by cell");
        const QImage grid = model->canvas()->grab().toImage();
        const QRectF thumbnail = model->cellRect(1, 0);
        const int64_t tokens = record->queries();
        for (const auto &[row, col] : {std::pair<int64_t, int64_t>{20, 6}, {28, 27}, {5, 0}}) {
            const QPointF at = thumbnail.topLeft() + QPointF(col + 0.5, row + 0.5) * thumbnail.width() / double(tokens);
            QCOMPARE(grid.pixel(at.toPoint()), modelScale->style().colorOf(record->tile(1, 0, row, row + 1, col, col + 1).item<double>()));
        }
        // Each thumbnail over its own range: the scale shows shares of each one's peak.
        model->setSharedScale(false);
        QCOMPARE(modelScale->style().scale.range.high, 1.0);
        QVERIFY(modelScale->unit().endsWith(QStringLiteral("÷ each thumbnail's peak")));
        const QImage own = model->canvas()->grab().toImage();
        const double peak = record->layer(1)[0].max().item<double>();
        const QPointF at = thumbnail.topLeft() + QPointF(6 + 0.5, 20 + 0.5) * thumbnail.width() / double(tokens);
        QCOMPARE(own.pixel(at.toPoint()), modelScale->style().colorOf(record->tile(1, 0, 20, 21, 6, 7).item<double>() / peak));
        mismatch = colorScaleMismatch(*modelScale);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        model->setSharedScale(true);
        // Line thumbnails draw a weight as the opacity of their ink: the scale runs white → ink.
        model->setLineThumbnails(true);
        QVERIFY(modelScale->style().colormap.name().startsWith(QStringLiteral("opacity")));
        QCOMPARE(modelScale->style().colormap.color(0.0), qRgb(255, 255, 255));
        QCOMPARE(modelScale->style().colormap.color(1.0), ModelGridStyle().lineColor.rgb());
        mismatch = colorScaleMismatch(*modelScale);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        saveSnapshot(*model, QStringLiteral("model_lines"));
        model->setLineThumbnails(false);

        // Neuron strips: each its own diverging scale over ± its largest |value|.
        workspace.showView(QStringLiteral("neuron"));
        workspace.selection()->selectCell(20, 6);
        NeuronView *neuron = workspace.neuronView();
        const NeuronBreakdown expected = neuronBreakdown(*record, 1, 0, 20, 6);
        const std::vector<ColorScaleBar *> strips = neuron->colorScales();
        QCOMPARE(int(strips.size()), 3);
        const torch::Tensor values[] = {expected.query, expected.key, expected.contributions};
        QTRY_VERIFY(strips[0]->isVisible());
        saveSnapshot(*neuron, QStringLiteral("neuron"));
        for (int strip = 0; strip < 3; ++strip) {
            const double magnitude = values[strip].abs().max().item<double>();
            QCOMPARE(strips[size_t(strip)]->style().scale.range.high, magnitude);
            QCOMPARE(strips[size_t(strip)]->style().scale.range.low, -magnitude);
            QVERIFY(strips[size_t(strip)]->style().colormap.isDiverging());
            mismatch = colorScaleMismatch(*strips[size_t(strip)]);
            QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        }
        QVERIFY(neuron->drawingArea().right() < strips[0]->geometry().left());
        const QImage painted = neuron->grab().toImage();
        const int64_t dimensions = expected.query.size(0);
        const NeuronLayout layout(neuron->drawingArea(), dimensions);
        for (int strip = 0; strip < 3; ++strip)
            for (const int64_t dimension : {int64_t(0), dimensions / 2, dimensions - 1})
                QCOMPARE(painted.pixel(layout.cellRect(NeuronStrip(strip), dimension).center().toPoint()),
                         strips[size_t(strip)]->style().colorOf(values[strip][dimension].item<double>()));
    }
};

QTEST_MAIN(TestColorScale)
#include "test_color_scale.moc"
