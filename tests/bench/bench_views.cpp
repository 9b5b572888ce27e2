// View repaint speed (the goal is ≤ 16 ms each): the model view placing 144 cached thumbnails
// (12 layers × 12 heads plus the aggregates), and the head view panning and zooming over a
// 4,096-token head once its tiles are cached.
#include <benchmark/benchmark.h>

#include <QImage>
#include <QPainter>
#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "ui/views/heatmap_tile_layer.h"
#include "ui/views/heatmap_viewport.h"
#include "viz/model_grid_painter.h"
#include "viz/model_thumbnails.h"
#include "viz/tile_pyramid.h"
#include "gui_benchmark_main.h"
#include "recomputed_head.h"

using namespace attnscope;

namespace {

void modelViewRepaint(benchmark::State &state)
{
    const int64_t tokens = state.range(0);
    torch::manual_seed(1);
    const auto record = AttentionRecord::fromProbabilities(torch::softmax(torch::randn({12, 12, tokens, tokens}) * 2, -1));
    const ModelThumbnails thumbnails = computeModelThumbnails(*record, {});
    ModelGridStyle style;
    style.kind = state.range(1) ? ThumbnailKind::Lines : ThumbnailKind::Heatmap;
    const ModelGridImages images(thumbnails, style);
    GridBadges badges{QStringLiteral("entropy"), {}};
    for (int l = 0; l < 12; ++l) {
        badges.values.emplace_back();
        for (int h = 0; h < 12; ++h)
            badges.values.back().push_back(thumbnails.entropy[l][h].item<double>());
    }
    QImage canvas(1400, 1000, QImage::Format_ARGB32_Premultiplied);
    const ModelGridLayout layout(QRectF(canvas.rect()), 12, 12);
    for (auto _ : state) {
        canvas.fill(Qt::white);
        QPainter painter(&canvas);
        paintModelGrid(painter, layout, images, badges, GridSelection{3, 5}, QFont());
    }
}
BENCHMARK(modelViewRepaint)->Args({512, 0})->Args({48, 1})->ArgNames({"tokens", "lines"})->Unit(benchmark::kMillisecond);

// One repaint per step of a pan (or a zoom in and out) at `cellPixels` per cell; every tile
// it needs was computed and rasterized before timing starts.
void headViewRepaint(benchmark::State &state)
{
    const int64_t tokens = 4096;
    const double cellPixels = double(state.range(0)) / 4;
    const bool zooming = state.range(1) != 0;
    const RecomputedHead head(tokens);
    auto pyramid = std::make_shared<TilePyramid>(head.source(), tokens, tokens);
    HeatmapViewport viewport;
    viewport.setMatrixSize(tokens, tokens);
    viewport.setPlotRect(QRectF(60, 40, 1200, 800));
    viewport.fit();
    const QPointF centre = viewport.plotRect().center();
    viewport.zoomAt(cellPixels / viewport.cellPixels(), centre);
    HeatmapTileLayer layer;
    layer.setPyramid(pyramid);
    HeatmapStyle style;
    style.scale.range = {0.0, 1.0};
    layer.setStyle(style);
    QImage canvas(1300, 900, QImage::Format_ARGB32_Premultiplied);
    const auto step = [&](int i) {
        if (zooming)
            viewport.zoomAt(i % 2 ? 1.25 : 0.8, centre);
        else
            viewport.panBy(QPointF(i % 40 < 20 ? 7 : -7, i % 40 < 20 ? 5 : -5));
    };
    // Warm up: compute and rasterize every tile the steps will show.
    for (int i = 0; i < 40; ++i) {
        for (const TileKey &key : layer.visibleTiles(viewport))
            pyramid->tile(key);
        QPainter painter(&canvas);
        layer.paint(painter, viewport);
        step(i);
    }
    int i = 0;
    for (auto _ : state) {
        step(i++);
        canvas.fill(Qt::white);
        QPainter painter(&canvas);
        layer.paint(painter, viewport);
    }
}
BENCHMARK(headViewRepaint)
    ->Args({1, 0})->Args({4, 0})->Args({32, 0})->Args({4, 1})
    ->ArgNames({"cellpx_x4", "zoom"})
    ->Unit(benchmark::kMillisecond);

} // namespace

ATTNSCOPE_GUI_BENCHMARK_MAIN()
