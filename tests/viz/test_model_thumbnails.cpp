// Model-view thumbnails: every pooled cell equals the max or mean of exactly its block of the
// dense matrix (edge blocks included), the aggregates pool the mean over heads / layers, the
// entropy badge is the mean row entropy in bits, a thumbnail equals the tile pyramid's level,
// and the grid's pixels are the colormap of the pooled values.

#include <QPainter>
#include <QtTest>

#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "viz/colormap.h"
#include "viz/model_grid_painter.h"
#include "viz/model_thumbnails.h"
#include "viz/tile_pyramid.h"

using namespace attnscope;

namespace {

constexpr int64_t kLayers = 3, kHeads = 4, kTokens = 150;

torch::Tensor randomAttention(int64_t tokens)
{
    torch::manual_seed(5);
    return torch::softmax(torch::randn({kLayers, kHeads, tokens, tokens}, torch::kDouble) * 3, -1).to(torch::kFloat);
}

// Pools [T, S] into blocks × blocks cells by looping over every cell of every block.
torch::Tensor poolByHand(const torch::Tensor &matrix, int64_t block, Pooling pooling)
{
    const int64_t rows = (matrix.size(0) + block - 1) / block, cols = (matrix.size(1) + block - 1) / block;
    torch::Tensor pooled = torch::empty({rows, cols}, torch::kDouble);
    const auto cells = matrix.to(torch::kDouble).contiguous();
    const auto a = cells.accessor<double, 2>();
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c) {
            double peak = -1, sum = 0;
            int64_t count = 0;
            for (int64_t i = r * block; i < std::min(matrix.size(0), (r + 1) * block); ++i)
                for (int64_t j = c * block; j < std::min(matrix.size(1), (c + 1) * block); ++j) {
                    peak = std::max(peak, a[i][j]);
                    sum += a[i][j];
                    ++count;
                }
            pooled[r][c] = pooling == Pooling::Max ? peak : sum / double(count);
        }
    return pooled;
}

double maxDifference(const torch::Tensor &a, const torch::Tensor &b)
{
    return (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>();
}

} // namespace

class TestModelThumbnails : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void poolsExactBlocks_data()
    {
        QTest::addColumn<int>("pooling");
        QTest::newRow("max") << int(Pooling::Max);
        QTest::newRow("mean") << int(Pooling::Mean);
    }

    void poolsExactBlocks()
    {
        QFETCH(int, pooling);
        const torch::Tensor dense = randomAttention(kTokens);
        const auto record = AttentionRecord::fromProbabilities(dense);
        ThumbnailPass pass;
        pass.maxSide = 64;
        pass.pooling = Pooling(pooling);
        int64_t lastDone = 0, lastTotal = 0;
        pass.progress = [&](int64_t done, int64_t total) { lastDone = done, lastTotal = total; };
        const ModelThumbnails thumbnails = computeModelThumbnails(*record, pass);

        // 150 tokens into ≤ 64 cells: blocks of 4, the last one holding 2 rows/columns.
        QCOMPARE(thumbnails.level, 2);
        QCOMPARE(thumbnails.heads.sizes().vec(), (std::vector<int64_t>{kLayers, kHeads, 38, 38}));
        QCOMPARE(lastDone, lastTotal);
        for (int64_t l = 0; l < kLayers; ++l)
            for (int64_t h = 0; h < kHeads; ++h)
                QVERIFY(maxDifference(thumbnails.heads[l][h], poolByHand(dense[l][h], 4, Pooling(pooling))) < 1e-6);
        for (int64_t l = 0; l < kLayers; ++l)
            QVERIFY(maxDifference(thumbnails.layerMeans[l], poolByHand(dense[l].mean(0), 4, Pooling(pooling))) < 1e-6);
        for (int64_t h = 0; h < kHeads; ++h)
            QVERIFY(maxDifference(thumbnails.headMeans[h], poolByHand(dense.select(1, h).mean(0), 4, Pooling(pooling))) < 1e-6);
    }

    void entropyIsTheMeanRowEntropyInBits()
    {
        const torch::Tensor dense = randomAttention(40);
        const auto record = AttentionRecord::fromProbabilities(dense);
        const ModelThumbnails thumbnails = computeModelThumbnails(*record, {});
        QCOMPARE(thumbnails.level, 0);
        for (int l = 0; l < kLayers; ++l)
            for (int h = 0; h < kHeads; ++h) {
                double total = 0;
                for (int64_t q = 0; q < 40; ++q)
                    for (int64_t k = 0; k < 40; ++k) {
                        const double p = dense[l][h][q][k].item<double>();
                        total -= p * std::log2(p);
                    }
                QVERIFY(std::abs(thumbnails.entropy[l][h].item<double>() - total / 40) < 1e-4);
            }
        // A uniform head has log2(T) bits, a one-hot head none.
        torch::Tensor extremes = torch::zeros({1, 2, 16, 16});
        extremes[0][0].fill_(1.0 / 16);
        extremes[0][1].copy_(torch::eye(16));
        const ModelThumbnails bounds = computeModelThumbnails(*AttentionRecord::fromProbabilities(extremes), {});
        QVERIFY(std::abs(bounds.entropy[0][0].item<double>() - 4.0) < 1e-6);
        QCOMPARE(bounds.entropy[0][1].item<double>(), 0.0);
    }

    void equalsThePyramidLevel()
    {
        const torch::Tensor dense = randomAttention(kTokens);
        const auto record = AttentionRecord::fromProbabilities(dense);
        ThumbnailPass pass;
        pass.maxSide = 40;
        const ModelThumbnails thumbnails = computeModelThumbnails(*record, pass);
        const int layer = 2, head = 1;
        // Small tiles, so that the thumbnail's level spans 3 × 3 of them.
        PyramidOptions options;
        options.tileSize = 16;
        TilePyramid pyramid(recordTileSource(record, layer, head), kTokens, kTokens, options);
        std::vector<torch::Tensor> tileRows;
        for (int64_t row = 0; row < 3; ++row) {
            std::vector<torch::Tensor> tiles;
            for (int64_t col = 0; col < 3; ++col) {
                const PyramidTile tile = pyramid.tile(TileKey{thumbnails.level, row, col});
                QVERIFY(tile.isValid());
                tiles.push_back(tile.values);
            }
            tileRows.push_back(torch::cat(tiles, 1));
        }
        const torch::Tensor level = torch::cat(tileRows, 0);
        QCOMPARE(level.sizes().vec(), thumbnails.heads[layer][head].sizes().vec());
        QCOMPARE(maxDifference(level, thumbnails.heads[layer][head]), 0.0);
    }

    void stopsWhenAsked()
    {
        const auto record = AttentionRecord::fromProbabilities(randomAttention(kTokens));
        ThumbnailPass pass;
        pass.maxSide = 8;
        pass.shouldStop = [] { return true; };
        QVERIFY(computeModelThumbnails(*record, pass).isEmpty());
    }

    // The painted grid: every thumbnail pixel is colormap(value) for a shared linear scale,
    // and cellAt() finds the cell a pixel belongs to.
    void paintedPixelsAreTheColormap()
    {
        const torch::Tensor dense = randomAttention(24);
        const auto record = AttentionRecord::fromProbabilities(dense);
        ThumbnailPass pass;
        pass.maxSide = 8; // blocks of 4 → 6 × 6 cells
        const ModelThumbnails thumbnails = computeModelThumbnails(*record, pass);
        ModelGridStyle style;
        style.heatmap.colormap = Colormap::byName(QStringLiteral("viridis"));
        const ModelGridImages images(thumbnails, style);
        QVERIFY(!images.isEmpty());
        QImage canvas(900, 700, QImage::Format_ARGB32_Premultiplied);
        canvas.fill(Qt::white);
        const ModelGridLayout layout(QRectF(canvas.rect()), int(kLayers), int(kHeads));
        {
            QPainter painter(&canvas);
            paintModelGrid(painter, layout, images, {}, {}, QFont());
        }
        for (int l = 0; l < kLayers; ++l)
            for (int h = 0; h < kHeads; ++h) {
                const QRectF cell = layout.cellRect(l, h);
                const auto hit = layout.cellAt(cell.center());
                QVERIFY(hit && hit->first == l && hit->second == h);
                for (const auto &[r, c] : {std::pair<int, int>{0, 0}, {2, 5}, {5, 1}, {3, 3}}) {
                    const QPointF at(cell.left() + (c + 0.5) * cell.width() / 6, cell.top() + (r + 0.5) * cell.height() / 6);
                    const double value = thumbnails.heads[l][h][r][c].item<double>();
                    HeatmapStyle shared = style.heatmap;
                    shared.scale.range = images.range(l, h);
                    const QRgb expected = shared.colorOf(value);
                    const QRgb got = canvas.pixel(at.toPoint());
                    QVERIFY2(std::abs(qRed(got) - qRed(expected)) <= 1 && std::abs(qGreen(got) - qGreen(expected)) <= 1
                                 && std::abs(qBlue(got) - qBlue(expected)) <= 1,
                             qPrintable(QStringLiteral("L%1 H%2 cell %3,%4").arg(l).arg(h).arg(r).arg(c)));
                }
            }
        QVERIFY(!layout.cellAt(QPointF(1, 1)));
    }
};

QTEST_MAIN(TestModelThumbnails)
#include "test_model_thumbnails.moc"
