// The token graph drawings: SVG output is vector (paths and text, no image), the level of
// detail culls exactly the edges outside the viewport, merges and drops only beyond the rows'
// resolution and the budget, hit testing finds the drawn nodes, highlights are painted, and the
// bipartite view's sentence filter keeps exactly the edges between the chosen sentences.
#include <QImage>
#include <QTest>

#include <torch/torch.h>

#include "core/analysis/random_attention.h"
#include "viz/arc_diagram_painter.h"
#include "viz/bipartite_graph_painter.h"
#include "viz/layered_graph_painter.h"
#include "viz/svg_figure.h"

using namespace attnscope;

namespace {

TokenGraphScene randomScene(int layers, int tokens, const EdgeFilter &filter, bool causal = false, int pairAt = -1)
{
    TokenGraphWeights weights;
    weights.edges = randomAttention(layers, 1, tokens, causal, 3).select(1, 0);
    QStringList labels;
    std::vector<int> segments;
    for (int t = 0; t < tokens; ++t) {
        labels << QStringLiteral("tok%1").arg(t);
        segments.push_back(pairAt >= 0 && t >= pairAt ? 1 : 0);
    }
    return makeTokenGraphScene(weights, filter, labels, segments);
}

int countPixels(const QImage &image, QColor color)
{
    int count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            count += QColor(image.pixel(x, y)) == color;
    return count;
}

QImage blank(QSize size)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::white);
    return image;
}

} // namespace

class TestTokenGraphPainters : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void weightLevels()
    {
        QCOMPARE(weightLevel(1.0f, 1.0f), kWeightLevels - 1);
        QCOMPARE(weightLevel(1.0f / kWeightLevels, 1.0f), 0);
        QCOMPARE(weightLevel(1.0f / kWeightLevels + 1e-4f, 1.0f), 1);
        QCOMPARE(weightLevel(0.5f, 0.0f), 0);
    }

    void svgIsVector_data()
    {
        QTest::addColumn<int>("drawing");
        QTest::newRow("layered") << 0;
        QTest::newRow("arc diagram") << 1;
        QTest::newRow("bipartite") << 2;
    }
    void svgIsVector()
    {
        QFETCH(int, drawing);
        const TokenGraphScene scene = randomScene(drawing == 0 ? 2 : 1, 6, EdgeFilter{0.0, 2}, false, 3);
        GraphStyle style;
        const QSize size(600, 400);
        const QByteArray svg = svgFigure(size, QStringLiteral("token graph"), [&](QPainter &painter) {
            const QRectF area(QPointF(0, 0), size);
            if (drawing == 0)
                paintLayeredGraph(painter, scene, fitLayeredViewport(scene, area, style.font), Influence{}, style);
            else if (drawing == 1)
                paintArcDiagram(painter, scene, fitArcViewport(scene, area, style.font), Influence{}, style);
            else
                paintBipartiteGraph(painter, scene, fitBipartiteViewport(scene, area, style.font), PairFilter::All, Influence{}, style);
        });
        QVERIFY(svg.contains("<svg"));
        QVERIFY(svg.contains("<path") || svg.contains("<polyline") || svg.contains("<line"));
        QVERIFY(!svg.contains("<image"));
        for (int t = 0; t < 6; ++t)
            QVERIFY2(svg.contains(QStringLiteral(">tok%1</text>").arg(t).toUtf8()), qPrintable(QStringLiteral("label tok%1").arg(t)));
    }

    // Zoomed in on rows 100 … 120 of 512: an edge is culled exactly when both its ends lie on
    // one side of the visible rows; the rest are drawn, merged or dropped.
    void cullingKeepsExactlyTheVisibleEdges()
    {
        const TokenGraphScene scene = randomScene(3, 512, EdgeFilter{0.0, 4});
        GraphViewport viewport;
        viewport.area = QRectF(0, 0, 800, LayeredGraphGeometry::kHeaderHeight + 20 * 20);
        viewport.firstToken = 100;
        viewport.tokenPixels = 20;
        const LayeredGraphGeometry geometry(scene, viewport);
        QCOMPARE(geometry.firstVisibleToken(), 100);
        QCOMPARE(geometry.lastVisibleToken(), 120);
        size_t visible = 0;
        for (const GraphEdge &edge : scene.graph.edges())
            visible += std::max(edge.from, edge.to) >= 100 && std::min(edge.from, edge.to) <= 120;
        QImage image = blank(viewport.area.size().toSize());
        QPainter painter(&image);
        const GraphPaintStats stats = paintLayeredGraph(painter, scene, viewport, Influence{}, GraphStyle{});
        QCOMPARE(stats.culledEdges, scene.graph.edges().size() - visible);
        QCOMPARE(stats.drawnEdges + stats.mergedEdges + stats.droppedEdges, visible);
        QCOMPARE(stats.droppedEdges, size_t(0));
        QVERIFY(stats.labels);
    }

    // 512 tokens × 12 layers in 230 rows of pixels: edges sharing pixels merge, the budget
    // caps what is stroked, labels are left out, and nothing visible is lost uncounted.
    void levelOfDetailWhenZoomedOut()
    {
        const TokenGraphScene scene = randomScene(12, 512, EdgeFilter{0.0, 8});
        GraphStyle style;
        style.maxDrawnEdges = 20000;
        const GraphViewport viewport = fitLayeredViewport(scene, QRectF(0, 0, 1000, 250), style.font);
        QImage image = blank(QSize(1000, 250));
        QPainter painter(&image);
        const GraphPaintStats stats = paintLayeredGraph(painter, scene, viewport, Influence{}, style);
        QVERIFY(!stats.labels);
        QVERIFY(!stats.antialiased);
        QVERIFY(stats.mergedEdges > 0);
        QVERIFY(stats.drawnEdges <= 20000);
        QCOMPARE(stats.culledEdges, size_t(0));
        QCOMPARE(stats.drawnEdges + stats.mergedEdges + stats.droppedEdges, scene.graph.edges().size());
    }

    void layeredHitTestFindsDrawnNodes()
    {
        const TokenGraphScene scene = randomScene(4, 10, EdgeFilter{0.0, 2});
        GraphStyle style;
        const GraphViewport viewport = fitLayeredViewport(scene, QRectF(0, 0, 700, 420), style.font);
        const LayeredGraphGeometry geometry(scene, viewport);
        for (int column = 0; column <= 4; ++column)
            for (int token = 0; token < 10; ++token) {
                const GraphNode node = geometry.nodeAt(QPointF(geometry.columnX(column) + 2, geometry.tokenY(token) - 1));
                QCOMPARE(node, (GraphNode{column, token}));
            }
        QCOMPARE(geometry.nodeAt(QPointF(5, geometry.tokenY(7))), (GraphNode{0, 7}));  // an input label
        QCOMPARE(geometry.nodeAt(QPointF(695, geometry.tokenY(2))), (GraphNode{4, 2})); // an output label
        QVERIFY(!geometry.nodeAt(QPointF((geometry.columnX(1) + geometry.columnX(2)) / 2, geometry.tokenY(3))).isValid());
        QVERIFY(!geometry.nodeAt(QPointF(geometry.columnX(1), 5)).isValid()); // the column titles
    }

    // The highlighted paths are painted in the highlight color, and only when asked for.
    void influenceIsPainted()
    {
        const TokenGraphScene scene = randomScene(3, 8, EdgeFilter{0.0, 2});
        GraphStyle style;
        style.highlight = QColor(255, 0, 0);
        const QSize size(500, 300);
        const GraphViewport viewport = fitLayeredViewport(scene, QRectF(QPointF(0, 0), size), style.font);
        QImage plain = blank(size);
        {
            QPainter painter(&plain);
            paintLayeredGraph(painter, scene, viewport, Influence{}, style);
        }
        QCOMPARE(countPixels(plain, style.highlight), 0);
        QImage highlighted = blank(size);
        {
            QPainter painter(&highlighted);
            paintLayeredGraph(painter, scene, viewport, influenceOf(scene.graph, 3, 5), style);
        }
        QVERIFY(countPixels(highlighted, style.highlight) > 100);
    }

    void arcDiagramHangsForwardArcsOnlyWhenThereAreAny()
    {
        GraphStyle style;
        const TokenGraphScene causal = randomScene(1, 12, EdgeFilter{0.05, 0}, true);
        const TokenGraphScene full = randomScene(1, 12, EdgeFilter{0.05, 0}, false);
        QVERIFY(!hasForwardEdges(causal.graph));
        QVERIFY(hasForwardEdges(full.graph));
        const QRectF area(0, 0, 600, 400);
        const ArcDiagramGeometry causalGeometry(causal, fitArcViewport(causal, area, style.font), true);
        const ArcDiagramGeometry fullGeometry(full, fitArcViewport(full, area, style.font), true);
        QVERIFY(causalGeometry.lowerRoom() <= 0);
        QVERIFY(fullGeometry.lowerRoom() > 100);
        QVERIFY(causalGeometry.upperRoom() > fullGeometry.upperRoom());
        QCOMPARE(fullGeometry.nodeAt(QPointF(fullGeometry.tokenX(7), 50)), (GraphNode{1, 7}));
        QImage image = blank(area.size().toSize());
        QPainter painter(&image);
        const GraphPaintStats stats = paintArcDiagram(painter, full, fitArcViewport(full, area, style.font), Influence{}, style);
        QCOMPARE(stats.drawnEdges + stats.mergedEdges, full.graph.edges().size());
    }

    void bipartiteFilterKeepsThePairsEdges_data()
    {
        QTest::addColumn<int>("filter");
        for (int filter = 0; filter < pairFilterNames().size(); ++filter)
            QTest::newRow(qPrintable(pairFilterNames()[filter])) << filter;
    }
    void bipartiteFilterKeepsThePairsEdges()
    {
        QFETCH(int, filter);
        const TokenGraphScene scene = randomScene(1, 10, EdgeFilter{0.0, 3}, false, 6);
        QVERIFY(scene.hasPair());
        GraphStyle style;
        const GraphViewport viewport = fitBipartiteViewport(scene, QRectF(0, 0, 500, 500), style.font);
        size_t expected = 0;
        for (const GraphEdge &edge : scene.graph.edges()) {
            const bool queryB = edge.from >= 6;
            const bool keyB = edge.to >= 6;
            const bool keep = PairFilter(filter) == PairFilter::All || (PairFilter(filter) == PairFilter::AToA && !queryB && !keyB)
                              || (PairFilter(filter) == PairFilter::AToB && !queryB && keyB)
                              || (PairFilter(filter) == PairFilter::BToA && queryB && !keyB)
                              || (PairFilter(filter) == PairFilter::BToB && queryB && keyB);
            expected += keep;
        }
        QImage image = blank(QSize(500, 500));
        QPainter painter(&image);
        const GraphPaintStats stats = paintBipartiteGraph(painter, scene, viewport, PairFilter(filter), Influence{}, style);
        QCOMPARE(stats.drawnEdges + stats.mergedEdges, expected);
        const BipartiteGeometry geometry(scene, viewport);
        QCOMPARE(geometry.tokenY(6) - geometry.tokenY(5), 2 * viewport.tokenPixels); // the row between the sentences
        QCOMPARE(geometry.nodeAt(QPointF(geometry.queryX(), geometry.tokenY(8))), (GraphNode{1, 8}));
        QCOMPARE(geometry.nodeAt(QPointF(geometry.keyX(), geometry.tokenY(2))), (GraphNode{0, 2}));
        QVERIFY(!geometry.nodeAt(QPointF(geometry.keyX(), geometry.tokenY(5) + viewport.tokenPixels)).isValid());
    }

    void tightRowsGetASmallerLabelFontDownToNinePixels()
    {
        QFont font(QStringLiteral("DejaVu Sans"));
        font.setPixelSize(14);
        const double line = QFontMetricsF(font).height();
        QCOMPARE(tokenLabelFont(font, line + 2)->pixelSize(), 14); // fits: the font itself
        const std::optional<QFont> smaller = tokenLabelFont(font, 12);
        QVERIFY(smaller.has_value());
        QVERIFY(smaller->pixelSize() < 14);
        QVERIFY(QFontMetricsF(*smaller).height() <= 12 - 2 + 0.5); // about its 10 px of room
        QVERIFY(!tokenLabelFont(font, 10.9).has_value()); // under a 9 px line: no labels
    }

    // Rows too tight for a 9 px line still show words: every 2nd or 3rd token in the 9 px
    // font (as the head view's axes do), none only when they would be sparser.
    void tighterRowsLabelEveryNthToken()
    {
        QFont font(QStringLiteral("DejaVu Sans"));
        font.setPixelSize(14);
        QCOMPARE(tokenLabels(font, 20)->step, 1);
        const std::optional<TokenLabels> second = tokenLabels(font, 6.5); // 11 px of line + air over 2 rows
        QVERIFY(second.has_value());
        QCOMPARE(second->step, 2);
        QVERIFY(second->shows(0) && !second->shows(1) && second->shows(2));
        QVERIFY(QFontMetricsF(second->font).height() <= 9.5);
        QCOMPARE(tokenLabels(font, 4)->step, 3);
        QVERIFY(!tokenLabels(font, 3.5).has_value());

        // 44 tokens of a layered graph in 300 rows of pixels: the words are there.
        const TokenGraphScene scene = randomScene(3, 44, EdgeFilter{0.0, 4});
        const GraphViewport viewport = fitLayeredViewport(scene, QRectF(0, 0, 900, 300), GraphStyle().font);
        QImage image = blank(QSize(900, 300));
        QPainter painter(&image);
        QVERIFY(paintLayeredGraph(painter, scene, viewport, Influence{}, GraphStyle{}).labels);
    }
};

QTEST_MAIN(TestTokenGraphPainters)
#include "test_token_graph_painters.moc"
