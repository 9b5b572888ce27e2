// Selection variants keep exactly the keys their definition names, then renormalize softmax
// over them: patterns are checked against plain loops over (query, key) positions.

#include <functional>

#include <QtTest>

#include "synthetic_attention.h"

using namespace attnscope;
using namespace attnscope::test;

namespace {

using Rule = std::function<bool(int64_t i, int64_t j)>; // query i keeps key j (before masking)

const std::map<QString, Rule> &patternRules()
{
    static const std::map<QString, Rule> rules = {
        {"window:size=3", [](int64_t i, int64_t j) { return std::abs(i - j) < 3; }},
        {"window:size=1", [](int64_t i, int64_t j) { return i == j; }},
        {"sinks:sinks=2,window=3",
         [](int64_t i, int64_t j) { return j < 2 || std::abs(i - j) < 3; }},
        {"sinks:sinks=0,window=2", [](int64_t i, int64_t j) { return std::abs(i - j) < 2; }},
        {"dilated:size=3,dilation=3",
         [](int64_t i, int64_t j) { return std::abs(i - j) % 3 == 0 && std::abs(i - j) < 9; }},
        {"strided:stride=4",
         [](int64_t i, int64_t j) { return std::abs(i - j) < 4 || std::abs(i - j) % 4 == 0; }},
        {"power:window=1,sinks=0",
         [](int64_t i, int64_t j) {
             const int64_t d = std::abs(i - j);
             return d == 0 || d == 1 || d == 2 || d == 4 || d == 8 || d == 16;
         }},
        {"power:window=3,sinks=2",
         [](int64_t i, int64_t j) {
             const int64_t d = std::abs(i - j);
             return j < 2 || d < 3 || d == 4 || d == 8 || d == 16;
         }},
        {"lsg:local=2,stride=5,global=2",
         [](int64_t i, int64_t j) { return std::abs(i - j) < 2 || j % 5 == 0 || j < 2 || i < 2; }},
    };
    return rules;
}

// [H, T, S] bool: the entries a variant gave any probability.
torch::Tensor keptEntries(const QString &spec, const AttentionInputs &inputs)
{
    return layerProbabilities(spec, inputs, 5) > 0;
}

} // namespace

class TestSelectionVariants : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void patternsAreExact_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<bool>("causal");
        for (const auto &[spec, rule] : patternRules()) {
            QTest::newRow((spec + QStringLiteral(" encoder")).toUtf8().constData()) << spec << false;
            QTest::newRow((spec + QStringLiteral(" causal")).toUtf8().constData()) << spec << true;
        }
    }

    void patternsAreExact()
    {
        QFETCH(QString, spec);
        QFETCH(bool, causal);
        LayerShape shape;
        shape.causal = causal;
        const AttentionInputs inputs = makeInputs(shape);
        const torch::Tensor kept = keptEntries(spec, inputs);
        const Rule &rule = patternRules().at(spec);
        for (int64_t h = 0; h < shape.heads; ++h)
            for (int64_t i = 0; i < shape.queries; ++i)
                for (int64_t j = 0; j < shape.keys; ++j) {
                    const bool expected = rule(i, j) && (!causal || j <= i);
                    if (kept[h][i][j].item<bool>() != expected)
                        QFAIL(qPrintable(QStringLiteral("%1: head %2 query %3 key %4 should be %5")
                                             .arg(spec).arg(h).arg(i).arg(j)
                                             .arg(expected ? "kept" : "dropped")));
                }
    }

    // Kept keys get exactly softmax renormalized over the kept set.
    void renormalizesSoftmax()
    {
        const AttentionInputs inputs = makeInputs(LayerShape{});
        const torch::Tensor probabilities = layerProbabilities(QStringLiteral("window:size=3"), inputs);
        const torch::Tensor scores = scoreRows(inputs, allHeads(inputs), 0, 24).scores;
        const torch::Tensor expected = torch::softmax(
            scores.masked_fill((probabilities > 0).logical_not(), -INFINITY), -1);
        QVERIFY(torch::allclose(probabilities, expected, 1e-6, 1e-7));
    }

    void topkKeepsExactlyK_data()
    {
        QTest::addColumn<int>("k");
        QTest::addColumn<bool>("causal");
        for (int k : {1, 3, 24, 100}) {
            QTest::addRow("k=%d encoder", k) << k << false;
            QTest::addRow("k=%d causal", k) << k << true;
        }
    }

    void topkKeepsExactlyK()
    {
        QFETCH(int, k);
        QFETCH(bool, causal);
        LayerShape shape;
        shape.causal = causal;
        shape.kvHeads = 2;
        const AttentionInputs inputs = makeInputs(shape);
        const torch::Tensor kept = keptEntries(QStringLiteral("topk:k=%1").arg(k), inputs);
        const torch::Tensor allowedCount = layerAllowed(inputs).sum(-1);
        QVERIFY(torch::equal(kept.sum(-1), allowedCount.clamp_max(k).expand({4, -1})));
        // The kept keys are the highest scores: the lowest kept beats the highest dropped.
        const torch::Tensor scores = scoreRows(inputs, allHeads(inputs), 0, 24).scores;
        const torch::Tensor lowestKept = std::get<0>(scores.masked_fill(kept.logical_not(), INFINITY).min(-1));
        const torch::Tensor highestDropped = std::get<0>(scores.masked_fill(kept, -INFINITY).max(-1));
        QVERIFY((lowestKept >= highestDropped).all().item<bool>());
    }

    // Loki with every principal component ranks keys by their exact scores: top-k.
    void lokiFullRankIsTopk()
    {
        LayerShape shape;
        shape.causal = true;
        const AttentionInputs inputs = makeInputs(shape);
        QVERIFY(torch::allclose(layerProbabilities(QStringLiteral("loki:rank=8,k=5"), inputs),
                                layerProbabilities(QStringLiteral("topk:k=5"), inputs), 1e-6, 1e-7));
        const torch::Tensor kept = keptEntries(QStringLiteral("loki:rank=2,k=5"), inputs);
        QVERIFY(torch::equal(kept.sum(-1), layerAllowed(inputs).sum(-1).clamp_max(5).expand({4, -1})));
    }

    void toppKeepsTheSmallestNucleus_data()
    {
        QTest::addColumn<double>("p");
        for (double p : {0.3, 0.5, 0.9, 0.99})
            QTest::addRow("p=%g", p) << p;
    }

    void toppKeepsTheSmallestNucleus()
    {
        QFETCH(double, p);
        LayerShape shape;
        shape.causal = true;
        const AttentionInputs inputs = makeInputs(shape);
        const torch::Tensor reference = layerProbabilities(QStringLiteral("softmax"), inputs);
        const torch::Tensor kept = keptEntries(QStringLiteral("topp:p=%1").arg(p), inputs);
        const torch::Tensor keptMass = (reference * kept).sum(-1);
        QVERIFY((keptMass >= p - 1e-6).all().item<bool>());
        // Without its smallest kept key a row falls below p, so no smaller set would do.
        const torch::Tensor smallestKept = std::get<0>(reference.masked_fill(kept.logical_not(), 2).min(-1));
        QVERIFY((keptMass - smallestKept < p + 1e-6).all().item<bool>());
    }

    // Top-θ keeps every score above a per-head threshold and about k keys per row overall.
    void thresholdIsCalibrated()
    {
        LayerShape shape;
        shape.queries = shape.keys = 40;
        const AttentionInputs inputs = makeInputs(shape);
        const int k = 6;
        const torch::Tensor kept = keptEntries(QStringLiteral("threshold:k=%1").arg(k), inputs);
        const torch::Tensor scores = scoreRows(inputs, allHeads(inputs), 0, 40).scores;
        for (int64_t h = 0; h < shape.heads; ++h) {
            const int64_t count = kept[h].sum().item<int64_t>();
            QVERIFY2(count >= 40 * k && count <= 40 * k + 40, qPrintable(QString::number(count)));
            const torch::Tensor rowBest = topkMaskForTest(scores[h]);
            const double lowestThresholded =
                scores[h].masked_select(kept[h].logical_and(rowBest.logical_not())).min().item<double>();
            const double highestDropped = scores[h].masked_select(kept[h].logical_not()).max().item<double>();
            QVERIFY(lowestThresholded > highestDropped);
        }
    }

    // MoBA keeps whole blocks (cut by the mask): the query's own block and the best others
    // by q·mean(k), at most `blocks` of them.
    void mobaKeepsBestBlocks()
    {
        LayerShape shape;
        shape.causal = true;
        shape.queries = shape.keys = 22; // a short last block
        const AttentionInputs inputs = makeInputs(shape);
        const int block = 4;
        const int blocks = 2;
        const torch::Tensor kept = keptEntries(QStringLiteral("moba:block=%1,blocks=%2").arg(block).arg(blocks), inputs);
        for (int64_t h = 0; h < shape.heads; ++h) {
            const torch::Tensor k = inputs.k[h];
            for (int64_t i = 0; i < 22; ++i) {
                // Gate of every block the query can see; its own block always wins.
                std::vector<std::pair<double, int64_t>> gates;
                for (int64_t b = 0; b * block <= i; ++b) {
                    const torch::Tensor mean = k.slice(0, b * block, std::min<int64_t>(22, (b + 1) * block)).mean(0);
                    const double gate = b == i / block ? INFINITY : inputs.q[h][i].dot(mean).item<double>();
                    gates.push_back({gate, b});
                }
                std::sort(gates.rbegin(), gates.rend());
                std::set<int64_t> chosen;
                for (size_t n = 0; n < gates.size() && n < size_t(blocks); ++n)
                    chosen.insert(gates[n].second);
                for (int64_t j = 0; j <= i; ++j)
                    QCOMPARE(kept[h][i][j].item<bool>(), chosen.count(j / block) == 1);
            }
        }
    }

private:
    static torch::Tensor topkMaskForTest(const torch::Tensor &scores)
    {
        return scores == std::get<0>(scores.max(-1, true));
    }
};

QTEST_GUILESS_MAIN(TestSelectionVariants)
#include "test_selection_variants.moc"
