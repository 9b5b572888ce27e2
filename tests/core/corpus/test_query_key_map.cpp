// The joint query–key map (AttentionViz): PCA equals the projection on the top two
// eigenvectors of the covariance (another route than the SVD it uses), with the same sign
// rule; the map does not move when every key is shifted by one vector (softmax ignores it),
// and keys equal to the queries land on their queries.
#include <QtTest>

#include <torch/torch.h>

#include "core/corpus/query_key_map.h"

using namespace attnscope;

namespace {

torch::Tensor covarianceProjection(const torch::Tensor &points)
{
    const torch::Tensor centred = points - points.mean(0, true);
    const torch::Tensor covariance = centred.t().matmul(centred) / double(points.size(0) - 1);
    const auto [values, vectors] = torch::linalg_eigh(covariance);
    const int64_t d = vectors.size(1);
    torch::Tensor projected = torch::stack({centred.matmul(vectors.select(1, d - 1)), centred.matmul(vectors.select(1, d - 2))}, 1);
    for (int64_t axis = 0; axis < 2; ++axis) {
        torch::Tensor column = projected.select(1, axis);
        double largest = 0;
        for (int64_t i = 0; i < column.size(0); ++i)
            if (std::abs(column[i].item<double>()) > std::abs(largest))
                largest = column[i].item<double>();
        if (largest < 0)
            column.neg_();
    }
    return projected;
}

} // namespace

class TestQueryKeyMap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pcaEqualsTheCovarianceEigenvectors()
    {
        torch::manual_seed(3);
        // Anisotropic points, so the two leading directions are well apart.
        const torch::Tensor points = torch::randn({50, 6}, torch::kFloat64) * torch::tensor({5.0, 3.0, 1.0, 0.5, 0.2, 0.1}, torch::kFloat64)
                                     + 2.0;
        const torch::Tensor mapped = principalComponents(points);
        QCOMPARE(mapped.sizes().vec(), (std::vector<int64_t>{50, 2}));
        QVERIFY((mapped - covarianceProjection(points)).abs().max().item<double>() < 1e-9);
    }

    void keyShiftsDoNotMoveTheMap()
    {
        torch::manual_seed(4);
        const torch::Tensor q = torch::randn({30, 8}, torch::kFloat64) * 2, k = torch::randn({30, 8}, torch::kFloat64);
        const torch::Tensor map = jointQueryKeyMap(q, k);
        QCOMPARE(map.size(0), int64_t(60));
        const torch::Tensor shifted = jointQueryKeyMap(q, k + torch::randn({1, 8}, torch::kFloat64) * 10);
        QVERIFY((map - shifted).abs().max().item<double>() < 1e-9);
        // Keys equal to the queries land on them: nothing moves or scales one set alone.
        const torch::Tensor same = jointQueryKeyMap(q, q);
        QVERIFY((same.narrow(0, 0, 30) - same.narrow(0, 30, 30)).abs().max().item<double>() < 1e-9);
    }
};

QTEST_GUILESS_MAIN(TestQueryKeyMap)
#include "test_query_key_map.moc"
