// The tile pyramid: every pooled tile equals pooling the dense matrix (max exactly, mean to
// float rounding), with and without per-row normalization; finer levels come for free; the
// cache stays in its budget; passes can be cancelled; a failing source is reported.
#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <thread>

#include <torch/torch.h>

#include "viz/tile_pyramid.h"

using namespace attnscope;

namespace {

// Max or mean of each block of a dense matrix, straight from the definition.
torch::Tensor poolDense(const torch::Tensor &dense, int level, Pooling pooling, const CellRect &cells)
{
    const int64_t block = PyramidGeometry::blockSize(level);
    const auto m = dense.to(torch::kDouble);
    const int64_t rows = ceilDiv(cells.rows(), block), cols = ceilDiv(cells.cols(), block);
    auto out = torch::empty({rows, cols}, torch::kDouble);
    for (int64_t i = 0; i < rows; ++i) {
        for (int64_t j = 0; j < cols; ++j) {
            const int64_t r = cells.r0 + i * block, c = cells.c0 + j * block;
            const auto b = m.slice(0, r, std::min(r + block, cells.r1)).slice(1, c, std::min(c + block, cells.c1));
            out[i][j] = pooling == Pooling::Max ? b.max() : b.mean();
        }
    }
    return out.to(torch::kFloat);
}

torch::Tensor randomAttention(int64_t rows, int64_t cols)
{
    torch::manual_seed(7);
    return torch::softmax(torch::randn({rows, cols}) * 3.0, 1);
}

bool waitForIdle(TilePyramid &pyramid)
{
    QSignalSpy idle(&pyramid, &TilePyramid::idle);
    return pyramid.isBusy() ? idle.wait(30000) : true;
}

} // namespace

class TestTilePyramid : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void geometryCoversTheMatrix()
    {
        const PyramidGeometry g(1000, 600, 256);
        QCOMPARE(g.levelCount(), 3); // 1000 → 500 → 250 rows
        QCOMPARE(g.tileRows(0), 4);
        QCOMPARE(g.tileCols(0), 3);
        QCOMPARE(g.tileRows(2), 1);
        const CellRect last = g.tileCells({0, 3, 2});
        QCOMPARE(last.r0, 768);
        QCOMPARE(last.r1, 1000);
        QCOMPARE(last.c1, 600);
        const CellRect top = g.tileCells({2, 0, 0});
        QCOMPARE(top.rows(), 1000);
        QCOMPARE(top.cols(), 600);
        QVERIFY(!g.contains({3, 0, 0}));
        QVERIFY(!g.contains({0, 4, 0}));
        QCOMPARE(PyramidGeometry(1, 1).levelCount(), 1);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, PyramidGeometry(0, 5));
    }

    void pooledTilesEqualDensePooling_data()
    {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("pooling");
        QTest::addColumn<bool>("normalize");
        QTest::addColumn<bool>("overviewFirst");
        for (int pooling : {int(Pooling::Max), int(Pooling::Mean)})
            for (bool normalize : {false, true})
                for (bool overviewFirst : {false, true}) {
                    const char *name = pooling == int(Pooling::Max) ? "max" : "mean";
                    QTest::addRow("%s 100x100 norm %d overview %d", name, normalize, overviewFirst)
                        << 100 << 100 << pooling << normalize << overviewFirst;
                    QTest::addRow("%s 77x130 norm %d overview %d", name, normalize, overviewFirst)
                        << 77 << 130 << pooling << normalize << overviewFirst;
                }
        QTest::newRow("single cell") << 1 << 1 << int(Pooling::Mean) << false << false;
    }
    void pooledTilesEqualDensePooling()
    {
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, pooling);
        QFETCH(bool, normalize);
        QFETCH(bool, overviewFirst);
        const torch::Tensor dense = randomAttention(rows, cols);
        PyramidOptions options;
        options.pooling = Pooling(pooling);
        options.normalizeRows = normalize;
        options.tileSize = 8;
        TilePyramid pyramid(denseTileSource(dense), rows, cols, options);
        const PyramidGeometry &g = pyramid.geometry();
        if (overviewFirst) // fills the finer levels as a by-product
            pyramid.tile({g.topLevel(), 0, 0});
        const torch::Tensor expectedSource =
            normalize ? dense / std::get<0>(dense.max(1, true)) : dense;
        for (int level = 0; level < g.levelCount(); ++level) {
            for (int64_t r = 0; r < g.tileRows(level); ++r) {
                for (int64_t c = 0; c < g.tileCols(level); ++c) {
                    const TileKey key{level, r, c};
                    const PyramidTile tile = pyramid.tile(key);
                    QVERIFY(tile.isValid());
                    const auto expected = poolDense(expectedSource, level, Pooling(pooling), g.tileCells(key));
                    QCOMPARE(tile.values.sizes(), expected.sizes());
                    if (Pooling(pooling) == Pooling::Max && !normalize)
                        QVERIFY(torch::equal(tile.values, expected));
                    else
                        QVERIFY(torch::allclose(tile.values, expected, 1e-5, 1e-8));
                }
            }
        }
    }

    void overviewKeepsFinerLevels()
    {
        const int n = 128;
        PyramidOptions options;
        options.tileSize = 16;
        TilePyramid pyramid(denseTileSource(randomAttention(n, n)), n, n, options);
        QSignalSpy ready(&pyramid, &TilePyramid::tileReady);
        pyramid.request({{pyramid.geometry().topLevel(), 0, 0}});
        QVERIFY(waitForIdle(pyramid));
        // Levels 0..3 of a 128 × 128 matrix: 64 + 16 + 4 + 1 tiles, all from one pass.
        QCOMPARE(ready.count(), 85);
        QVERIFY(pyramid.cachedTile({0, 7, 7}).isValid());
        QVERIFY(pyramid.cachedTile({1, 3, 0}).isValid());
    }

    void maskedBlocksFollowTheMask()
    {
        const int n = 40;
        PyramidOptions options;
        options.tileSize = 8;
        options.mask = CellMask::causal(n, n);
        const torch::Tensor dense = torch::softmax(
            torch::randn({n, n}).masked_fill(torch::ones({n, n}, torch::kBool).triu(1), -INFINITY), 1);
        TilePyramid pyramid(denseTileSource(dense), n, n, options);
        const PyramidTile overview = pyramid.tile({3, 0, 0}); // 5 × 5 blocks of 8 × 8 cells
        QVERIFY(torch::equal(overview.masked, options.mask.blocks(0, n, 0, n, 8)));
        QVERIFY(overview.masked[0][4].item<bool>());   // a block entirely above the diagonal
        QVERIFY(!overview.masked[3][3].item<bool>());  // a diagonal block holds visible cells
        QVERIFY(!pyramid.tile({0, 0, 0}).masked[3][2].item<bool>());
        QVERIFY(!TilePyramid(denseTileSource(dense), n, n).tile({0, 0, 0}).masked.defined());
    }

    void cacheStaysWithinItsBudget()
    {
        TileCache cache(3 * 16 * 16 * 4);
        for (int i = 0; i < 4; ++i)
            cache.insert({0, i, 0}, torch::full({16, 16}, float(i)));
        QCOMPARE(cache.count(), size_t(3));
        QVERIFY(!cache.contains({0, 0, 0}));
        QVERIFY(cache.find({0, 1, 0}).defined()); // now the most recent
        cache.insert({0, 9, 0}, torch::zeros({16, 16}));
        QVERIFY(cache.contains({0, 1, 0}));
        QVERIFY(!cache.contains({0, 2, 0}));
        cache.insert({0, 10, 0}, torch::zeros({64, 64})); // larger than the budget: not kept
        QVERIFY(!cache.contains({0, 10, 0}));
        // A view of a big tensor is counted (and kept) as its own bytes only.
        cache.clear();
        const auto big = torch::zeros({16, 48});
        cache.insert({0, 0, 0}, big.slice(1, 0, 16));
        QCOMPARE(cache.bytes(), 16 * 16 * 4);
        QCOMPARE(int64_t(cache.find({0, 0, 0}).storage().nbytes()), int64_t(16 * 16 * 4));

        const int n = 256;
        PyramidOptions options;
        options.tileSize = 16;
        options.cacheBytes = 40 * 16 * 16 * 4; // 40 of the 341 tiles
        TilePyramid pyramid(denseTileSource(randomAttention(n, n)), n, n, options);
        const PyramidGeometry &g = pyramid.geometry();
        for (int level = 0; level < g.levelCount(); ++level)
            for (int64_t r = 0; r < g.tileRows(level); ++r)
                for (int64_t c = 0; c < g.tileCols(level); ++c) {
                    QVERIFY(pyramid.tile({level, r, c}).isValid());
                    QVERIFY(pyramid.cachedBytes() <= pyramid.cacheBudget());
                }
    }

    void cancelStopsThePass()
    {
        const int n = 8192; // 64 strips of 128 rows for the overview
        std::atomic<int> calls{0};
        const TileSource slow = [&calls](int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
            ++calls;
            std::this_thread::sleep_for(std::chrono::milliseconds(30));
            return torch::full({r1 - r0, c1 - c0}, 0.5f);
        };
        TilePyramid pyramid(slow, n, n);
        const TileKey top{pyramid.geometry().topLevel(), 0, 0};
        QSignalSpy progress(&pyramid, &TilePyramid::progress);
        pyramid.request({top});
        QVERIFY(progress.wait(10000));
        pyramid.cancel();
        QVERIFY(waitForIdle(pyramid));
        const qint64 strips = progress.last().at(1).toLongLong();
        QVERIFY(calls.load() < strips);
        QVERIFY(!pyramid.cachedTile(top).isValid());

        // A new wish that does not need the running pass stops it too.
        calls = 0;
        pyramid.request({top});
        QVERIFY(progress.wait(10000));
        pyramid.request({{0, 0, 0}});
        QVERIFY(waitForIdle(pyramid));
        QVERIFY(pyramid.cachedTile({0, 0, 0}).isValid());
        QVERIFY(!pyramid.cachedTile(top).isValid());
    }

    void destroyingWhileBusyDoesNotHang()
    {
        const TileSource slow = [](int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            return torch::zeros({r1 - r0, c1 - c0});
        };
        auto pyramid = std::make_unique<TilePyramid>(slow, 4096, 4096);
        pyramid->request({{pyramid->geometry().topLevel(), 0, 0}});
        pyramid.reset();
        QVERIFY(true);
    }

    void failingSourceIsReported()
    {
        const TileSource broken = [](int64_t, int64_t, int64_t, int64_t) -> torch::Tensor {
            throw std::runtime_error("record: layer 3 is not available\nsecond line");
        };
        TilePyramid pyramid(broken, 64, 64);
        QSignalSpy failed(&pyramid, &TilePyramid::failed);
        pyramid.request({{0, 0, 0}});
        QVERIFY(waitForIdle(pyramid));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.first().first().toString(), QStringLiteral("record: layer 3 is not available"));

        const TileSource wrongShape = [](int64_t, int64_t, int64_t, int64_t) { return torch::zeros({2, 2}); };
        TilePyramid wrong(wrongShape, 64, 64);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, wrong.tile({0, 0, 0}));
    }

    void poolingNamesRoundTrip()
    {
        QCOMPARE(poolingNames(), QStringList({"max", "mean"}));
        QCOMPARE(*poolingFromName(QStringLiteral("Mean")), Pooling::Mean);
        QVERIFY(!poolingFromName(QStringLiteral("median")).has_value());
    }
};

QTEST_GUILESS_MAIN(TestTilePyramid)
#include "test_tile_pyramid.moc"
