// Attention flow against a plain Edmonds–Karp max-flow on the same layered graph.
#include <queue>

#include <QtTest>

#include "core/analysis/attention_flow.h"
#include "core/analysis/random_attention.h"
#include "core/io/input_error.h"

using namespace attnscope;

namespace {

// Edmonds–Karp (shortest augmenting paths by BFS) on a dense capacity matrix.
double edmondsKarp(Matrix capacity, size_t source, size_t sink)
{
    const size_t n = capacity.size();
    double total = 0;
    for (;;) {
        std::vector<long> parent(n, -1);
        parent[source] = long(source);
        std::queue<size_t> frontier;
        frontier.push(source);
        while (!frontier.empty() && parent[sink] < 0) {
            const size_t u = frontier.front();
            frontier.pop();
            for (size_t v = 0; v < n; ++v)
                if (parent[v] < 0 && capacity[u][v] > 1e-15) {
                    parent[v] = long(u);
                    frontier.push(v);
                }
        }
        if (parent[sink] < 0)
            return total;
        double bottleneck = INFINITY;
        for (size_t v = sink; v != source; v = size_t(parent[v]))
            bottleneck = std::min(bottleneck, capacity[size_t(parent[v])][v]);
        for (size_t v = sink; v != source; v = size_t(parent[v])) {
            capacity[size_t(parent[v])][v] -= bottleneck;
            capacity[v][size_t(parent[v])] += bottleneck;
        }
        total += bottleneck;
    }
}

// Node (layer l, token t) = l·T + t; edge (l+1, i) → (l, j) with capacity Â_l[i][j].
double referenceFlow(const torch::Tensor &capacities, int64_t output, int64_t input)
{
    const auto layers = size_t(capacities.size(0));
    const auto tokens = size_t(capacities.size(1));
    Matrix graph((layers + 1) * tokens, std::vector<double>((layers + 1) * tokens, 0.0));
    for (size_t l = 0; l < layers; ++l) {
        const Matrix layer = toMatrix(capacities[int64_t(l)]);
        for (size_t i = 0; i < tokens; ++i)
            for (size_t j = 0; j < tokens; ++j)
                graph[(l + 1) * tokens + i][l * tokens + j] = layer[i][j];
    }
    return edmondsKarp(graph, layers * tokens + size_t(output), size_t(input));
}

} // namespace

class TestAttentionFlow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesEdmondsKarp_data()
    {
        QTest::addColumn<int>("layers");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<bool>("causal");
        QTest::addColumn<double>("discardRatio");
        QTest::addColumn<int>("startLayer");
        QTest::addColumn<int>("threads");
        QTest::newRow("2 layers, 4 tokens") << 2 << 4 << false << 0.0 << 0 << 1;
        QTest::newRow("4 layers, 6 tokens") << 4 << 6 << false << 0.0 << 0 << 2;
        QTest::newRow("causal") << 3 << 7 << true << 0.0 << 0 << 2;
        QTest::newRow("discard 0.5") << 3 << 5 << false << 0.5 << 0 << 3;
        QTest::newRow("start layer 2") << 5 << 5 << false << 0.0 << 2 << 1;
        QTest::newRow("one token") << 2 << 1 << false << 0.0 << 0 << 2;
    }
    void matchesEdmondsKarp()
    {
        QFETCH(int, layers);
        QFETCH(int, tokens);
        QFETCH(bool, causal);
        QFETCH(double, discardRatio);
        QFETCH(int, startLayer);
        QFETCH(int, threads);
        RolloutSettings settings;
        settings.discardRatio = discardRatio;
        settings.startLayer = startLayer;
        const torch::Tensor capacities = rolloutLayerMatrices(randomAttention(layers, 2, tokens, causal, 11), settings);
        QCOMPARE(capacities.size(0), layers - startLayer);
        const torch::Tensor matrix = attentionFlowMatrix(capacities, threads);
        for (int output = 0; output < tokens; ++output)
            for (int input = 0; input < tokens; ++input) {
                const double expected = referenceFlow(capacities, output, input);
                const double actual = matrix[output][input].item<double>();
                if (std::abs(actual - expected) > 1e-9)
                    QFAIL(qPrintable(QStringLiteral("flow %1 → %2: %3, Edmonds–Karp %4")
                                         .arg(output).arg(input).arg(actual, 0, 'g', 12).arg(expected, 0, 'g', 12)));
            }
        QVERIFY(torch::equal(attentionFlowFrom(capacities, tokens - 1, threads), matrix[tokens - 1]));
        if (causal) // an input after the output cannot receive flow
            QCOMPARE(matrix.triu(1).abs().sum().item<double>(), 0.0);
    }

    void singleLayerFlowIsTheEdge()
    {
        RolloutSettings settings;
        const torch::Tensor capacities = rolloutLayerMatrices(randomAttention(1, 3, 5, false, 2), settings);
        QVERIFY(torch::allclose(attentionFlowMatrix(capacities), capacities[0], 0, 1e-12));
    }

    void rejectsBadInput()
    {
        const torch::Tensor capacities = rolloutLayerMatrices(randomAttention(2, 1, 4, false, 5), RolloutSettings{});
        QVERIFY_THROWS_EXCEPTION(InputError, attentionFlowFrom(capacities, 4));
        QVERIFY_THROWS_EXCEPTION(InputError, attentionFlowFrom(capacities, -1));
        QVERIFY_THROWS_EXCEPTION(InputError, attentionFlowFrom(capacities[0], 0));
        RolloutSettings late;
        late.startLayer = 2;
        QVERIFY_THROWS_EXCEPTION(InputError, rolloutLayerMatrices(randomAttention(2, 1, 4, false, 5), late));
    }
};

QTEST_GUILESS_MAIN(TestAttentionFlow)
#include "test_attention_flow.moc"
