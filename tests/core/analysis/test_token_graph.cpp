// The layered token graph: kept edges against the thresholded, top-k matrix written as plain
// loops; paths of influence against rollout reachability; the rollout and flow edge weights
// against rollout, attention flow and a closed form.
#include <algorithm>
#include <set>
#include <tuple>

#include <QtTest>

#include "core/analysis/attention_flow.h"
#include "core/analysis/random_attention.h"
#include "core/analysis/rollout.h"
#include "core/analysis/token_graph.h"
#include "core/analysis/token_graph_weights.h"
#include "core/capture/attention_record.h"
#include "core/io/input_error.h"

using namespace attnscope;

namespace {

using EdgeKey = std::tuple<int, int, int>; // layer, from, to

// Every (layer, from, to) with w > 0, w ≥ threshold, among the topK strongest of its row.
std::set<EdgeKey> referenceEdges(const torch::Tensor &weights, double threshold, int topK)
{
    std::set<EdgeKey> edges;
    for (int l = 0; l < weights.size(0); ++l)
        for (int i = 0; i < weights.size(1); ++i) {
            std::vector<std::pair<double, int>> row; // (−weight, key): sorts strongest, then lower key
            for (int j = 0; j < weights.size(2); ++j) {
                const double w = weights[l][i][j].item<double>();
                if (w > 0 && w >= threshold)
                    row.emplace_back(-w, j);
            }
            std::sort(row.begin(), row.end());
            for (size_t n = 0; n < row.size() && (topK == 0 || int(n) < topK); ++n)
                edges.insert({l, i, row[n].second});
        }
    return edges;
}

std::set<EdgeKey> keptEdges(const TokenGraph &graph)
{
    std::set<EdgeKey> edges;
    for (const GraphEdge &edge : graph.edges())
        edges.insert({edge.layer, edge.from, edge.to});
    return edges;
}

// Nodes of `column` reachable from (top, token) through matrices[top-1] … matrices[column]
// with positive entries: the support of their product's row.
std::vector<char> productSupport(const std::vector<torch::Tensor> &matrices, int top, int token, int column)
{
    torch::Tensor row = torch::zeros({matrices[0].size(0)}, torch::kFloat64);
    row[token] = 1.0;
    for (int layer = top - 1; layer >= column; --layer)
        row = row.matmul(matrices[size_t(layer)]);
    std::vector<char> support;
    for (int j = 0; j < row.size(0); ++j)
        support.push_back(row[j].item<double>() > 0);
    return support;
}

} // namespace

class TestTokenGraph : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void edgeSetEqualsThresholdedMatrix_data()
    {
        QTest::addColumn<double>("threshold");
        QTest::addColumn<int>("topK");
        QTest::addColumn<bool>("causal");
        QTest::newRow("everything") << 0.0 << 0 << false;
        QTest::newRow("threshold") << 0.12 << 0 << false;
        QTest::newRow("top-3") << 0.0 << 3 << false;
        QTest::newRow("threshold and top-2, causal") << 0.05 << 2 << true;
        QTest::newRow("nothing over the threshold") << 1.5 << 4 << false;
    }
    void edgeSetEqualsThresholdedMatrix()
    {
        QFETCH(double, threshold);
        QFETCH(int, topK);
        QFETCH(bool, causal);
        const torch::Tensor weights = randomAttention(3, 2, 9, causal, 11).mean(1);
        const TokenGraph graph(weights, EdgeFilter{threshold, topK});
        QCOMPARE(keptEdges(graph).size(), graph.edges().size()); // no duplicates
        QVERIFY(keptEdges(graph) == referenceEdges(weights, threshold, topK));
        for (const GraphEdge &edge : graph.edges())
            QCOMPARE(edge.weight, float(weights[edge.layer][edge.from][edge.to].item<double>()));
        for (int l = 0; l < 3; ++l)
            for (size_t e = graph.layerBegin(l); e < graph.layerBegin(l + 1); ++e)
                QCOMPARE(graph.edges()[e].layer, l);
    }

    void topKBreaksTiesTowardsTheLowerKey()
    {
        const torch::Tensor weights = torch::tensor({0.25, 0.25, 0.25, 0.25}, torch::kFloat64).repeat({4, 1}).unsqueeze(0);
        const TokenGraph graph(weights, EdgeFilter{0.0, 2});
        const auto [begin, end] = graph.edgesFrom(1, 3);
        QCOMPARE(end - begin, size_t(2));
        QCOMPARE(graph.edges()[begin].to, 0);
        QCOMPARE(graph.edges()[begin + 1].to, 1);
    }

    // Rollout with Gildenblat's discard ratio and no residual zeroes weights, so reachability
    // is not trivial: the graph of its layer matrices reaches exactly the rollout's support.
    void influenceEqualsRolloutReachability_data()
    {
        QTest::addColumn<bool>("causal");
        QTest::addColumn<double>("discardRatio");
        QTest::newRow("causal, discard 0.8") << true << 0.8;
        QTest::newRow("bidirectional, discard 0.9") << false << 0.9;
    }
    void influenceEqualsRolloutReachability()
    {
        QFETCH(bool, causal);
        QFETCH(double, discardRatio);
        const torch::Tensor attention = randomAttention(4, 3, 8, causal, 5, 3.0);
        RolloutSettings settings;
        settings.residual = false;
        settings.discardRatio = discardRatio;
        settings.keepRow = -1;
        const TokenGraph graph(rolloutLayerMatrices(attention, settings), EdgeFilter{});
        int reached = 0;
        int missed = 0;
        for (int output = 0; output < 8; ++output) {
            const Influence influence = influenceOf(graph, 4, output);
            for (int column = 0; column < 4; ++column) {
                RolloutSettings from = settings;
                from.startLayer = column;
                const torch::Tensor rollout = attentionRollout(attention, from)[-1][output];
                for (int token = 0; token < 8; ++token) {
                    QCOMPARE(influence.reaches(column, token), rollout[token].item<double>() > 0);
                    ++(influence.reaches(column, token) ? reached : missed);
                }
            }
        }
        QVERIFY(reached > 0 && missed > 0); // the discard left both kinds of token
    }

    // With a threshold and top-k, the kept edges' 0/1 matrices multiplied give the same reach,
    // and an edge is on a path exactly when its upper node is reached.
    void influenceFollowsKeptEdgesOnly()
    {
        const torch::Tensor weights = randomAttention(5, 1, 10, false, 8).select(1, 0);
        const TokenGraph graph(weights, EdgeFilter{0.08, 2});
        std::vector<torch::Tensor> kept;
        for (int l = 0; l < 5; ++l)
            kept.push_back(torch::zeros({10, 10}, torch::kFloat64));
        for (const GraphEdge &edge : graph.edges())
            kept[size_t(edge.layer)][edge.from][edge.to] = 1.0;
        for (int column = 1; column <= 5; ++column)
            for (int token = 0; token < 10; token += 3) {
                const Influence influence = influenceOf(graph, column, token);
                for (int lower = 0; lower <= column; ++lower) {
                    const std::vector<char> support = productSupport(kept, column, token, lower);
                    for (int t = 0; t < 10; ++t)
                        QCOMPARE(influence.reaches(lower, t), bool(support[size_t(t)]));
                }
                for (int upper = column + 1; upper <= 5; ++upper)
                    for (int t = 0; t < 10; ++t)
                        QVERIFY(!influence.reaches(upper, t));
                for (size_t e = 0; e < graph.edges().size(); ++e) {
                    const GraphEdge &edge = graph.edges()[e];
                    QCOMPARE(bool(influence.onPath[e]), edge.layer < column && influence.reaches(edge.layer + 1, edge.from));
                }
            }
        QVERIFY(influenceOf(graph, 6, 0).isEmpty());
    }

    void headAndLayerMeanWeights()
    {
        const torch::Tensor attention = randomAttention(2, 3, 5, true, 2);
        const auto record = AttentionRecord::fromProbabilities(attention);
        const torch::Tensor stored = attention.to(torch::kFloat32).to(torch::kFloat64);
        const auto head = tokenGraphWeights(*record, EdgeWeightSettings{EdgeSource::Head, 2, -1});
        QVERIFY(torch::equal(head->edges, stored.select(1, 2)));
        QVERIFY(!head->nodes.defined());
        const auto mean = tokenGraphWeights(*record, EdgeWeightSettings{EdgeSource::LayerMean, 0, -1});
        QVERIFY(torch::allclose(mean->edges, stored.mean(1), 0, 1e-15));
    }

    // Rollout contributions: what reaches input j adds up to rollout[o, j], and each node passes
    // on exactly the mass it receives.
    void rolloutContributionsAddUpToRollout()
    {
        const torch::Tensor attention = randomAttention(4, 2, 7, false, 3).to(torch::kFloat32).to(torch::kFloat64);
        const auto record = AttentionRecord::fromProbabilities(attention);
        const torch::Tensor rollout = attentionRollout(attention, RolloutSettings{})[-1];
        for (int output : {0, 6}) {
            const auto weights = tokenGraphWeights(*record, EdgeWeightSettings{EdgeSource::Rollout, 0, output});
            QCOMPARE(weights->output, int64_t(output));
            QVERIFY(torch::allclose(weights->nodes[0], rollout[output], 0, 1e-12));
            for (int l = 0; l < 4; ++l) {
                QVERIFY(torch::allclose(weights->edges[l].sum(0), weights->nodes[l], 0, 1e-12));
                QVERIFY(torch::allclose(weights->edges[l].sum(1), weights->nodes[l + 1], 0, 1e-12));
            }
            const TokenGraph graph(weights->edges, EdgeFilter{});
            const Influence influence = influenceOf(graph, 4, output);
            for (int j = 0; j < 7; ++j)
                QCOMPARE(influence.reaches(0, j), rollout[output][j].item<double>() > 0);
        }
        const auto last = tokenGraphWeights(*record, EdgeWeightSettings{EdgeSource::Rollout, 0, -1});
        QCOMPARE(last->output, int64_t(6));
    }

    // Two layers: F_1(i) = Â_1[o, i] (one edge from the output), so the lower edges carry
    // min(Â_1[o, i], Â_0[i, j]); the inputs' values are attention flow's.
    void flowThroughEdgesClosedForm()
    {
        const torch::Tensor attention = randomAttention(2, 2, 6, false, 4).to(torch::kFloat32).to(torch::kFloat64);
        const auto record = AttentionRecord::fromProbabilities(attention);
        const torch::Tensor factors = rolloutLayerMatrices(attention, RolloutSettings{});
        const int output = 2;
        const auto weights = tokenGraphWeights(*record, EdgeWeightSettings{EdgeSource::Flow, 0, output});
        for (int i = 0; i < 6; ++i)
            for (int j = 0; j < 6; ++j) {
                const double top = i == output ? factors[1][i][j].item<double>() : 0.0;
                QCOMPARE(weights->edges[1][i][j].item<double>(), top);
                const double lower = std::min(factors[1][output][i].item<double>(), factors[0][i][j].item<double>());
                QVERIFY(std::abs(weights->edges[0][i][j].item<double>() - lower) < 1e-12);
            }
        QVERIFY(torch::allclose(weights->nodes[0], attentionFlowFrom(factors, output), 0, 1e-12));
        QVERIFY(torch::allclose(weights->nodes[1], factors[1][output], 0, 1e-12));
    }

    void cancelAndBadInput()
    {
        const auto record = AttentionRecord::fromProbabilities(randomAttention(3, 2, 4, false, 1));
        int calls = 0;
        const auto cancelled = tokenGraphWeights(*record, EdgeWeightSettings{}, [&](int done, int total) {
            ++calls;
            return done < total - 1;
        });
        QVERIFY(!cancelled.has_value());
        QCOMPARE(calls, 2);
        QVERIFY_THROWS_EXCEPTION(InputError, tokenGraphWeights(*record, EdgeWeightSettings{EdgeSource::Head, 2, -1}));
        QVERIFY_THROWS_EXCEPTION(InputError, tokenGraphWeights(*record, EdgeWeightSettings{EdgeSource::Flow, 0, 4}));
        QVERIFY_THROWS_EXCEPTION(InputError, TokenGraph(torch::ones({2, 3, 4}), EdgeFilter{}));
        QVERIFY_THROWS_EXCEPTION(InputError, TokenGraph(torch::ones({2, 3, 3}), EdgeFilter{0, -1}));
        QCOMPARE(edgeSourceFromName(QStringLiteral("flow")), std::optional<EdgeSource>(EdgeSource::Flow));
        QCOMPARE(edgeSourceName(EdgeSource::LayerMean), QStringLiteral("layer-mean"));
        QVERIFY(!edgeSourceFromName(QStringLiteral("mean")).has_value());
    }
};

QTEST_GUILESS_MAIN(TestTokenGraph)
#include "test_token_graph.moc"
