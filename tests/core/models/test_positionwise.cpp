// Position-wise blocks on long inputs: running a feed-forward network on blocks of rows gives
// the rows it gives on the whole matrix, for lengths around and across the block size.
#include <QtTest>

#include <torch/torch.h>

#include "core/models/common/positionwise.h"

using namespace attnscope;

class TestPositionwise : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void blocksEqualTheWhole_data()
    {
        QTest::addColumn<qint64>("rows");
        const qint64 block = kPositionwiseBlockRows;
        for (const qint64 rows : {qint64(1), block - 1, block, block + 1, 3 * block + 77})
            QTest::newRow(qPrintable(QString::number(rows))) << rows;
    }

    void blocksEqualTheWhole()
    {
        QFETCH(qint64, rows);
        torch::manual_seed(5);
        const torch::Tensor in = torch::randn({24, 16}), out = torch::randn({16, 24});
        const auto feedForward = [&](const torch::Tensor &x) { return torch::gelu(x.matmul(out)).matmul(in); };
        const torch::Tensor x = torch::randn({rows, 16});
        int calls = 0;
        int64_t largestBlock = 0;
        const torch::Tensor blocked = applyPositionwise(x, [&](const torch::Tensor &block) {
            ++calls;
            largestBlock = std::max(largestBlock, block.size(0));
            return feedForward(block);
        });
        QVERIFY(largestBlock <= kPositionwiseBlockRows);
        QCOMPARE(calls, int((rows + kPositionwiseBlockRows - 1) / kPositionwiseBlockRows));
        QCOMPARE(blocked.sizes(), x.sizes());
        // Equal up to fp32 rounding: a GEMM over fewer rows may take another kernel (and
        // summation order) of the BLAS, so the bound is relative to the values' size.
        const torch::Tensor whole = feedForward(x);
        const double difference = (blocked - whole).abs().max().item<double>();
        QVERIFY2(difference < 1e-6 * std::max(1.0, whole.abs().max().item<double>()), qPrintable(QString::number(difference)));
    }
};

QTEST_GUILESS_MAIN(TestPositionwise)
#include "test_positionwise.moc"
