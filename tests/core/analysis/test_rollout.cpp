// Rollout against a plain-loop reference of Abnar & Zuidema's formula, with fusion, discard
// ratio (the kept CLS row) and start layer.
#include <algorithm>
#include <numeric>

#include <QtTest>

#include "core/analysis/rollout.h"
#include "core/io/input_error.h"
#include "core/analysis/random_attention.h"

using namespace attnscope;

namespace {

Matrix referenceLayer(const torch::Tensor &attention, int64_t layer, const RolloutSettings &s)
{
    const int64_t heads = attention.size(1);
    const int64_t t = attention.size(2);
    Matrix fused(t, std::vector<double>(t));
    for (int64_t i = 0; i < t; ++i)
        for (int64_t j = 0; j < t; ++j) {
            std::vector<double> values;
            for (int64_t h = 0; h < heads; ++h)
                values.push_back(attention[layer][h][i][j].item<double>());
            fused[i][j] = s.fusion == HeadFusion::Max ? *std::max_element(values.begin(), values.end())
                        : s.fusion == HeadFusion::Min ? *std::min_element(values.begin(), values.end())
                        : std::accumulate(values.begin(), values.end(), 0.0) / double(heads);
        }
    std::vector<int64_t> candidates;
    for (int64_t flat = 0; flat < t * t; ++flat)
        if (flat / t != s.keepRow)
            candidates.push_back(flat);
    std::stable_sort(candidates.begin(), candidates.end(), [&](int64_t a, int64_t b) {
        return fused[a / t][a % t] < fused[b / t][b % t];
    });
    const auto discard = static_cast<size_t>(std::floor(s.discardRatio * double(candidates.size())));
    for (size_t n = 0; n < discard; ++n)
        fused[candidates[n] / t][candidates[n] % t] = 0;
    for (int64_t i = 0; i < t; ++i) {
        if (s.residual)
            for (int64_t j = 0; j < t; ++j)
                fused[i][j] = 0.5 * (fused[i][j] + (i == j ? 1.0 : 0.0));
        const double sum = std::accumulate(fused[i].begin(), fused[i].end(), 0.0);
        for (int64_t j = 0; j < t && sum > 0; ++j)
            fused[i][j] /= sum;
    }
    return fused;
}

Matrix multiply(const Matrix &a, const Matrix &b)
{
    Matrix c(a.size(), std::vector<double>(b[0].size(), 0.0));
    for (size_t i = 0; i < a.size(); ++i)
        for (size_t k = 0; k < b.size(); ++k)
            for (size_t j = 0; j < b[0].size(); ++j)
                c[i][j] += a[i][k] * b[k][j];
    return c;
}

} // namespace

class TestRollout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesReference_data()
    {
        QTest::addColumn<int>("fusion");
        QTest::addColumn<bool>("residual");
        QTest::addColumn<double>("discardRatio");
        QTest::addColumn<int>("keepRow");
        QTest::addColumn<int>("startLayer");
        QTest::addColumn<bool>("causal");
        QTest::newRow("mean") << int(HeadFusion::Mean) << true << 0.0 << 0 << 0 << false;
        QTest::newRow("max") << int(HeadFusion::Max) << true << 0.0 << 0 << 0 << false;
        QTest::newRow("min") << int(HeadFusion::Min) << true << 0.0 << 0 << 0 << false;
        QTest::newRow("no residual") << int(HeadFusion::Mean) << false << 0.0 << 0 << 0 << false;
        QTest::newRow("discard 0.3 keep CLS") << int(HeadFusion::Mean) << true << 0.3 << 0 << 0 << false;
        QTest::newRow("discard 0.9 keep row 2") << int(HeadFusion::Max) << true << 0.9 << 2 << 0 << false;
        QTest::newRow("discard 0.5 keep none") << int(HeadFusion::Mean) << true << 0.5 << -1 << 0 << false;
        QTest::newRow("discard, no residual") << int(HeadFusion::Min) << false << 0.6 << 0 << 0 << false;
        QTest::newRow("start layer 2") << int(HeadFusion::Mean) << true << 0.0 << 0 << 2 << false;
        QTest::newRow("causal, discard, start 1") << int(HeadFusion::Mean) << true << 0.4 << 0 << 1 << true;
    }
    void matchesReference()
    {
        QFETCH(int, fusion);
        QFETCH(bool, residual);
        QFETCH(double, discardRatio);
        QFETCH(int, keepRow);
        QFETCH(int, startLayer);
        QFETCH(bool, causal);
        const torch::Tensor attention = randomAttention(4, 3, 6, causal, 7);
        RolloutSettings settings;
        settings.fusion = HeadFusion(fusion);
        settings.residual = residual;
        settings.discardRatio = discardRatio;
        settings.keepRow = keepRow;
        settings.startLayer = startLayer;
        const torch::Tensor steps = attentionRollout(attention, settings);
        QCOMPARE(steps.size(0), 4 - startLayer);
        Matrix expected = referenceLayer(attention, startLayer, settings);
        QVERIFY(maxDifference(toMatrix(steps[0]), expected) < 1e-12);
        for (int layer = startLayer + 1; layer < 4; ++layer) {
            expected = multiply(referenceLayer(attention, layer, settings), expected);
            QVERIFY(maxDifference(toMatrix(steps[layer - startLayer]), expected) < 1e-12);
        }
        if (residual) // rows of a product of row-stochastic matrices sum to one
            QVERIFY(torch::allclose(steps[-1].sum(-1), torch::ones({6}, torch::kFloat64)));
    }

    void keptRowIsNeverDiscarded()
    {
        RolloutSettings settings;
        settings.residual = false;
        settings.discardRatio = 0.9;
        const torch::Tensor fused = randomAttention(1, 1, 5, false, 3)[0][0];
        const torch::Tensor matrix = rolloutLayerMatrix(fused, settings);
        QVERIFY(torch::allclose(matrix[0], fused[0] / fused[0].sum()));
        QVERIFY((matrix.slice(0, 1) == 0).sum().item<int64_t>() >= int64_t(0.9 * 20));
    }

    void rejectsBadInput_data()
    {
        QTest::addColumn<QString>("problem");
        QTest::newRow("3-D tensor") << "3d";
        QTest::newRow("not square") << "rect";
        QTest::newRow("start layer past the end") << "start";
        QTest::newRow("NaN") << "nan";
        QTest::newRow("negative") << "negative";
    }
    void rejectsBadInput()
    {
        QFETCH(QString, problem);
        torch::Tensor attention = randomAttention(2, 2, 4, false, 1);
        RolloutSettings settings;
        if (problem == QLatin1String("3d"))
            attention = attention[0];
        else if (problem == QLatin1String("rect"))
            attention = attention.slice(3, 0, 3);
        else if (problem == QLatin1String("start"))
            settings.startLayer = 2;
        else if (problem == QLatin1String("nan"))
            attention[0][0][0][0] = NAN;
        else
            attention[1][1][1][1] = -0.5;
        QVERIFY_THROWS_EXCEPTION(InputError, attentionRollout(attention, settings));
    }
};

QTEST_GUILESS_MAIN(TestRollout)
#include "test_rollout.moc"
