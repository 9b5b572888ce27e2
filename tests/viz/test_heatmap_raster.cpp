// Rasterized pixels equal colormap(scale(value)) exactly, cells scale to blocks, masked cells
// carry the hatch, and bad input is refused with a clear error.
#include <QTest>

#include <torch/torch.h>

#include "viz/heatmap_raster.h"

using namespace attnscope;

class TestHeatmapRaster : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Values at the middle of colormap bin k must land on entry k, whatever the colormap.
    void pixelsAreColormapEntries_data()
    {
        QTest::addColumn<QString>("colormap");
        for (const QString &name : Colormap::names())
            QTest::newRow(qPrintable(name)) << name;
    }
    void pixelsAreColormapEntries()
    {
        QFETCH(QString, colormap);
        HeatmapStyle style;
        style.colormap = Colormap::byName(colormap);
        const int n = style.colormap.size();
        const auto values = (torch::arange(n, torch::kDouble) + 0.5) / n;
        const QImage image = rasterizeHeatmap(values.view({1, n}), style);
        QCOMPARE(image.size(), QSize(n, 1));
        for (int k = 0; k < n; ++k)
            QCOMPARE(image.pixel(k, 0), style.colormap.entry(k));
    }

    void scalesApplyBeforeTheColormap()
    {
        HeatmapStyle style;
        style.colormap = Colormap::byName(QStringLiteral("magma"));
        style.scale.kind = ScaleKind::Log;
        style.scale.range = {1e-4, 1.0};
        const auto values = torch::tensor({{1e-6, 1e-4, 1e-2}, {0.5, 1.0, 3.0}}, torch::kDouble);
        const QImage image = rasterizeHeatmap(values, style);
        const QRgb bottom = style.colormap.entry(0), top = style.colormap.entry(255);
        QCOMPARE(image.pixel(0, 0), bottom);
        QCOMPARE(image.pixel(1, 0), bottom);
        // The log midpoint of [1e-4, 1] sits in the middle of the map, whatever the rounding.
        QVERIFY(image.pixel(2, 0) == style.colormap.entry(127) ||
                image.pixel(2, 0) == style.colormap.entry(128));
        QCOMPARE(image.pixel(2, 1), top);
        for (int r = 0; r < 2; ++r)
            for (int c = 0; c < 3; ++c)
                QCOMPARE(image.pixel(c, r), style.colorOf(values[r][c].item<double>()));
    }

    void cellsBecomeBlocksAndMaskedCellsAreHatched()
    {
        HeatmapStyle style;
        const auto values = torch::tensor({{0.1f, 0.7f}, {0.3f, 0.9f}});
        const auto masked = torch::tensor({{false, true}, {false, false}});
        const int cell = 5;
        const QImage image = rasterizeHeatmap(values, style, masked, cell);
        QCOMPARE(image.size(), QSize(2 * cell, 2 * cell));
        bool sawHatch = false, sawBase = false;
        for (int y = 0; y < 2 * cell; ++y) {
            for (int x = 0; x < 2 * cell; ++x) {
                const int r = y / cell, c = x / cell;
                if (masked[r][c].item<bool>()) {
                    QCOMPARE(image.pixel(x, y), style.maskedAt(x, y));
                    sawHatch |= image.pixel(x, y) == style.maskedHatchColor;
                    sawBase |= image.pixel(x, y) == style.maskedColor;
                } else {
                    QCOMPARE(image.pixel(x, y), style.colorOf(values[r][c].item<double>()));
                }
            }
        }
        QVERIFY(sawHatch && sawBase);
    }

    void nanCellsUseTheNanColor()
    {
        HeatmapStyle style;
        style.colormap.setNanColor(qRgb(1, 2, 3));
        const QImage image = rasterizeHeatmap(torch::tensor({{std::nanf("")}}), style);
        QCOMPARE(image.pixel(0, 0), qRgb(1, 2, 3));
    }

    void refusesBadInput()
    {
        HeatmapStyle style;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, rasterizeHeatmap(torch::zeros({3}), style));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 rasterizeHeatmap(torch::zeros({2, 2}), style, torch::zeros({2, 3}, torch::kBool)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 rasterizeHeatmap(torch::zeros({2, 2}), style, {}, 0));
        QVERIFY(rasterizeHeatmap(torch::zeros({0, 0}), style).isNull());
    }
};

QTEST_APPLESS_MAIN(TestHeatmapRaster)
#include "test_heatmap_raster.moc"
