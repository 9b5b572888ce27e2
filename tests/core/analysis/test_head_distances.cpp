// Jensen–Shannon head distances against the formula, and classical MDS recovering a known
// 2-D configuration up to rotation and reflection.
#include <cmath>

#include <QtTest>

#include "core/analysis/head_distances.h"
#include "core/analysis/mds.h"
#include "core/analysis/random_attention.h"

using namespace attnscope;

namespace {

double kl(const std::vector<double> &p, const std::vector<double> &m)
{
    double sum = 0;
    for (size_t j = 0; j < p.size(); ++j)
        if (p[j] > 0)
            sum += p[j] * std::log2(p[j] / m[j]); // bits
    return sum;
}

double referenceDistance(const Matrix &a, const Matrix &b)
{
    double total = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        std::vector<double> m(a[i].size());
        for (size_t j = 0; j < m.size(); ++j)
            m[j] = 0.5 * (a[i][j] + b[i][j]);
        total += 0.5 * kl(a[i], m) + 0.5 * kl(b[i], m);
    }
    return total;
}

torch::Tensor pairwiseEuclidean(const torch::Tensor &points)
{
    return (points.unsqueeze(1) - points.unsqueeze(0)).square().sum(-1).sqrt();
}

} // namespace

class TestHeadDistances : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void jensenShannonMatchesFormula_data()
    {
        QTest::addColumn<bool>("causal");
        QTest::newRow("bidirectional") << false;
        QTest::newRow("causal (zeros in both heads)") << true;
    }
    void jensenShannonMatchesFormula()
    {
        QFETCH(bool, causal);
        const torch::Tensor attention = randomAttention(2, 3, 5, causal, 4);
        const torch::Tensor distances = headJensenShannonDistances(attention);
        QCOMPARE(distances.sizes(), (std::vector<int64_t>{6, 6}));
        for (int64_t a = 0; a < 6; ++a)
            for (int64_t b = 0; b < 6; ++b) {
                const double expected = referenceDistance(toMatrix(attention[a / 3][a % 3]), toMatrix(attention[b / 3][b % 3]));
                QVERIFY(std::abs(distances[a][b].item<double>() - expected) < 1e-12);
            }
    }

    // Heads that never attend the same key are as far apart as JS allows: one bit per row.
    void disjointHeadsAreOneBitPerRow()
    {
        torch::Tensor attention = torch::zeros({1, 2, 3, 3}, torch::kFloat64);
        attention[0][0].select(1, 0).fill_(1);
        attention[0][1].select(1, 2).fill_(1);
        QVERIFY(std::abs(headJensenShannonDistances(attention)[0][1].item<double>() - 3.0) < 1e-12);
    }

    void mdsRecoversConfiguration_data()
    {
        QTest::addColumn<int>("points");
        QTest::newRow("triangle") << 3;
        QTest::newRow("8 points") << 8;
        QTest::newRow("40 points") << 40;
    }
    void mdsRecoversConfiguration()
    {
        QFETCH(int, points);
        torch::manual_seed(points);
        const torch::Tensor configuration = torch::randn({points, 2}, torch::kFloat64) * 3;
        const torch::Tensor embedded = classicalMds(pairwiseEuclidean(configuration));
        QCOMPARE(embedded.sizes(), (std::vector<int64_t>{points, 2}));
        // Same pairwise distances = the same configuration up to rotation, reflection and shift.
        QVERIFY(torch::allclose(pairwiseEuclidean(embedded), pairwiseEuclidean(configuration), 0, 1e-9));
        QVERIFY(torch::allclose(embedded.mean(0), torch::zeros({2}, torch::kFloat64), 0, 1e-9));
    }

    void mdsOfCollinearPointsHasAZeroAxis()
    {
        const torch::Tensor line = torch::tensor({0.0, 1.0, 3.0, 7.0}, torch::kFloat64).unsqueeze(1);
        const torch::Tensor embedded = classicalMds((line - line.t()).abs());
        QVERIFY(torch::allclose(embedded.select(1, 1), torch::zeros({4}, torch::kFloat64), 0, 1e-6));
        QVERIFY(torch::allclose(pairwiseEuclidean(embedded), (line - line.t()).abs(), 0, 1e-9));
    }
};

QTEST_GUILESS_MAIN(TestHeadDistances)
#include "test_head_distances.moc"
