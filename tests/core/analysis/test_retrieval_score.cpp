// Retrieval score (Wu et al. 2024) on hand-built attention rows, and the needle layout.
#include <QtTest>

#include "core/analysis/retrieval_score.h"
#include "core/io/input_error.h"

using namespace attnscope;

class TestRetrievalScore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void countsCopiedNeedleTokens()
    {
        // Keys: 0 = BOS, 1..4 = needle (ids 7 8 9 7), 5 = filler. Three generated tokens.
        const torch::Tensor context = torch::tensor({1, 7, 8, 9, 7, 5}, torch::kLong);
        const torch::Tensor generated = torch::tensor({7, 8, 5}, torch::kLong);
        torch::Tensor rows = torch::full({1, 4, 3, 6}, 0.01, torch::kFloat64);
        const auto point = [&](int head, int step, int key) { rows[0][head][step][key] = 0.9; };
        point(0, 0, 1); point(0, 1, 2); point(0, 2, 5);    // copies 7 and 8: 2 of 4
        point(1, 0, 1); point(1, 1, 1); point(1, 2, 1);    // key 1 counted once; step 1 is a wrong token
        point(2, 0, 3); point(2, 1, 3); point(2, 2, 0);    // attends the needle but the token differs
        point(3, 0, 4); point(3, 1, 2); point(3, 2, 4);    // second 7 and 8: 2 of 4
        const torch::Tensor scores = retrievalScores(rows, context, generated, 1, 5);
        QVERIFY(torch::allclose(scores, torch::tensor({{0.5, 0.25, 0.0, 0.5}}, torch::kFloat64)));
    }

    void needleLayout_data()
    {
        QTest::addColumn<double>("depth");
        QTest::addColumn<bool>("keepFirst");
        QTest::addColumn<int>("needleBegin");
        QTest::newRow("middle, after BOS") << 0.5 << true << 3;
        QTest::newRow("start, after BOS") << 0.0 << true << 1;
        QTest::newRow("end") << 1.0 << false << 5;
    }
    void needleLayout()
    {
        QFETCH(double, depth);
        QFETCH(bool, keepFirst);
        QFETCH(int, needleBegin);
        const torch::Tensor haystack = torch::tensor({1, 20, 21, 22, 23}, torch::kLong);
        const torch::Tensor needle = torch::tensor({40, 41}, torch::kLong);
        const NeedleInput input = needleInHaystack(haystack, needle, depth, keepFirst);
        QCOMPARE(input.ids.size(0), 9);
        QCOMPARE(input.needleBegin, needleBegin);
        QCOMPARE(input.answerBegin, 7);
        QVERIFY(torch::equal(input.ids.narrow(0, needleBegin, 2), needle));
        QVERIFY(torch::equal(input.ids.narrow(0, 7, 2), needle));
    }

    void rejectsMismatch()
    {
        const torch::Tensor rows = torch::full({1, 1, 2, 4}, 0.25, torch::kFloat64);
        QVERIFY_THROWS_EXCEPTION(InputError, retrievalScores(rows, torch::zeros({3}, torch::kLong), torch::zeros({2}, torch::kLong), 0, 2));
        QVERIFY_THROWS_EXCEPTION(InputError, retrievalScores(rows, torch::zeros({4}, torch::kLong), torch::zeros({2}, torch::kLong), 2, 2));
    }
};

QTEST_GUILESS_MAIN(TestRetrievalScore)
#include "test_retrieval_score.moc"
