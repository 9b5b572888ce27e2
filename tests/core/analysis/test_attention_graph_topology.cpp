// Topology readouts of a head's thresholded graph against an independent count: components by
// depth-first search, independent cycles as E − rank of the incidence matrix over GF(2) (the
// dimension of the cycle space), edges by listing the pairs.
#include <set>

#include <QtTest>

#include "core/analysis/analysis_registry.h"
#include "core/analysis/attention_graph_topology.h"
#include "core/analysis/random_attention.h"
#include "core/capture/attention_record.h"
#include "core/io/input_error.h"

using namespace attnscope;

namespace {

struct Counts {
    int64_t edges = 0;
    int64_t components = 0;
    int64_t cycles = 0;
};

int64_t rankOverGf2(std::vector<std::vector<char>> rows)
{
    int64_t rank = 0;
    const size_t columns = rows.empty() ? 0 : rows[0].size();
    for (size_t column = 0; column < columns && rank < int64_t(rows.size()); ++column) {
        size_t pivot = size_t(rank);
        while (pivot < rows.size() && !rows[pivot][column])
            ++pivot;
        if (pivot == rows.size())
            continue;
        std::swap(rows[pivot], rows[size_t(rank)]);
        for (size_t r = 0; r < rows.size(); ++r)
            if (r != size_t(rank) && rows[r][column])
                for (size_t c = 0; c < columns; ++c)
                    rows[r][c] ^= rows[size_t(rank)][c];
        ++rank;
    }
    return rank;
}

Counts independentCount(const Matrix &head, double threshold)
{
    const size_t n = head.size();
    std::set<std::pair<size_t, size_t>> pairs;
    for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < n; ++j)
            if (i != j && head[i][j] > 0 && head[i][j] >= threshold)
                pairs.insert({std::min(i, j), std::max(i, j)});
    std::vector<std::vector<size_t>> neighbours(n);
    for (const auto &[a, b] : pairs) {
        neighbours[a].push_back(b);
        neighbours[b].push_back(a);
    }
    Counts counts;
    counts.edges = int64_t(pairs.size());
    std::vector<char> seen(n, 0);
    for (size_t start = 0; start < n; ++start) {
        if (seen[start])
            continue;
        ++counts.components;
        std::vector<size_t> stack{start};
        seen[start] = 1;
        while (!stack.empty()) {
            const size_t node = stack.back();
            stack.pop_back();
            for (size_t next : neighbours[node])
                if (!seen[next]) {
                    seen[next] = 1;
                    stack.push_back(next);
                }
        }
    }
    // Incidence matrix: one row per vertex, one column per edge.
    std::vector<std::vector<char>> incidence(n, std::vector<char>(pairs.size(), 0));
    size_t column = 0;
    for (const auto &[a, b] : pairs) {
        incidence[a][column] = 1;
        incidence[b][column] = 1;
        ++column;
    }
    counts.cycles = counts.edges - rankOverGf2(incidence);
    return counts;
}

} // namespace

class TestAttentionGraphTopology : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // A triangle (0 1 2), a square (3 4 5 6) with only one direction over the threshold on
    // some sides, a self-loop on 7 and token 8 alone: 7 edges, 3 components, 2 cycles.
    void handBuiltGraph()
    {
        torch::Tensor head = torch::zeros({9, 9}, torch::kFloat64);
        for (auto [i, j] : std::vector<std::pair<int, int>>{{0, 1}, {1, 2}, {2, 0}, {3, 4}, {5, 4}, {5, 6}, {3, 6}, {6, 3}})
            head[i][j] = 0.5;
        head[7][7] = 0.9;
        head[8][0] = 0.05; // under the threshold
        const GraphTopology topology = headGraphTopology(head, 0.1);
        QCOMPARE(topology.vertices, int64_t(9));
        QCOMPARE(topology.edges, int64_t(7));
        QCOMPARE(topology.components, int64_t(3 + 1));
        QCOMPARE(topology.cycles, int64_t(2));
        const GraphTopology lower = headGraphTopology(head, 0.05);
        QCOMPARE(lower.edges, int64_t(8));
        QCOMPARE(lower.components, int64_t(3));
        QCOMPARE(lower.cycles, int64_t(2));
    }

    void countsEqualIndependentCount_data()
    {
        QTest::addColumn<int>("tokens");
        QTest::addColumn<bool>("causal");
        QTest::addColumn<double>("threshold");
        QTest::newRow("12 tokens, 0.1") << 12 << false << 0.1;
        QTest::newRow("12 tokens causal, 0.05") << 12 << true << 0.05;
        QTest::newRow("30 tokens, 0.02") << 30 << false << 0.02;
        QTest::newRow("30 tokens causal, 0.3") << 30 << true << 0.3;
        QTest::newRow("threshold 0: every positive weight") << 10 << true << 0.0;
    }
    void countsEqualIndependentCount()
    {
        QFETCH(int, tokens);
        QFETCH(bool, causal);
        QFETCH(double, threshold);
        const torch::Tensor attention = randomAttention(2, 3, tokens, causal, uint64_t(tokens), 2.5);
        for (int layer = 0; layer < 2; ++layer)
            for (int head = 0; head < 3; ++head) {
                const torch::Tensor matrix = attention[layer][head];
                const Counts expected = independentCount(toMatrix(matrix), threshold);
                const GraphTopology topology = headGraphTopology(matrix, threshold);
                QCOMPARE(topology.vertices, int64_t(tokens));
                QCOMPARE(topology.edges, expected.edges);
                QCOMPARE(topology.components, expected.components);
                QCOMPARE(topology.cycles, expected.cycles);
            }
    }

    void analysisGivesEveryHead()
    {
        const torch::Tensor attention = randomAttention(3, 2, 9, true, 6);
        const Analysis *analysis = findAnalysis(QStringLiteral("graph-topology"));
        QVERIFY(analysis);
        AnalysisContext context;
        context.record = AttentionRecord::fromProbabilities(attention);
        const AnalysisOptions options(analysis->name(), analysis->options(), {{QStringLiteral("threshold"), QStringLiteral("0.15")}});
        const AnalysisResult result = analysis->run(context, options);
        const torch::Tensor stored = attention.to(torch::kFloat32);
        for (int layer = 0; layer < 3; ++layer)
            for (int head = 0; head < 2; ++head) {
                const GraphTopology topology = headGraphTopology(stored[layer][head], 0.15);
                QCOMPARE(result.tensors.at("edges")[layer][head].item<int64_t>(), topology.edges);
                QCOMPARE(result.tensors.at("components")[layer][head].item<int64_t>(), topology.components);
                QCOMPARE(result.tensors.at("cycles")[layer][head].item<int64_t>(), topology.cycles);
            }
        QVERIFY_THROWS_EXCEPTION(InputError, headGraphTopology(torch::ones({2, 3}), 0.1));
    }
};

QTEST_GUILESS_MAIN(TestAttentionGraphTopology)
#include "test_attention_graph_topology.moc"
