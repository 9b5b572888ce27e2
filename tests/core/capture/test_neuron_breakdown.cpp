// The neuron breakdown of a query–key pair: the vectors are the layer's q of the head and k
// of its KV group, the contributions sum to q·k·scale, and the recorded weight is the softmax
// of that score over the query's visible keys — in dense and compact records alike, and with
// Gemma 2's soft cap, where the softmax sees cap·tanh(score / cap).

#include <QtTest>

#include <torch/torch.h>

#include "core/attention/kernel.h"
#include "core/attention/variant_spec.h"
#include "core/capture/attention_record.h"
#include "core/capture/neuron_breakdown.h"

using namespace attnscope;

namespace {

constexpr int64_t kHeads = 4, kKvHeads = 2, kTokens = 19, kDim = 8;

struct LayerInputs {
    torch::Tensor q, k;
    torch::Tensor keyMask;
};

LayerInputs runLayer(AttentionRecord &record, double softCap = 0)
{
    torch::manual_seed(3);
    AttentionInputs inputs;
    inputs.layer = 0;
    inputs.q = torch::randn({kHeads, kTokens, kDim}) * 2;
    inputs.k = torch::randn({kKvHeads, kTokens, kDim});
    inputs.v = torch::randn({kKvHeads, kTokens, kDim});
    inputs.scale = 1 / std::sqrt(double(kDim));
    inputs.softCap = softCap;
    inputs.causal = true;
    inputs.keyMask = torch::arange(kTokens) != 4;
    record.beginForward(1, kHeads, kTokens, kTokens);
    attend(inputs, parsePlan(QStringList()), &record);
    return {inputs.q, inputs.k, inputs.keyMask};
}

} // namespace

class TestNeuronBreakdown : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void scoreAndWeightFollowTheFormula_data()
    {
        QTest::addColumn<qint64>("budget");
        QTest::addColumn<double>("softCap");
        for (const double cap : {0.0, 1.5}) {
            QTest::addRow("dense, cap %g", cap) << qint64(AttentionRecord::kDefaultDenseBudgetBytes) << cap;
            QTest::addRow("compact, cap %g", cap) << qint64(0) << cap;
        }
    }

    void scoreAndWeightFollowTheFormula()
    {
        QFETCH(qint64, budget);
        QFETCH(double, softCap);
        AttentionRecord record(budget);
        const LayerInputs inputs = runLayer(record, softCap);
        const double scale = 1 / std::sqrt(double(kDim));
        QCOMPARE(record.scoreScale(0), scale);
        for (int head = 0; head < kHeads; ++head)
            for (const int64_t query : {int64_t(0), int64_t(7), kTokens - 1}) {
                // Every visible key's score, computed here from the layer's inputs.
                std::vector<double> scores;
                std::vector<int64_t> visible;
                const torch::Tensor q = inputs.q[head][query].to(torch::kDouble);
                for (int64_t key = 0; key <= query; ++key) {
                    if (!inputs.keyMask[key].item<bool>())
                        continue;
                    const torch::Tensor k = inputs.k[head / (kHeads / kKvHeads)][key].to(torch::kDouble);
                    scores.push_back((q * k).sum().item<double>() * scale);
                    visible.push_back(key);
                }
                std::vector<double> seen; // what the softmax sees
                for (const double s : scores)
                    seen.push_back(softCap > 0 ? softCap * std::tanh(s / softCap) : s);
                double peak = *std::max_element(seen.begin(), seen.end()), total = 0;
                for (const double s : seen)
                    total += std::exp(s - peak);
                for (size_t i = 0; i < visible.size(); ++i) {
                    const NeuronBreakdown b = neuronBreakdown(record, 0, head, query, visible[i]);
                    QCOMPARE(b.query.size(0), kDim);
                    QVERIFY((b.contributions - b.query * b.key * scale).abs().max().item<double>() < 1e-12);
                    QVERIFY(std::abs(b.score - b.contributions.sum().item<double>()) < 1e-12);
                    QVERIFY2(std::abs(b.score - scores[i]) < 1e-5, qPrintable(QString::number(b.score - scores[i])));
                    QCOMPARE(b.softCap, softCap);
                    QVERIFY(std::abs(b.cappedScore - seen[i]) < 1e-5);
                    QVERIFY(std::abs(b.weight - std::exp(seen[i] - peak) / total) < 1e-6);
                }
                // A masked key gets no weight, whatever its score.
                if (query >= 4)
                    QCOMPARE(neuronBreakdown(record, 0, head, query, 4).weight, 0.0);
            }
    }

    void refusesWhatItCannotShow()
    {
        AttentionRecord record;
        runLayer(record);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, neuronBreakdown(record, 0, kHeads, 0, 0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, neuronBreakdown(record, 0, 0, kTokens, 0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, neuronBreakdown(record, 1, 0, 0, 0));
        const auto loaded = AttentionRecord::fromProbabilities(torch::full({1, 1, 3, 3}, 1.0 / 3));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, neuronBreakdown(*loaded, 0, 0, 0, 0));
    }
};

QTEST_GUILESS_MAIN(TestNeuronBreakdown)
#include "test_neuron_breakdown.moc"
