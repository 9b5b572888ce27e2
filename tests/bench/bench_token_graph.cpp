// Token graph speed: one repaint of the layered graph into an offscreen QImage (the goal is
// ≤ 16 ms at 256 tokens × 12 layers with top-k = 4), the same at 512 tokens fitted and zoomed
// in, and the rebuild of the kept edges when the threshold or top-k changes.
#include <benchmark/benchmark.h>

#include <QImage>
#include <torch/torch.h>

#include "viz/layered_graph_painter.h"
#include "gui_benchmark_main.h"

using namespace attnscope;

namespace {

const QSize kCanvas(1400, 900);

// The layer mean of 12 random softmax heads per layer, the way a model's attention looks to
// the graph: every weight positive, a few strong keys per query.
TokenGraphWeights benchWeights(int64_t tokens)
{
    torch::manual_seed(1);
    TokenGraphWeights weights;
    weights.edges = (2.0 * torch::randn({12, 12, tokens, tokens}, torch::kFloat64)).softmax(-1).mean(1);
    return weights;
}

TokenGraphScene benchScene(int64_t tokens, int topK)
{
    QStringList labels;
    for (int64_t t = 0; t < tokens; ++t)
        labels << QStringLiteral("token%1").arg(t);
    return makeTokenGraphScene(benchWeights(tokens), EdgeFilter{0.0, topK}, labels, {});
}

// state.range: tokens, top-k, rows shown (0 = every token fitted).
void repaintLayered(benchmark::State &state)
{
    const TokenGraphScene scene = benchScene(state.range(0), int(state.range(1)));
    const GraphStyle style;
    GraphViewport viewport = fitLayeredViewport(scene, QRectF(QPointF(0, 0), kCanvas), style.font);
    if (state.range(2) > 0) {
        viewport.tokenPixels = (kCanvas.height() - LayeredGraphGeometry::kHeaderHeight) / double(state.range(2));
        viewport.firstToken = double(state.range(0)) / 2;
    }
    QImage image(kCanvas, QImage::Format_ARGB32_Premultiplied);
    GraphPaintStats stats;
    for (auto _ : state) {
        image.fill(Qt::white);
        QPainter painter(&image);
        stats = paintLayeredGraph(painter, scene, viewport, Influence{}, style);
    }
    state.counters["edges"] = double(scene.graph.edges().size());
    state.counters["drawn"] = double(stats.drawnEdges);
}

void rebuildKeptEdges(benchmark::State &state)
{
    const TokenGraphWeights weights = benchWeights(state.range(0));
    for (auto _ : state)
        benchmark::DoNotOptimize(makeTokenGraphScene(weights, EdgeFilter{0.0, int(state.range(1))}, {}, {}));
}

} // namespace

BENCHMARK(repaintLayered)
    ->Args({256, 4, 0})
    ->Args({512, 4, 0})
    ->Args({512, 4, 40})
    ->Args({512, 0, 0})
    ->ArgNames({"tokens", "topk", "rows"})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(rebuildKeptEdges)->Args({512, 4})->Args({512, 0})->ArgNames({"tokens", "topk"})->Unit(benchmark::kMillisecond);

ATTNSCOPE_GUI_BENCHMARK_MAIN()
