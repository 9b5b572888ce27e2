// Sink scores: attention mass on the first token and on chosen keys, queries 1 … T−1.
#include <QtTest>

#include "core/analysis/random_attention.h"
#include "core/analysis/sink_score.h"
#include "core/io/input_error.h"

using namespace attnscope;

class TestSinkScore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesLoops_data()
    {
        QTest::addColumn<QList<int>>("keys");
        QTest::newRow("first token") << QList<int>{0};
        QTest::newRow("first and fourth") << QList<int>{0, 3};
        QTest::newRow("none") << QList<int>{};
    }
    void matchesLoops()
    {
        QFETCH(QList<int>, keys);
        const torch::Tensor attention = randomAttention(2, 3, 6, true, 5);
        torch::Tensor mask = torch::zeros({6}, torch::kBool);
        for (int key : keys)
            mask[key] = true;
        const torch::Tensor scores = sinkScores(attention, mask);
        for (int64_t l = 0; l < 2; ++l)
            for (int64_t h = 0; h < 3; ++h) {
                double sum = 0;
                for (int64_t i = 1; i < 6; ++i)
                    for (int key : keys)
                        sum += attention[l][h][i][key].item<double>();
                QVERIFY(std::abs(scores[l][h].item<double>() - sum / 5) < 1e-12);
            }
    }

    void receivedMassSumsToOne()
    {
        const torch::Tensor received = meanReceivedAttention(randomAttention(2, 2, 5, true, 3));
        QVERIFY(std::abs(received.sum().item<double>() - 1.0) < 1e-12);
    }

    void rejectsBadInput()
    {
        QVERIFY_THROWS_EXCEPTION(InputError, sinkScores(randomAttention(1, 1, 1, true, 1), torch::ones({1}, torch::kBool)));
        QVERIFY_THROWS_EXCEPTION(InputError, sinkScores(randomAttention(1, 1, 4, true, 1), torch::ones({3}, torch::kBool)));
    }
};

QTEST_GUILESS_MAIN(TestSinkScore)
#include "test_sink_score.moc"
