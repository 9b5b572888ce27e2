// Variants that replace softmax by another normalizer, each checked against its defining
// formula computed independently here.

#include <QtTest>

#include "core/io/input_error.h"
#include "synthetic_attention.h"

using namespace attnscope;
using namespace attnscope::test;

namespace {

torch::Tensor layerScores(const AttentionInputs &inputs)
{
    return scoreRows(inputs, allHeads(inputs), 0, inputs.queries()).scores;
}

// 1.5-entmax of one row by bisection on τ: Σ max(z/2 − τ, 0)² = 1 (double precision).
std::vector<double> entmaxByBisection(const std::vector<double> &scores)
{
    double top = -INFINITY;
    for (double s : scores)
        top = std::max(top, s / 2);
    double low = top - 1; // mass ≥ 1 here
    double high = top;    // mass 0 here
    const auto mass = [&](double tau) {
        double total = 0;
        for (double s : scores)
            if (std::isfinite(s))
                total += std::pow(std::max(s / 2 - tau, 0.0), 2);
        return total;
    };
    for (int step = 0; step < 200; ++step) {
        const double mid = (low + high) / 2;
        (mass(mid) > 1 ? low : high) = mid;
    }
    std::vector<double> p;
    for (double s : scores)
        p.push_back(std::isfinite(s) ? std::pow(std::max(s / 2 - low, 0.0), 2) : 0.0);
    return p;
}

} // namespace

class TestNormalizerVariants : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Two scores (t, 0): sparsemax = ((t+1)/2, (1−t)/2) for |t| ≤ 1, else one-hot.
    void sparsemaxTwoKeysClosedForm_data()
    {
        QTest::addColumn<double>("t");
        for (double t : {-3.0, -1.0, -0.4, 0.0, 0.25, 0.9, 1.0, 2.5})
            QTest::addRow("t=%g", t) << t;
    }

    void sparsemaxTwoKeysClosedForm()
    {
        QFETCH(double, t);
        LayerShape shape;
        shape.heads = shape.kvHeads = 1;
        shape.queries = 1;
        shape.keys = 2;
        shape.dim = 1;
        AttentionInputs inputs = makeInputs(shape);
        inputs.scale = 1;
        inputs.q = torch::ones({1, 1, 1});
        inputs.k = torch::tensor({t, 0.0}, torch::kFloat).view({1, 2, 1});
        const torch::Tensor p = layerProbabilities(QStringLiteral("sparsemax"), inputs);
        const double first = t > 1 ? 1.0 : t < -1 ? 0.0 : (t + 1) / 2;
        QVERIFY(std::abs(p[0][0][0].item<double>() - first) < 1e-6);
        QVERIFY(std::abs(p[0][0][1].item<double>() - (1 - first)) < 1e-6);
    }

    // On any row: p = max(z − τ, 0) with τ = (Σ_{support} z − 1) / |support|, and every key
    // outside the support scores at most τ (the projection's optimality conditions).
    void sparsemaxMatchesClosedForm()
    {
        LayerShape shape;
        shape.causal = true;
        const AttentionInputs inputs = makeInputs(shape, 11, 3.0);
        const torch::Tensor p = layerProbabilities(QStringLiteral("sparsemax"), inputs, 7);
        const torch::Tensor z = layerScores(inputs);
        const torch::Tensor support = p > 0;
        const torch::Tensor tau = (z.masked_fill(support.logical_not(), 0).sum(-1, true) - 1)
                                  / support.sum(-1, true);
        QVERIFY(torch::allclose(p, (z - tau).clamp_min(0), 1e-5, 1e-6));
        QVERIFY((z.masked_fill(support, -INFINITY) <= tau + 1e-6).all().item<bool>());
        QVERIFY(support.sum(-1).lt(layerAllowed(inputs).sum(-1)).any().item<bool>()); // it is sparse
    }

    void entmaxMatchesBisection()
    {
        LayerShape shape;
        shape.causal = true;
        const AttentionInputs inputs = makeInputs(shape, 5, 3.0);
        const torch::Tensor p = layerProbabilities(QStringLiteral("entmax"), inputs, 5);
        const torch::Tensor z = layerScores(inputs).to(torch::kFloat64);
        for (int64_t h = 0; h < shape.heads; ++h)
            for (int64_t i = 0; i < shape.queries; ++i) {
                const torch::Tensor row = z[h][i].contiguous();
                const std::vector<double> expected = entmaxByBisection(
                    std::vector<double>(row.data_ptr<double>(), row.data_ptr<double>() + row.numel()));
                for (int64_t j = 0; j < shape.keys; ++j)
                    QVERIFY(std::abs(p[h][i][j].item<double>() - expected[size_t(j)]) < 1e-5);
            }
        QVERIFY((p == 0).logical_and(layerAllowed(inputs)).any().item<bool>()); // it is sparse
    }

    void simpleFormulas_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::newRow("softmax") << "softmax";
        QTest::newRow("temperature") << "softmax:temperature=0.5";
        QTest::newRow("chunked") << "chunked:chunk=5";
        QTest::newRow("sigmoid") << "sigmoid";
        QTest::newRow("relu") << "relu";
        QTest::newRow("linear") << "linear";
    }

    void simpleFormulas()
    {
        QFETCH(QString, spec);
        LayerShape shape;
        shape.causal = true;
        shape.kvHeads = 2;
        const AttentionInputs inputs = makeInputs(shape);
        const torch::Tensor allowed = layerAllowed(inputs);
        const torch::Tensor z = layerScores(inputs);
        torch::Tensor expected;
        if (spec == QLatin1String("softmax") || spec.startsWith(QLatin1String("chunked")))
            expected = torch::softmax(z, -1);
        else if (spec.startsWith(QLatin1String("softmax:")))
            expected = torch::softmax(z / 0.5, -1);
        else if (spec == QLatin1String("sigmoid"))
            expected = torch::sigmoid(z - std::log(24.0));
        else if (spec == QLatin1String("relu")) {
            const torch::Tensor r = torch::relu(z);
            expected = r / r.sum(-1, true).clamp_min(1e-30);
        } else {
            const torch::Tensor k = inputs.k.repeat_interleave(2, 0);
            const torch::Tensor w = torch::matmul(torch::elu(inputs.q) + 1,
                                                  (torch::elu(k) + 1).transpose(1, 2)) * allowed;
            expected = w / w.sum(-1, true);
        }
        // The formula in fp32, up to rounding: z / τ may round differently from the kernel's
        // scaled scores, which moves a large weight by a few fp32 ulps.
        const torch::Tensor got = layerProbabilities(spec, inputs, 6);
        QVERIFY2(torch::allclose(got, expected, 1e-5, 1e-7),
                 qPrintable(QString::number((got - expected).abs().max().item<double>())));
    }

    // FAVOR+ approximates softmax better with more features (averaged over seeds), and a
    // fixed seed gives the same map twice.
    void performerConvergesWithFeatures()
    {
        LayerShape shape;
        shape.causal = true;
        shape.dim = 16;
        // Moderate norms: FAVOR+'s variance grows like exp(|q + k|²), and only there does the
        // Monte Carlo error show its 1/√m fall within a few thousand features.
        const AttentionInputs inputs = makeInputs(shape, 3, 0.4);
        const torch::Tensor reference = layerProbabilities(QStringLiteral("softmax"), inputs);
        std::vector<double> errors;
        for (int features : {4, 32, 256, 2048}) {
            double error = 0;
            for (int seed = 0; seed < 4; ++seed) {
                const torch::Tensor approximate = layerProbabilities(
                    QStringLiteral("performer:features=%1,seed=%2").arg(features).arg(seed), inputs);
                error += (approximate - reference).abs().sum(-1).mean().item<double>() / 4;
            }
            errors.push_back(error);
            qInfo("Performer, %d features: mean L1 row error %.4f", features, error);
        }
        for (size_t n = 1; n < errors.size(); ++n)
            QVERIFY2(errors[n] < errors[n - 1],
                     qPrintable(QStringLiteral("error %1 with more features vs %2").arg(errors[n]).arg(errors[n - 1])));
        // 512× the features: 1/√m predicts 1/22 of the error; an estimator with a bias stalls.
        QVERIFY2(errors.back() < errors.front() / 15, qPrintable(QString::number(errors.back() / errors.front())));
        const QString spec = QStringLiteral("performer:features=32,seed=9");
        QVERIFY(torch::equal(layerProbabilities(spec, inputs), layerProbabilities(spec, inputs)));
        QVERIFY(!torch::equal(layerProbabilities(spec, inputs),
                              layerProbabilities(QStringLiteral("performer:features=32,seed=10"), inputs)));
    }

    // Random features estimate exp(q·k): with Gemma 2's soft cap the variant says it cannot,
    // rather than approximating another function than the model's.
    void performerRefusesSoftCappedScores()
    {
        LayerShape shape;
        shape.causal = true;
        AttentionInputs inputs = makeInputs(shape);
        inputs.softCap = 50;
        try {
            layerProbabilities(QStringLiteral("performer:features=32,seed=1"), inputs);
            QFAIL("performer ran on soft-capped scores");
        } catch (const InputError &error) {
            QVERIFY2(error.problem().contains(QStringLiteral("attn_logit_softcapping")), error.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestNormalizerVariants)
#include "test_normalizer_variants.moc"
