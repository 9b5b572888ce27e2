// AttentionRecord: the compact mode (q, k and per-row normalizers) recomputes every tile,
// row, column and layer to the numbers the dense mode stored, for the reference softmax
// and for variant heads.

#include <QtTest>

#include <torch/torch.h>

#include "core/attention/kernel.h"
#include "core/attention/variant_spec.h"
#include "core/capture/attention_record.h"
#include "core/io/input_error.h"

using namespace attnscope;

namespace {

constexpr int64_t kLayers = 3, kHeads = 4, kKvHeads = 2, kTokens = 37;

// Runs kLayers random causal GQA layers (padding on one key) into the record.
void runLayers(AttentionRecord &record, const AttentionPlan &plan)
{
    torch::manual_seed(11);
    record.beginForward(kLayers, kHeads, kTokens, kTokens);
    for (int layer = 0; layer < kLayers; ++layer) {
        AttentionInputs inputs;
        inputs.layer = layer;
        inputs.q = torch::randn({kHeads, kTokens, 8}) * 3;
        inputs.k = torch::randn({kKvHeads, kTokens, 8});
        inputs.v = torch::randn({kKvHeads, kTokens, 8});
        inputs.scale = 1 / std::sqrt(8.0);
        inputs.causal = true;
        inputs.keyMask = torch::arange(kTokens) != 5;
        attend(inputs, plan, &record);
    }
}

double maxDifference(const torch::Tensor &a, const torch::Tensor &b)
{
    return (a - b).abs().max().item<double>();
}

} // namespace

class TestAttentionRecord : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void compactEqualsDense_data()
    {
        QTest::addColumn<QStringList>("specs");
        QTest::newRow("reference") << QStringList();
        QTest::newRow("variant heads") << QStringList{QStringLiteral("topk:k=3@heads=1"),
                                                      QStringLiteral("window:size=4@layers=2")};
    }

    void compactEqualsDense()
    {
        QFETCH(QStringList, specs);
        const AttentionPlan plan = parsePlan(specs);
        AttentionRecord dense;
        AttentionRecord compact(0);
        runLayers(dense, plan);
        runLayers(compact, plan);
        QVERIFY(dense.isDense());
        QVERIFY(!compact.isDense());
        QCOMPARE(compact.layers(), kLayers);
        QCOMPARE(compact.queries(), kTokens);
        const double tolerance = 1e-6;
        for (int layer = 0; layer < kLayers; ++layer) {
            QVERIFY(maxDifference(compact.layer(layer), dense.layer(layer)) < tolerance);
            for (int head = 0; head < kHeads; ++head) {
                QVERIFY(maxDifference(compact.tile(layer, head, 3, 29, 2, 20),
                                      dense.tile(layer, head, 3, 29, 2, 20)) < tolerance);
                for (int64_t i : {0, 5, 17, 36}) {
                    QVERIFY(maxDifference(compact.row(layer, head, i), dense.row(layer, head, i)) < tolerance);
                    QVERIFY(maxDifference(compact.column(layer, head, i), dense.column(layer, head, i)) < tolerance);
                }
            }
        }
        // What was recorded is the attention itself: causal zeros, masked key, rows of one.
        const torch::Tensor layer0 = compact.layer(0);
        QCOMPARE(layer0.select(1, 0).select(1, 1).abs().sum().item<double>(), 0.0); // query 0 → key 1
        QCOMPARE(compact.column(0, 0, 5).abs().sum().item<double>(), 0.0);
        if (specs.isEmpty())
            QVERIFY(maxDifference(layer0.sum(-1), torch::ones({kHeads, kTokens})) < 1e-6);
    }

    void queriesAndKeysPerQueryHead()
    {
        AttentionRecord record(0);
        runLayers(record, {});
        QVERIFY(record.hasQueriesAndKeys());
        QCOMPARE(record.queries(1).sizes().vec(), (std::vector<int64_t>{kHeads, kTokens, 8}));
        const torch::Tensor keys = record.keys(1);
        QCOMPARE(keys.sizes().vec(), (std::vector<int64_t>{kHeads, kTokens, 8}));
        QVERIFY(torch::equal(keys[0], keys[1]));
        QVERIFY(torch::equal(keys[2], keys[3]));
        QVERIFY(!torch::equal(keys[1], keys[2]));
    }

    void budgetDecidesTheMode()
    {
        const int64_t bytes = kLayers * kHeads * kTokens * kTokens * 4;
        AttentionRecord exact(bytes);
        runLayers(exact, {});
        QVERIFY(exact.isDense());
        QCOMPARE(exact.all().sizes().vec(), (std::vector<int64_t>{kLayers, kHeads, kTokens, kTokens}));
        AttentionRecord under(bytes - 1);
        runLayers(under, {});
        QVERIFY(!under.isDense());
        QVERIFY_THROWS_EXCEPTION(InputError, under.all());
    }

    void fromProbabilities()
    {
        const torch::Tensor attentions = torch::rand({2, 3, 5, 5});
        const auto record = AttentionRecord::fromProbabilities(attentions);
        QVERIFY(record->isDense());
        QVERIFY(!record->hasQueriesAndKeys());
        QCOMPARE(record->heads(), int64_t(3));
        QVERIFY(torch::equal(record->tile(1, 2, 1, 4, 0, 3), attentions[1][2].slice(0, 1, 4).slice(1, 0, 3)));
        QVERIFY(torch::equal(record->column(0, 1, 2), attentions[0][1].select(1, 2)));
        QVERIFY_THROWS_EXCEPTION(std::logic_error, record->queries(0));
        QVERIFY_THROWS_EXCEPTION(InputError, AttentionRecord::fromProbabilities(torch::rand({2, 3, 5, 4})));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, record->tile(2, 0, 0, 1, 0, 1));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, record->tile(0, 0, 0, 6, 0, 1));
    }
};

QTEST_GUILESS_MAIN(TestAttentionRecord)
#include "test_attention_record.moc"
