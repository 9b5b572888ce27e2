// The head view: the overview is drawn with the right colors and a colour scale beside the
// matrix whose ticks show those colours (a signed one for differences), "per row" divides
// each row by its peak, the wheel zooms around the cursor, dragging pans, keys zoom and fit,
// and hovering reports the exact cell weight and its rank in the row. While the next head is
// computed, the previous one stays on screen, dimmed, with its scale.
#include <atomic>

#include <QCheckBox>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <torch/torch.h>

#include "color_scale_check.h"
#include "snapshot.h"
#include "ui/views/head_view.h"
#include "viz/tile_pyramid.h"

using namespace attnscope;

namespace {

QStringList tokenList(const QString &prefix, int count)
{
    QStringList tokens;
    for (int i = 0; i < count; ++i)
        tokens << prefix + QString::number(i);
    return tokens;
}

void wheel(QWidget &widget, const QPointF &at, int angle)
{
    QWheelEvent event(at, widget.mapToGlobal(at), QPoint(), QPoint(0, angle), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(&widget, &event);
}

} // namespace

class TestHeadView : public QObject {
    Q_OBJECT
private:
    const int n = 48;
    torch::Tensor dense;
    std::shared_ptr<TilePyramid> pyramid;
    std::unique_ptr<HeadView> view;

private Q_SLOTS:
    void init()
    {
        torch::manual_seed(3);
        dense = torch::softmax(torch::randn({n, n}) * 2.0, 1);
        pyramid = std::make_shared<TilePyramid>(denseTileSource(dense), n, n);
        view = std::make_unique<HeadView>();
        view->resize(500, 460);
        view->setHead(pyramid, tokenList("q", n), tokenList("k", n));
        view->show();
        QVERIFY(QTest::qWaitForWindowExposed(view.get()));
        QTRY_VERIFY(view->hasOverview());
    }

    void cleanup()
    {
        view.reset();
        pyramid.reset();
    }

    void drawsEveryCellInItsColor()
    {
        QCOMPARE(view->visibleCells(), QRectF(0, 0, n, n));
        const HeatmapStyle style = view->style();
        QCOMPARE(style.scale.range.low, 0.0);
        QCOMPARE(style.scale.range.high, dense.max().item<double>());
        const QImage shot = view->grab().toImage();
        for (int r = 0; r < n; r += 5)
            for (int c = 0; c < n; c += 7)
                QCOMPARE(shot.pixel(view->cellCenter(r, c).toPoint()),
                         style.colorOf(dense[r][c].item<double>()));
    }

    // Switching head never leaves a blank map: until the new overview arrives the old head is
    // drawn dimmed (lighter than its own colours, never white) under its own colour scale.
    void previousHeadStaysDimmedUntilTheNextIsReady()
    {
        const QPoint cell = view->cellCenter(3, 5).toPoint();
        const QRgb before = view->grab().toImage().pixel(cell);
        std::atomic<bool> release{false};
        const torch::Tensor next = torch::softmax(torch::randn({n, n}), 1);
        const TileSource slow = [&release, next](int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
            while (!release)
                QThread::msleep(5);
            return next.slice(0, r0, r1).slice(1, c0, c1).clone();
        };
        auto waiting = std::make_shared<TilePyramid>(slow, n, n);
        view->setHead(waiting, tokenList("q", n), tokenList("k", n));
        QTest::qWait(50);
        QVERIFY(!view->hasOverview());
        QVERIFY(view->colorScale()->isVisible());
        const QRgb dimmed = view->grab().toImage().pixel(cell);
        QVERIFY2(dimmed != qRgb(255, 255, 255) && qGray(dimmed) > qGray(before),
                 qPrintable(QStringLiteral("before %1, while computing %2").arg(QColor(before).name(), QColor(dimmed).name())));
        release = true;
        QTRY_VERIFY(view->hasOverview());
        const HeatmapStyle style = view->style();
        QCOMPARE(view->grab().toImage().pixel(cell), style.colorOf(next[3][5].item<double>()));
        waiting.reset(); // before `release` goes out of scope
        view.reset();
    }

    void colourScaleShowsTheMapsColours()
    {
        ColorScaleBar *scale = view->colorScale();
        QVERIFY(scale->isVisible());
        QCOMPARE(scale->style().colormap.name(), view->style().colormap.name());
        QCOMPARE(scale->style().scale.kind, view->style().scale.kind);
        QCOMPARE(scale->style().scale.range.low, 0.0);
        QCOMPARE(scale->style().scale.range.high, dense.max().item<double>());
        QCOMPARE(scale->caption(), QStringLiteral("attention weight · linear"));
        const QString mismatch = colorScaleMismatch(*scale);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        // Beside the matrix, within the widget.
        const double matrixRight = view->cellCenter(0, n - 1).x() + view->cellPixels() / 2;
        QVERIFY(scale->geometry().left() >= matrixRight);
        QVERIFY(scale->geometry().left() <= matrixRight + 16);
        QVERIFY(scale->geometry().right() < view->width());

        // Another scale kind: the bar follows.
        HeatmapStyle logStyle;
        logStyle.colormap = Colormap::byName(QStringLiteral("magma"));
        logStyle.scale.kind = ScaleKind::Log;
        view->setStyle(logStyle);
        QTRY_VERIFY(view->hasOverview());
        QCOMPARE(scale->style().scale.kind, ScaleKind::Log);
        QCOMPARE(scale->caption(), QStringLiteral("attention weight · log"));
        const QString logMismatch = colorScaleMismatch(*scale);
        QVERIFY2(logMismatch.isEmpty(), qPrintable(logMismatch));
    }

    // A difference map: a diverging colormap over a range symmetric around 0, signed ticks.
    void differenceHasASignedScale()
    {
        const torch::Tensor difference = torch::softmax(torch::randn({n, n}), 1) - torch::softmax(torch::randn({n, n}), 1);
        auto signedPyramid = std::make_shared<TilePyramid>(denseTileSource(difference), n, n);
        HeatmapStyle style;
        style.colormap = Colormap::byName(QStringLiteral("rdbu"));
        view->setStyle(style);
        view->setValueName(QStringLiteral("variant − reference weight"));
        view->setHead(signedPyramid, {}, {});
        QTRY_VERIFY(view->hasOverview());
        ColorScaleBar *scale = view->colorScale();
        const double magnitude = difference.abs().max().item<double>();
        QCOMPARE(scale->style().scale.range.low, -magnitude);
        QCOMPARE(scale->style().scale.range.high, magnitude);
        QVERIFY(scale->caption().startsWith(QStringLiteral("variant − reference weight")));
        const std::vector<double> ticks = scale->tickValues();
        QVERIFY(std::find(ticks.begin(), ticks.end(), 0.0) != ticks.end());
        QCOMPARE(ticks.front(), -ticks.back());
        saveSnapshot(*view, QStringLiteral("head_difference"));
        const QString mismatch = colorScaleMismatch(*scale);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    }

    void perRowDividesEachRowByItsPeak()
    {
        QSignalSpy toggled(view.get(), &HeadView::rowNormalizationChanged);
        auto *box = view->findChild<QCheckBox *>(QStringLiteral("perRow"));
        QVERIFY(box && box->isVisible() && !box->isChecked());
        box->click();
        QCOMPARE(toggled.count(), 1);
        QVERIFY(view->isRowNormalized());
        QTRY_VERIFY(view->hasOverview());
        const HeatmapStyle style = view->style();
        QCOMPARE(style.scale.range.high, 1.0);
        QCOMPARE(view->colorScale()->unit(), QStringLiteral("attention weight ÷ its row's peak"));
        const torch::Tensor peaks = std::get<0>(dense.max(1));
        QTRY_VERIFY(view->grab().toImage().pixel(view->cellCenter(0, 0).toPoint())
                    == style.colorOf((dense[0][0] / peaks[0]).item<float>()));
        const QImage shot = view->grab().toImage();
        for (int r = 0; r < n; r += 5)
            for (int c = 0; c < n; c += 7)
                QCOMPARE(shot.pixel(view->cellCenter(r, c).toPoint()), style.colorOf((dense[r][c] / peaks[r]).item<float>()));
        saveSnapshot(*view, QStringLiteral("head_per_row"));
        const QString mismatch = colorScaleMismatch(*view->colorScale());
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        // A new head keeps the choice; off again shows absolute weights.
        view->setHead(pyramid, {}, {});
        QVERIFY(view->isRowNormalized());
        view->setRowNormalized(false);
        QCOMPARE(toggled.count(), 2);
        QVERIFY(!box->isChecked());
        QTRY_VERIFY(view->hasOverview());
        QCOMPARE(view->style().scale.range.high, dense.max().item<double>());
    }

    void wheelZoomsAroundTheCursor()
    {
        const double before = view->cellPixels();
        const QPointF anchor = view->cellCenter(30, 10);
        QSignalSpy changed(view.get(), &HeadView::viewChanged);
        wheel(*view, anchor, 120);
        QCOMPARE(changed.count(), 1);
        QVERIFY(qFuzzyCompare(view->cellPixels(), before * 1.25));
        QVERIFY((view->cellCenter(30, 10) - anchor).manhattanLength() < 1e-6);
        QVERIFY(view->visibleCells().width() < n);
        wheel(*view, anchor, 3 * 120);
        QVERIFY(qFuzzyCompare(view->cellPixels(), before * std::pow(1.25, 4)));
        wheel(*view, anchor, -20 * 120); // never past the whole matrix
        QCOMPARE(view->visibleCells(), QRectF(0, 0, n, n));
    }

    void dragPansAndKeysZoom()
    {
        const double fitted = view->cellPixels();
        for (int i = 0; i < 4; ++i)
            QTest::keyClick(view.get(), Qt::Key_Plus);
        QVERIFY(qFuzzyCompare(view->cellPixels(), fitted * std::pow(1.25, 4)));
        const QRectF zoomed = view->visibleCells();
        QVERIFY(zoomed.width() < n / 2.0);
        const QPoint from = view->cellCenter(n / 2, n / 2).toPoint();
        QTest::mousePress(view.get(), Qt::LeftButton, Qt::NoModifier, from);
        QTest::mouseMove(view.get(), from + QPoint(-40, -30));
        QTest::mouseRelease(view.get(), Qt::LeftButton, Qt::NoModifier, from + QPoint(-40, -30));
        const QRectF panned = view->visibleCells();
        QVERIFY(qAbs(panned.left() - zoomed.left() - 40 / view->cellPixels()) < 1e-6);
        QVERIFY(qAbs(panned.top() - zoomed.top() - 30 / view->cellPixels()) < 1e-6);
        QTest::keyClick(view.get(), Qt::Key_Home);
        QCOMPARE(view->visibleCells(), QRectF(0, 0, n, n));
    }

    void hoverReportsTheExactCell()
    {
        wheel(*view, view->cellCenter(5, 5), 2 * 120);
        QSignalSpy hovered(view.get(), &HeadView::cellHovered);
        const int row = 17, col = 9;
        QTest::mouseMove(view.get(), view->cellCenter(row, col).toPoint());
        QCOMPARE(hovered.count(), 1);
        QCOMPARE(hovered.first().at(0).toLongLong(), row);
        QCOMPARE(hovered.first().at(1).toLongLong(), col);
        QCOMPARE(hovered.first().at(2).toDouble(), dense[row][col].item<double>());

        const HoveredCell cell = view->cellAt(view->cellCenter(row, col));
        const qint64 rank = 1 + (dense[row] > dense[row][col]).sum().item<int64_t>();
        QCOMPARE(cell.rank, rank);
        const QString text = view->describe(cell);
        QVERIFY(text.contains(QStringLiteral("“q17”")));
        QVERIFY(text.contains(QStringLiteral("“k9”")));
        QVERIFY(text.contains(QStringLiteral("rank %1 of %2").arg(rank).arg(n)));
        QVERIFY(!view->cellAt(QPointF(2, 2)).isValid()); // in the margin
    }

    void maskedCellsAreDrawnDistinctly()
    {
        PyramidOptions options;
        options.mask = CellMask::causal(n, n);
        auto causal = std::make_shared<TilePyramid>(
            denseTileSource(dense.tril()), n, n, options);
        view->setHead(causal, {}, {});
        QTRY_VERIFY(view->hasOverview());
        const QImage shot = view->grab().toImage();
        const QRgb masked = shot.pixel(view->cellCenter(3, 40).toPoint());
        const HeatmapStyle style = view->style();
        QVERIFY(masked == style.maskedColor || masked == style.maskedHatchColor);
        QVERIFY(view->describe(view->cellAt(view->cellCenter(3, 40))).contains(QStringLiteral("masked")));
        QCOMPARE(shot.pixel(view->cellCenter(40, 3).toPoint()), style.colorOf(dense[40][3].item<double>()));
    }
};

QTEST_MAIN(TestHeadView)
#include "test_head_view.moc"
