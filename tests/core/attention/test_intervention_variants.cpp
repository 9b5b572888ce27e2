// Variants that intervene on the reference map: steering (PASTA), head ablation, sink
// removal and the differential preview, each against its definition.

#include <QtTest>

#include "core/io/input_error.h"
#include "synthetic_attention.h"

using namespace attnscope;
using namespace attnscope::test;

namespace {

AttentionInputs causalInputs()
{
    LayerShape shape;
    shape.causal = true;
    shape.kvHeads = 2;
    return makeInputs(shape);
}

torch::Tensor reference(const AttentionInputs &inputs)
{
    return layerProbabilities(QStringLiteral("softmax"), inputs);
}

} // namespace

class TestInterventionVariants : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void steeringWithAlphaOneIsReference()
    {
        const AttentionInputs inputs = causalInputs();
        QVERIFY(torch::allclose(layerProbabilities(QStringLiteral("steer:highlight=3-6,alpha=1"), inputs, 5),
                                reference(inputs), 1e-6, 1e-7));
    }

    void steeringScalesOtherKeys_data()
    {
        QTest::addColumn<double>("alpha");
        for (double alpha : {0.5, 0.1, 0.01})
            QTest::addRow("alpha=%g", alpha) << alpha;
    }

    void steeringScalesOtherKeys()
    {
        QFETCH(double, alpha);
        const AttentionInputs inputs = causalInputs();
        const torch::Tensor steered =
            layerProbabilities(QStringLiteral("steer:highlight=3-6,10,alpha=%1").arg(alpha), inputs, 4);
        torch::Tensor factor = torch::full({24}, alpha);
        factor.slice(0, 3, 7).fill_(1);
        factor[10] = 1;
        const torch::Tensor weighted = reference(inputs) * factor;
        QVERIFY(torch::allclose(steered, weighted / weighted.sum(-1, true), 1e-6, 1e-7));
        // Rows that can see a highlighted token give it more attention than before.
        const torch::Tensor highlighted = factor == 1;
        const torch::Tensor before = (reference(inputs) * highlighted).sum(-1).slice(1, 3);
        const torch::Tensor after = (steered * highlighted).sum(-1).slice(1, 3);
        QVERIFY((after > before).all().item<bool>());
    }

    void steeringBeyondInputIsBadInput()
    {
        QVERIFY_THROWS_EXCEPTION(InputError,
                                 layerProbabilities(QStringLiteral("steer:highlight=30"), causalInputs()));
    }

    void zeroAblationRemovesTheHead()
    {
        const torch::Tensor p = layerProbabilities(QStringLiteral("ablate"), causalInputs());
        QCOMPARE(p.abs().max().item<double>(), 0.0);
    }

    // Mean ablation: row i is the mean of reference rows 0…i (causal) or of all rows.
    void meanAblationAveragesRows_data()
    {
        QTest::addColumn<bool>("causal");
        QTest::newRow("causal") << true;
        QTest::newRow("encoder") << false;
    }

    void meanAblationAveragesRows()
    {
        QFETCH(bool, causal);
        LayerShape shape;
        shape.causal = causal;
        shape.queries = shape.keys = 300; // longer than one chunk of rows
        const AttentionInputs inputs = makeInputs(shape);
        const torch::Tensor p = layerProbabilities(QStringLiteral("ablate:mode=mean"), inputs, 70);
        const torch::Tensor ref = reference(inputs).to(torch::kFloat64);
        const torch::Tensor expected =
            causal ? ref.cumsum(1) / torch::arange(1, 301, torch::kFloat64).view({1, -1, 1})
                   : ref.mean(1, true).expand_as(ref);
        QVERIFY(torch::allclose(p.to(torch::kFloat64), expected, 1e-5, 1e-7));
    }

    void sinkRemovalRenormalizesTheRest()
    {
        const AttentionInputs inputs = causalInputs();
        const torch::Tensor p = layerProbabilities(QStringLiteral("nosink:first=2"), inputs, 5);
        const torch::Tensor ref = reference(inputs);
        // Rows 0 and 1 see only sinks and keep the reference.
        QVERIFY(torch::allclose(p.slice(1, 0, 2), ref.slice(1, 0, 2)));
        const torch::Tensor rest = ref.slice(1, 2).clone();
        rest.slice(2, 0, 2).zero_();
        QVERIFY(torch::allclose(p.slice(1, 2), rest / rest.sum(-1, true), 1e-6, 1e-7));
    }

    // Detection removes, per head, the keys whose mean received attention reaches the level.
    void sinkDetectionFindsHeavyKeys()
    {
        LayerShape shape;
        shape.causal = true;
        AttentionInputs inputs = makeInputs(shape);
        // Make key 5 a strong sink for head 0 only: every query of head 0 scores it highly.
        inputs.q[0].select(1, 0).fill_(3.0);
        inputs.k[0][5].zero_();
        inputs.k[0][5][0] = 10.0;
        const torch::Tensor p = layerProbabilities(QStringLiteral("nosink:first=0,detect=0.3"), inputs, 5);
        const torch::Tensor ref = reference(inputs);
        const torch::Tensor received = ref.sum(1) / layerAllowed(inputs).sum(0);
        QVERIFY(received[0][5].item<double>() >= 0.3);
        QCOMPARE(p[0].select(1, 5).slice(0, 5).abs().max().item<double>(), 0.0);
        for (int64_t h = 1; h < 4; ++h)
            if ((received[h] < 0.3).all().item<bool>())
                QVERIFY(torch::allclose(p[h], ref[h]));
    }

    void differentialSubtractsPartner()
    {
        const AttentionInputs inputs = causalInputs();
        const torch::Tensor p = layerProbabilities(QStringLiteral("diff:partner=3,lambda=0.25"), inputs, 5);
        const torch::Tensor ref = reference(inputs);
        const torch::Tensor partner = ref.index_select(0, torch::tensor({3, 0, 1, 2}));
        QVERIFY(torch::allclose(p, ref - 0.25 * partner, 1e-6, 1e-7));
        QVERIFY(torch::allclose(p.sum(-1), torch::full({4, 24}, 0.75), 1e-5, 1e-6));
    }
};

QTEST_GUILESS_MAIN(TestInterventionVariants)
#include "test_intervention_variants.moc"
