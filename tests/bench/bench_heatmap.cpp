// Heatmap rendering and tile pyramid speed: rasterizing a tile, and the first exact overview
// of one head at T = 4,096 and 16,384 from a source that recomputes probabilities from Q and
// K the way a long AttentionRecord does (exp(q·kᵀ·scale − logsumexp of the row), d = 64).
#include <benchmark/benchmark.h>

#include <QThread>
#include <torch/torch.h>

#include "viz/heatmap_raster.h"
#include "viz/tile_pyramid.h"
#include "recomputed_head.h"

using namespace attnscope;

namespace {

void rasterTile(benchmark::State &state)
{
    const int64_t size = state.range(0);
    const torch::Tensor values = torch::softmax(torch::randn({size, size}), 1);
    HeatmapStyle style;
    style.scale.range = {0.0, values.max().item<double>()};
    for (auto _ : state)
        benchmark::DoNotOptimize(rasterizeHeatmap(values, style));
    state.SetItemsProcessed(state.iterations() * size * size);
}
BENCHMARK(rasterTile)->Arg(256)->Arg(1024)->Unit(benchmark::kMillisecond);

// The first exact overview: every cell of the head computed once, pooled into the top tile
// (and the finer levels that fit a quarter of the cache).
void pyramidOverview(benchmark::State &state)
{
    const int64_t tokens = state.range(0);
    const Pooling pooling = state.range(1) ? Pooling::Mean : Pooling::Max;
    const RecomputedHead head(tokens);
    for (auto _ : state) {
        PyramidOptions options;
        options.pooling = pooling;
        TilePyramid pyramid(head.source(), tokens, tokens, options);
        const PyramidTile overview = pyramid.tile({pyramid.geometry().topLevel(), 0, 0});
        benchmark::DoNotOptimize(overview.values.data_ptr<float>());
    }
    state.counters["threads"] = QThread::idealThreadCount();
}
BENCHMARK(pyramidOverview)
    ->Args({4096, 0})->Args({4096, 1})->Args({16384, 0})->Args({16384, 1})
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// Zooming to exact cells after the overview: one level-0 tile of a 16,384-token head.
void pyramidExactTile(benchmark::State &state)
{
    const int64_t tokens = 16384;
    const RecomputedHead head(tokens);
    int64_t row = 0;
    for (auto _ : state) {
        TilePyramid pyramid(head.source(), tokens, tokens);
        benchmark::DoNotOptimize(pyramid.tile({0, row, row}).values.data_ptr<float>());
        row = (row + 7) % pyramid.geometry().tileRows(0);
    }
}
BENCHMARK(pyramidExactTile)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
