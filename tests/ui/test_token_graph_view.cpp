// The token graph view: the kept edges equal the thresholded matrices of the chosen source, a
// click on a token highlights exactly what a plain search over the thresholded graph reaches,
// the topology readout equals an independent count, hover reports the token and its edges,
// the wheel zooms (edges outside the view are culled), and the SVG export is vector with the
// token labels as text; a new run clears every readout of the old one.

#include <QLabel>
#include <QSvgRenderer>
#include <QToolTip>
#include <QtTest>

#include <torch/torch.h>

#include "core/analysis/attention_graph_topology.h"
#include "core/analysis/token_graph.h"
#include "core/capture/attention_record.h"
#include "ui/views/token_graph_view.h"
#include "viz/graph_scene.h"
#include "viz/layered_graph_painter.h"

using namespace attnscope;

namespace {

constexpr int kLayers = 3, kHeads = 2, kTokens = 10;
constexpr double kThreshold = 0.12;

std::shared_ptr<AttentionRecord> causalRecord()
{
    torch::manual_seed(4);
    const torch::Tensor future = torch::ones({kTokens, kTokens}, torch::kBool).triu(1);
    const torch::Tensor scores = (torch::randn({kLayers, kHeads, kTokens, kTokens}) * 2).masked_fill(future, -INFINITY);
    return AttentionRecord::fromProbabilities(torch::softmax(scores, -1));
}

QStringList tokenNames()
{
    QStringList names;
    for (int i = 0; i < kTokens; ++i)
        names << QStringLiteral("word%1").arg(i);
    return names;
}

// (layer, from, to) of every weight ≥ threshold of one head, in every layer or one.
std::set<std::tuple<int, int, int>> thresholded(const AttentionRecord &record, int head, int onlyLayer = -1)
{
    std::set<std::tuple<int, int, int>> edges;
    for (int l = 0; l < kLayers; ++l) {
        if (onlyLayer >= 0 && l != onlyLayer)
            continue;
        const torch::Tensor a = record.layer(l)[head];
        for (int i = 0; i < kTokens; ++i)
            for (int j = 0; j < kTokens; ++j)
                if (a[i][j].item<double>() >= kThreshold)
                    edges.emplace(onlyLayer >= 0 ? 0 : l, i, j);
    }
    return edges;
}

std::set<std::tuple<int, int, int>> sceneEdges(const TokenGraphScene &scene)
{
    std::set<std::tuple<int, int, int>> edges;
    for (const GraphEdge &edge : scene.graph.edges())
        edges.emplace(edge.layer, edge.from, edge.to);
    return edges;
}

} // namespace

class TestTokenGraphView : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<AttentionRecord> m_record = causalRecord();

    void showView(TokenGraphView &view)
    {
        view.resize(1000, 700);
        view.show();
        view.setAttention(m_record, tokenNames(), {});
        view.setEdgeSource(QStringLiteral("head"));
        view.showHead(1, 1);
        view.setTopK(0);
        view.setThreshold(kThreshold);
        QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 20000);
    }

private Q_SLOTS:
    void keptEdgesAreTheThresholdedMatrix()
    {
        TokenGraphView view;
        showView(view);
        QCOMPARE(sceneEdges(view.scene()), thresholded(*m_record, 1));
        view.setDrawing(TokenGraphView::Drawing::Arcs);
        QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 20000);
        QCOMPARE(view.scene().graph.layers(), 1);
        QCOMPARE(sceneEdges(view.scene()), thresholded(*m_record, 1, 1));
    }

    void clickHighlightsWhatTheThresholdedGraphReaches()
    {
        TokenGraphView view;
        showView(view);
        const GraphNode chosen{kLayers, 7};
        QTest::mouseClick(view.canvas(), Qt::LeftButton, {}, view.nodePosition(chosen).toPoint());
        const Influence &influence = view.influence();
        QCOMPARE(influence.column, chosen.column);
        QCOMPARE(influence.token, chosen.token);
        // A plain breadth-first search down the columns over the thresholded weights.
        const auto edges = thresholded(*m_record, 1);
        std::set<std::pair<int, int>> reached{{chosen.column, chosen.token}};
        for (int column = kLayers; column >= 1; --column)
            for (const auto &[layer, from, to] : edges)
                if (layer == column - 1 && reached.count({column, from}))
                    reached.emplace(column - 1, to);
        for (int column = 0; column <= kLayers; ++column)
            for (int token = 0; token < kTokens; ++token)
                QCOMPARE(influence.reaches(column, token), bool(reached.count({column, token})));
        QTest::keyClick(view.canvas(), Qt::Key_Escape);
        QVERIFY(view.influence().isEmpty());
    }

    void topologyEqualsAnIndependentCount()
    {
        TokenGraphView view;
        showView(view);
        // Union–find over the undirected pairs {i, j}, i ≠ j, with either direction ≥ threshold.
        const torch::Tensor a = m_record->layer(1)[1];
        std::vector<int> parent(kTokens);
        std::iota(parent.begin(), parent.end(), 0);
        const std::function<int(int)> root = [&](int x) { return parent[size_t(x)] == x ? x : parent[size_t(x)] = root(parent[size_t(x)]); };
        int64_t edges = 0, components = kTokens;
        for (int i = 0; i < kTokens; ++i)
            for (int j = i + 1; j < kTokens; ++j)
                if (a[i][j].item<double>() >= kThreshold || a[j][i].item<double>() >= kThreshold) {
                    ++edges;
                    if (root(i) != root(j)) {
                        parent[size_t(root(i))] = root(j);
                        --components;
                    }
                }
        QCOMPARE(view.topology().edges, edges);
        QCOMPARE(view.topology().components, components);
        QCOMPARE(view.topology().cycles, edges - kTokens + components);
        QVERIFY(view.topologyText().contains(QStringLiteral("%1 edges").arg(edges)));
    }

    void hoverZoomAndSvg()
    {
        TokenGraphView view;
        showView(view);
        QWidget *canvas = view.canvas();
        const QPoint node = view.nodePosition(GraphNode{2, 4}).toPoint();
        QHelpEvent help(QEvent::ToolTip, node, canvas->mapToGlobal(node));
        QApplication::sendEvent(canvas, &help);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY(QToolTip::text().contains(QStringLiteral("word4")));
        QVERIFY(QToolTip::text().contains(QStringLiteral("L1")));

        canvas->grab();
        QCOMPARE(view.paintStats().culledEdges, size_t(0));
        for (int i = 0; i < 6; ++i) {
            QWheelEvent wheel(QPointF(node), canvas->mapToGlobal(QPointF(node)), QPoint(), QPoint(0, 120), Qt::NoButton,
                              Qt::NoModifier, Qt::NoScrollPhase, false);
            QApplication::sendEvent(canvas, &wheel);
        }
        canvas->grab();
        QVERIFY(view.paintStats().culledEdges > 0);
        QVERIFY(view.paintStats().labels);
        QTest::keyClick(canvas, Qt::Key_Home);
        canvas->grab();
        QCOMPARE(view.paintStats().culledEdges, size_t(0));

        const QByteArray svg = view.svg();
        QSvgRenderer renderer(svg);
        QVERIFY(renderer.isValid());
        QVERIFY(svg.contains("<text"));
        QVERIFY(svg.contains(">word7<"));
        QVERIFY(!svg.contains("<image")); // vector edges and nodes, no raster
    }

    // A new run clears the old run's drawing, chosen node and topology line at once, even
    // while the view is hidden (its graph is computed when shown).
    void newRunClearsTheOldReadouts()
    {
        TokenGraphView view;
        showView(view);
        auto *topologyLine = view.findChild<QLabel *>(QStringLiteral("topology"));
        QVERIFY(topologyLine && topologyLine->text().contains(QStringLiteral("edges")));
        view.chooseNode(GraphNode{kLayers, 7});
        QVERIFY(!view.influence().isEmpty());

        view.hide();
        torch::manual_seed(11);
        const auto next = AttentionRecord::fromProbabilities(torch::softmax(torch::randn({kLayers, kHeads, 6, 6}), -1));
        view.setAttention(next, tokenNames().mid(0, 6), {});
        QCOMPARE(topologyLine->text(), QString());
        QCOMPARE(view.scene().graph.tokens(), 0);
        QVERIFY(view.influence().isEmpty());
        QCOMPARE(view.topology().edges, int64_t(0));
        QVERIFY(!view.isReady());

        view.show();
        QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 20000);
        QCOMPARE(view.scene().graph.tokens(), 6);
        QCOMPARE(view.topology().vertices, int64_t(6));
        QCOMPARE(topologyLine->text(), view.topologyText());

        // A run too long for the graph: no line of the one before stays.
        view.setAttention(AttentionRecord::fromProbabilities(torch::full({1, 1, 3000, 3000}, 1.0 / 3000)), {}, {});
        QCOMPARE(topologyLine->text(), QString());
        QCOMPARE(view.scene().graph.tokens(), 0);
    }

    void longInputsAreLeftToTheHeadView()
    {
        TokenGraphView view;
        view.show();
        view.setAttention(AttentionRecord::fromProbabilities(torch::full({1, 1, 3000, 3000}, 1.0 / 3000)), {}, {});
        QVERIFY(!view.isReady());
        QVERIFY(view.grab().width() > 0);
        QCOMPARE(view.scene().graph.tokens(), 0);
    }
};

QTEST_MAIN(TestTokenGraphView)
#include "test_token_graph_view.moc"
