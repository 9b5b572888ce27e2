// The attention kernel against a naive dense formula in double precision: outputs,
// recorded rows, masks (causal with offset, GQA, padding, sliding window), blocking,
// variant heads and tiles.

#include <QtTest>

#include <torch/torch.h>

#include "core/attention/kernel.h"
#include "core/attention/row_blocks.h"
#include "core/capture/attention_recorder.h"

using namespace attnscope;

namespace {

// Keeps the rows the kernel hands over, as one [H, T, S] tensor per layer.
class RowsRecorder final : public AttentionRecorder {
public:
    void beginForward(int64_t, int64_t, int64_t, int64_t) override {}
    void recordLayer(const AttentionInputs &inputs, const AttentionPlan &) override
    {
        ++layerCalls;
        rows = torch::full({inputs.heads(), inputs.queries(), inputs.keys()}, -1.0f);
    }
    bool wantsProbabilities(int) const override { return true; }
    void recordRows(int, int64_t rowBegin, const torch::Tensor &probabilities) override
    {
        rows.slice(1, rowBegin, rowBegin + probabilities.size(1)).copy_(probabilities);
    }
    int layerCalls = 0;
    torch::Tensor rows;
};

AttentionInputs makeInputs(int64_t heads, int64_t kvHeads, int64_t queries, int64_t keys,
                           bool causal, uint64_t seed = 7)
{
    torch::manual_seed(seed);
    AttentionInputs inputs;
    inputs.layer = 2;
    inputs.q = torch::randn({heads, queries, 16}) * 2;
    inputs.k = torch::randn({kvHeads, keys, 16}) * 2;
    inputs.v = torch::randn({kvHeads, keys, 8});
    inputs.scale = 0.25;
    inputs.causal = causal;
    return inputs;
}

// Written from the definition, loop by loop, in double.
bool naiveAllowed(const AttentionInputs &in, int64_t i, int64_t j)
{
    const int64_t position = i + in.keys() - in.queries();
    if (in.causal && j > position)
        return false;
    if (in.slidingWindow > 0 && position - j >= in.slidingWindow)
        return false;
    return !in.keyMask.defined() || in.keyMask[j].item<bool>();
}

torch::Tensor naiveProbabilities(const AttentionInputs &in)
{
    const int64_t group = in.heads() / in.kvHeads();
    torch::Tensor p = torch::zeros({in.heads(), in.queries(), in.keys()}, torch::kFloat64);
    for (int64_t h = 0; h < in.heads(); ++h) {
        const torch::Tensor s = torch::matmul(in.q[h].to(torch::kFloat64),
                                              in.k[h / group].to(torch::kFloat64).t()) * in.scale;
        for (int64_t i = 0; i < in.queries(); ++i) {
            double maximum = -INFINITY;
            for (int64_t j = 0; j < in.keys(); ++j)
                if (naiveAllowed(in, i, j))
                    maximum = std::max(maximum, s[i][j].item<double>());
            double sum = 0;
            for (int64_t j = 0; j < in.keys(); ++j)
                if (naiveAllowed(in, i, j))
                    sum += std::exp(s[i][j].item<double>() - maximum);
            for (int64_t j = 0; j < in.keys(); ++j)
                if (naiveAllowed(in, i, j))
                    p[h][i][j] = std::exp(s[i][j].item<double>() - maximum) / sum;
        }
    }
    return p;
}

torch::Tensor naiveOutput(const AttentionInputs &in, const torch::Tensor &p)
{
    const int64_t group = in.heads() / in.kvHeads();
    const torch::Tensor v = in.v.to(torch::kFloat64).repeat_interleave(group, 0);
    return torch::matmul(p, v);
}

double maxDifference(const torch::Tensor &a, const torch::Tensor &b)
{
    return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

// A stand-in variant: uniform weights over the allowed keys, output doubled.
class UniformVariant final : public AttentionVariant {
public:
    torch::Tensor probabilities(const ScoreBlock &block) const override
    {
        const torch::Tensor allowed = block.allowed.to(torch::kFloat32).expand_as(block.scores);
        return allowed / allowed.sum(-1, true).clamp_min(1);
    }
    torch::Tensor adjustOutput(const torch::Tensor &output, const torch::Tensor &) const override
    {
        return output * 2;
    }
    QString spec() const override { return QStringLiteral("uniform"); }
};

} // namespace

class TestKernel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void matchesNaiveFormula_data()
    {
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("kvHeads");
        QTest::addColumn<int>("queries");
        QTest::addColumn<int>("keys");
        QTest::addColumn<bool>("causal");
        QTest::addColumn<bool>("padding");
        QTest::addColumn<int>("window");
        QTest::newRow("bidirectional") << 4 << 4 << 9 << 9 << false << false << 0;
        QTest::newRow("padding") << 4 << 4 << 9 << 9 << false << true << 0;
        QTest::newRow("causal") << 3 << 3 << 11 << 11 << true << false << 0;
        QTest::newRow("causal with offset") << 2 << 2 << 3 << 10 << true << false << 0;
        QTest::newRow("gqa") << 8 << 2 << 7 << 7 << true << false << 0;
        QTest::newRow("gqa padded offset") << 6 << 3 << 4 << 9 << true << true << 0;
        QTest::newRow("multi-query") << 4 << 1 << 6 << 6 << true << false << 0;
        QTest::newRow("sliding window") << 4 << 2 << 12 << 12 << true << false << 3;
        QTest::newRow("cross, more queries") << 2 << 1 << 13 << 5 << false << false << 0;
    }

    void matchesNaiveFormula()
    {
        QFETCH(int, heads);
        QFETCH(int, kvHeads);
        QFETCH(int, queries);
        QFETCH(int, keys);
        QFETCH(bool, causal);
        QFETCH(bool, padding);
        QFETCH(int, window);
        AttentionInputs inputs = makeInputs(heads, kvHeads, queries, keys, causal);
        inputs.slidingWindow = window;
        if (padding)
            inputs.keyMask = torch::arange(keys).remainder(4) != 1;
        RowsRecorder recorder;
        const torch::Tensor output = attend(inputs, {}, &recorder);
        const torch::Tensor expected = naiveProbabilities(inputs);
        QCOMPARE(recorder.layerCalls, 1);
        QCOMPARE(output.sizes().vec(), (std::vector<int64_t>{heads, queries, 8}));
        QVERIFY2(maxDifference(recorder.rows, expected) < 1e-6, "probabilities differ");
        QVERIFY2(maxDifference(output, naiveOutput(inputs, expected)) < 1e-5, "outputs differ");
        QVERIFY(maxDifference(recorder.rows.sum(-1), torch::ones({heads, queries})) < 1e-6);
        for (int64_t i = 0; i < queries; ++i)
            for (int64_t j = 0; j < keys; ++j)
                QCOMPARE(allowedKeys(inputs, i, i + 1)[0][j].item<bool>(), naiveAllowed(inputs, i, j));
    }

    void blockedEqualsDense()
    {
        const AttentionInputs inputs = makeInputs(6, 2, 23, 23, true);
        RowsRecorder dense;
        const torch::Tensor whole = attendInRowBlocks(inputs, {}, &dense, 23);
        for (int64_t rows : {1, 2, 5, 7, 22, 100}) {
            RowsRecorder blocked;
            const torch::Tensor output = attendInRowBlocks(inputs, {}, &blocked, rows);
            QVERIFY2(maxDifference(output, whole) < 1e-6, qPrintable(QString::number(rows)));
            // Probabilities of the same rows, up to fp32 rounding (the BLAS may sum in another order).
            QVERIFY2(maxDifference(blocked.rows, dense.rows) < 5e-7, qPrintable(QStringLiteral("%1: %2").arg(rows).arg(maxDifference(blocked.rows, dense.rows))));
        }
    }

    void blockSizeFollowsBudget()
    {
        const AttentionInputs inputs = makeInputs(4, 4, 100, 100, false);
        QCOMPARE(rowsPerBlock(inputs, 4 * 100 * 4 * 10), int64_t(10));
        QCOMPARE(rowsPerBlock(inputs, 1), int64_t(1));
        QCOMPARE(rowsPerBlock(inputs, int64_t(1) << 40), int64_t(100));
    }

    void fullyMaskedRowsAreZero()
    {
        AttentionInputs inputs = makeInputs(2, 2, 5, 5, false);
        inputs.keyMask = torch::zeros({5}, torch::kBool);
        RowsRecorder recorder;
        const torch::Tensor output = attend(inputs, {}, &recorder);
        QVERIFY(!output.isnan().any().item<bool>());
        QCOMPARE(output.abs().sum().item<double>(), 0.0);
        QCOMPARE(recorder.rows.abs().sum().item<double>(), 0.0);
    }

    void extremeScoresStayFinite()
    {
        AttentionInputs inputs = makeInputs(2, 1, 6, 6, true);
        inputs.q = inputs.q * 1e4;
        RowsRecorder recorder;
        const torch::Tensor output = attend(inputs, {}, &recorder);
        QVERIFY(output.isfinite().all().item<bool>());
        QVERIFY(maxDifference(recorder.rows.sum(-1), torch::ones({2, 6})) < 1e-6);
    }

    void variantHeadsUseTheVariant()
    {
        const AttentionInputs inputs = makeInputs(4, 2, 8, 8, true);
        AttentionPlan plan;
        plan.scopes.push_back({std::make_shared<UniformVariant>(), {2}, {1, 3}});
        RowsRecorder recorder;
        const torch::Tensor output = attendInRowBlocks(inputs, plan, &recorder, 3);
        const torch::Tensor reference = naiveProbabilities(inputs);
        const torch::Tensor uniform = torch::tril(torch::ones({8, 8}, torch::kFloat64))
                                      / torch::arange(1, 9, torch::kFloat64).unsqueeze(1);
        const torch::Tensor v = inputs.v.to(torch::kFloat64).repeat_interleave(2, 0);
        for (int64_t h = 0; h < 4; ++h) {
            const bool varied = h == 1 || h == 3;
            const torch::Tensor p = varied ? uniform : reference[h];
            QVERIFY(maxDifference(recorder.rows[h], p) < 1e-6);
            QVERIFY(maxDifference(output[h], torch::matmul(p, v[h]) * (varied ? 2 : 1)) < 1e-5);
            QVERIFY(maxDifference(attentionTile(inputs, plan, h, 2, 7, 1, 6),
                                  p.slice(0, 2, 7).slice(1, 1, 6)) < 1e-6);
        }
        AttentionInputs otherLayer = inputs;
        otherLayer.layer = 0;
        QVERIFY(maxDifference(attentionTile(otherLayer, plan, 1, 0, 8, 0, 8), reference[1]) < 1e-6);
    }

    void tilesMatchRows()
    {
        AttentionInputs inputs = makeInputs(4, 2, 10, 12, true);
        inputs.keyMask = torch::arange(12) != 4;
        RowsRecorder recorder;
        attend(inputs, {}, &recorder);
        for (int64_t h = 0; h < 4; ++h)
            QVERIFY2(maxDifference(attentionTile(inputs, {}, h, 3, 9, 2, 11), recorder.rows[h].slice(0, 3, 9).slice(1, 2, 11)) < 5e-7,
                     qPrintable(QString::number(maxDifference(attentionTile(inputs, {}, h, 3, 9, 2, 11), recorder.rows[h].slice(0, 3, 9).slice(1, 2, 11)))));
        QCOMPARE(attentionTile(inputs, {}, 0, 4, 4, 0, 12).size(0), int64_t(0));
    }

    void wrongShapesAreRejected()
    {
        AttentionInputs inputs = makeInputs(3, 2, 4, 4, false);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, attend(inputs, {}, nullptr));
        inputs = makeInputs(2, 2, 4, 4, false);
        inputs.keyMask = torch::ones({3}, torch::kBool);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, attend(inputs, {}, nullptr));
        inputs = makeInputs(2, 2, 4, 4, false);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, attentionTile(inputs, {}, 0, 0, 5, 0, 4));
    }

    void gradientsFlowThroughTheKernel()
    {
        AttentionInputs inputs = makeInputs(2, 1, 5, 5, true);
        inputs.q.requires_grad_(true);
        attend(inputs, {}, nullptr).sum().backward();
        QVERIFY(inputs.q.grad().defined());
        QVERIFY(inputs.q.grad().isfinite().all().item<bool>());
    }
};

QTEST_GUILESS_MAIN(TestKernel)
#include "test_kernel.moc"
