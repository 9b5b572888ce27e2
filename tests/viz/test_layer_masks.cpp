// Local (sliding-window) layers, as the views draw them: each layer's mask hides the future
// and, on a local layer, the keys further back than its window (the definition of
// AttentionInputs::slidingWindow, checked cell by cell here); the model grid's means hatch
// only what every layer hides; labels, captions and figures name the window.
#include <QtTest>

#include <torch/torch.h>

#include "core/attention/kernel.h"
#include "core/attention/variant_spec.h"
#include "core/capture/attention_record.h"
#include "viz/figure/figure_content.h"
#include "viz/figure/view_figures.h"
#include "viz/layer_masks.h"
#include "viz/model_grid_painter.h"
#include "viz/model_thumbnails.h"

using namespace attnscope;

namespace {

constexpr int64_t kTokens = 11, kWindow = 4;

// Two layers as Gemma 2 alternates them: layer 0 local (window 4), layer 1 global.
std::shared_ptr<AttentionRecord> alternatingLayers()
{
    torch::manual_seed(5);
    auto record = std::make_shared<AttentionRecord>();
    record->beginForward(2, 2, kTokens, kTokens);
    for (int layer = 0; layer < 2; ++layer) {
        AttentionInputs inputs;
        inputs.layer = layer;
        inputs.q = torch::randn({2, kTokens, 8});
        inputs.k = torch::randn({2, kTokens, 8});
        inputs.v = torch::randn({2, kTokens, 8});
        inputs.scale = 0.35;
        inputs.causal = true;
        inputs.slidingWindow = layer == 0 ? kWindow : 0;
        attend(inputs, parsePlan(QStringList()), record.get());
    }
    return record;
}

} // namespace

class TestLayerMasks : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void eachLayerHidesWhatItsQueriesCouldNotSee()
    {
        const auto record = alternatingLayers();
        for (int layer = 0; layer < 2; ++layer) {
            const CellMask mask = layerCellMask(*record, layer, true);
            const torch::Tensor weights = record->layer(layer)[0];
            for (int64_t i = 0; i < kTokens; ++i)
                for (int64_t j = 0; j < kTokens; ++j) {
                    const bool seen = j <= i && (layer == 1 || j > i - kWindow);
                    QCOMPARE(mask.masked(i, j), !seen);
                    if (!seen) // the engine gave these cells nothing
                        QCOMPARE(weights[i][j].item<float>(), 0.0f);
                }
        }
        QVERIFY(layerCellMask(*record, 0, false).isEmpty()); // an encoder masks nothing
        QCOMPARE(slidingLayers(*record), (std::vector<bool>{true, false}));
        QCOMPARE(slidingWindowNote(*record), QStringLiteral("* sliding window of 4 keys"));
        // A window as long as the input slides nothing.
        const auto plain = AttentionRecord::fromProbabilities(torch::full({1, 1, 3, 3}, 1.0 / 3));
        QCOMPARE(slidingLayers(*plain), std::vector<bool>{false});
        QVERIFY(slidingWindowNote(*plain).isEmpty());
    }

    // The mean over layers hatches a cell only when every layer hides it: the global layer sees
    // the far past, so the means show it unhatched.
    void modelGridMeansHatchWhatEveryLayerHides()
    {
        const auto record = alternatingLayers();
        ThumbnailPass pass;
        const ModelThumbnails thumbnails = computeModelThumbnails(*record, pass);
        QCOMPARE(thumbnails.level, 0);
        const ModelGridImages images(thumbnails, ModelGridStyle{}, layerBlockMasks(*record, true, 1));
        const HeatmapStyle style;
        const QPoint farPast(0, int(kTokens - 1)), future(int(kTokens - 1), 0);
        const auto hatched = [&](const QImage &image, QPoint cell) {
            const QRgb pixel = image.pixel(cell);
            return pixel == style.maskedColor || pixel == style.maskedHatchColor;
        };
        QVERIFY(hatched(images.image(0, 0), farPast));  // the local layer
        QVERIFY(!hatched(images.image(1, 0), farPast)); // the global layer
        QVERIFY(!hatched(images.image(2, 0), farPast)); // the mean over layers
        QVERIFY(hatched(images.image(0, 2), farPast));  // the local layer's mean over heads
        for (int layer = 0; layer <= 2; ++layer)
            QVERIFY(hatched(images.image(layer, 2), future));
    }

    void figuresNameTheWindow()
    {
        const auto record = alternatingLayers();
        const FigureSource source = figureSourceOf(record, true);
        FigureRequest request;
        request.layer = 0;
        QVERIFY(headFigure(request, source)->title().contains(QStringLiteral("sliding window of 4 keys")));
        request.layer = 1;
        QVERIFY(!headFigure(request, source)->title().contains(QStringLiteral("sliding")));
        QVERIFY(modelFigure(FigureRequest{}, source)->title().contains(QStringLiteral("* sliding window of 4 keys")));
    }
};

QTEST_MAIN(TestLayerMasks)
#include "test_layer_masks.moc"
