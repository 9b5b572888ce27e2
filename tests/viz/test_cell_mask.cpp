// Masks: causal, sliding-window and padding cells, and pooled blocks that are masked only when every cell is.
#include <QTest>

#include <torch/torch.h>

#include "viz/cell_mask.h"

using namespace attnscope;

namespace {

// Every block of size `block` fully masked, straight from masked(row, col).
torch::Tensor bruteForceBlocks(const CellMask &mask, int64_t r0, int64_t r1, int64_t c0,
                               int64_t c1, int64_t block)
{
    const int64_t rows = (r1 - r0 + block - 1) / block, cols = (c1 - c0 + block - 1) / block;
    auto result = torch::ones({rows, cols}, torch::kBool);
    for (int64_t r = r0; r < r1; ++r)
        for (int64_t c = c0; c < c1; ++c)
            if (!mask.masked(r, c))
                result[(r - r0) / block][(c - c0) / block] = false;
    return result;
}

} // namespace

class TestCellMask : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void emptyMasksNothing()
    {
        const CellMask mask;
        QVERIFY(mask.isEmpty());
        QVERIFY(!mask.masked(0, 5));
        QVERIFY(!mask.blocks(0, 4, 0, 4).defined());
    }

    void causalHidesTheFuture()
    {
        const CellMask square = CellMask::causal(4, 4);
        QVERIFY(!square.masked(2, 2));
        QVERIFY(square.masked(2, 3));
        // Two cached keys before the queries: query 0 sees keys 0..2.
        const CellMask offset = CellMask::causal(3, 5);
        QVERIFY(!offset.masked(0, 2));
        QVERIFY(offset.masked(0, 3));
    }

    // Mistral / Gemma 2 local layers: with a window of 3, query 5 sees keys 3, 4 and 5 only.
    void slidingWindowHidesKeysTooFarBack()
    {
        const CellMask mask = CellMask::slidingWindow(8, 8, 3);
        QVERIFY(!mask.isEmpty());
        for (int64_t key = 0; key < 8; ++key)
            QCOMPARE(mask.masked(5, key), key < 3 || key > 5);
        // Keys cached before the queries shift the window with the causal limit.
        const CellMask offset = CellMask::slidingWindow(2, 6, 2);
        QVERIFY(offset.masked(0, 2) && !offset.masked(0, 3) && !offset.masked(0, 4) && offset.masked(0, 5));
        // A window of 0 is plain causal.
        QVERIFY(!CellMask::slidingWindow(8, 8, 0).masked(7, 0));
    }

    void blocksMatchCells_data()
    {
        QTest::addColumn<bool>("causal");
        QTest::addColumn<int>("window");
        QTest::addColumn<bool>("padding");
        QTest::addColumn<int>("block");
        QTest::addColumn<int>("r0");
        QTest::addColumn<int>("c0");
        for (int block : {1, 2, 3, 4, 8})
            for (bool causal : {false, true})
                for (bool padding : {false, true})
                    for (int window : {0, 5})
                        if ((causal || padding) && (causal || window == 0))
                            QTest::addRow("block %d causal %d window %d padding %d", block, causal, window, padding)
                                << causal << window << padding << block << (block == 3 ? 5 : 0) << (block == 2 ? 3 : 0);
    }
    void blocksMatchCells()
    {
        QFETCH(bool, causal);
        QFETCH(int, window);
        QFETCH(bool, padding);
        QFETCH(int, block);
        QFETCH(int, r0);
        QFETCH(int, c0);
        const int64_t size = 21;
        CellMask mask = causal ? CellMask::slidingWindow(size, size, window) : CellMask();
        if (padding) {
            auto allowed = torch::ones({size}, torch::kBool);
            allowed.slice(0, 6, 9).fill_(false);
            allowed.slice(0, 17, size).fill_(false);
            mask = mask.withKeyAllowed(allowed);
        }
        const auto blocks = mask.blocks(r0, size, c0, size, block);
        QVERIFY(torch::equal(blocks, bruteForceBlocks(mask, r0, size, c0, size, block)));
    }
};

QTEST_APPLESS_MAIN(TestCellMask)
#include "test_cell_mask.moc"
