// Chefer et al.'s generic relevance rule against plain loops; on a real classifier fixture the
// attention gradients must match finite differences of the explained logit.
#include <QtTest>

#include "core/analysis/gradient_relevance.h"
#include "core/analysis/random_attention.h"
#include "core/attention/score_block_math.h"
#include "core/io/input_error.h"

using namespace attnscope;

namespace {

// Reference softmax times a factor, to perturb one head's attention.
class ScaledSoftmax : public AttentionVariant {
public:
    explicit ScaledSoftmax(double factor) : m_factor(factor) {}
    torch::Tensor probabilities(const ScoreBlock &block) const override
    {
        return softmaxWhere(block.scores, block.allowed) * m_factor;
    }
    QString spec() const override { return QStringLiteral("scaled"); }

private:
    double m_factor;
};

} // namespace

class TestGradientRelevance : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesLoops()
    {
        const int64_t layers = 3, heads = 2, t = 4;
        const torch::Tensor attention = randomAttention(layers, heads, t, false, 12);
        torch::manual_seed(3);
        const torch::Tensor gradients = torch::randn({layers, heads, t, t}, torch::kFloat64);
        Matrix r(t, std::vector<double>(t, 0.0));
        for (int64_t i = 0; i < t; ++i)
            r[size_t(i)][size_t(i)] = 1;
        for (int64_t l = 0; l < layers; ++l) {
            Matrix a(t, std::vector<double>(t, 0.0));
            for (int64_t h = 0; h < heads; ++h)
                for (int64_t i = 0; i < t; ++i)
                    for (int64_t j = 0; j < t; ++j)
                        a[size_t(i)][size_t(j)] += std::max(0.0, gradients[l][h][i][j].item<double>()
                                                                     * attention[l][h][i][j].item<double>()) / double(heads);
            Matrix next = r;
            for (int64_t i = 0; i < t; ++i)
                for (int64_t j = 0; j < t; ++j)
                    for (int64_t k = 0; k < t; ++k)
                        next[size_t(i)][size_t(j)] += a[size_t(i)][size_t(k)] * r[size_t(k)][size_t(j)];
            r = next;
        }
        QVERIFY(maxDifference(toMatrix(gradientRelevance(attention, gradients)), r) < 1e-12);
    }

    void zeroGradientsGiveIdentity()
    {
        const torch::Tensor attention = randomAttention(2, 2, 3, false, 1);
        QVERIFY(torch::equal(gradientRelevance(attention, torch::zeros_like(attention)), torch::eye(3, torch::kFloat64)));
    }

    void rejectsMismatchedGradients()
    {
        const torch::Tensor attention = randomAttention(2, 2, 3, false, 1);
        QVERIFY_THROWS_EXCEPTION(InputError, gradientRelevance(attention, attention[0]));
    }

    void gradientsMatchFiniteDifferences_data()
    {
        QTest::addColumn<int>("layer");
        QTest::addColumn<int>("head");
        QTest::newRow("first layer, head 1") << 0 << 1;
        QTest::newRow("last layer, head 3") << 1 << 3;
    }
    void gradientsMatchFiniteDifferences()
    {
        QFETCH(int, layer);
        QFETCH(int, head);
        const std::unique_ptr<Model> model = loadModel(QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/models/encoders/vit_classifier"));
        ModelInput input;
        torch::manual_seed(0);
        input.pixelValues = torch::randn({3, 32, 32});
        const AttentionGradients gradients = attentionGradients(*model, input, -1);
        QCOMPARE(gradients.attention.sizes(), gradients.gradients.sizes());
        QCOMPARE(gradients.position, -1);
        // Scaling one head's attention by (1 ± ε) moves the logit by ±ε·Σ(∇A ⊙ A) to first order.
        const double expected = (gradients.gradients[layer][head] * gradients.attention[layer][head]).sum().item<double>();
        const double epsilon = 1e-2;
        const auto logitWithScale = [&](double factor) {
            AttentionPlan plan;
            plan.scopes.push_back({std::make_shared<ScaledSoftmax>(factor), {layer}, {head}});
            return model->forward(input, plan, nullptr)[gradients.target].item<double>();
        };
        const double measured = (logitWithScale(1 + epsilon) - logitWithScale(1 - epsilon)) / (2 * epsilon);
        QVERIFY2(std::abs(measured - expected) <= 0.02 * std::abs(expected) + 1e-4,
                 qPrintable(QStringLiteral("finite difference %1, gradient %2").arg(measured).arg(expected)));
    }
};

QTEST_GUILESS_MAIN(TestGradientRelevance)
#include "test_gradient_relevance.moc"
