// The head view: the overview is drawn with the right colors, the wheel zooms around the
// cursor, dragging pans, keys zoom and fit, and hovering reports the exact cell weight and
// its rank in the row.
#include <QSignalSpy>
#include <QTest>

#include <torch/torch.h>

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
