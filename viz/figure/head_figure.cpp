// The head and rollout figures: a matrix over the tokens, queries down, keys across.

#include <torch/torch.h>

#include "core/analysis/rollout.h"
#include "viz/figure/matrix_figure.h"
#include "viz/figure/view_figures.h"
#include "viz/layer_masks.h"
#include "viz/row_peaks.h"

namespace attnscope {

namespace {

// Each row over its largest |value|, as the head view's "per row" draws it.
void divideRowsByTheirPeaks(MatrixFigureData &data)
{
    auto peaks = std::make_shared<RowPeaks>(data.source, data.rows, data.cols);
    data.source = [source = data.source, peaks](int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
        const torch::Tensor peak = peaks->get(r0, r1).to(torch::kFloat32).clamp_min(1e-30f).unsqueeze(1);
        return source(r0, r1, c0, c1).to(torch::kFloat32) / peak;
    };
    data.title += QStringLiteral(", per row");
    data.colorbarLabel += QStringLiteral(" ÷ its row's peak");
}

// mask: what the queries could not see (hatched).
std::unique_ptr<FigureContent> tokenMatrixFigure(MatrixFigureData data, const FigureSource &source, bool perRow,
                                                 CellMask mask)
{
    if (perRow)
        divideRowsByTheirPeaks(data);
    data.rowLabels = source.labels;
    data.columnLabels = source.labels;
    data.mask = std::move(mask);
    fitRangeToCells(data);
    return std::make_unique<MatrixFigure>(std::move(data));
}

} // namespace

std::unique_ptr<FigureContent> headFigure(const FigureRequest &request, const FigureSource &source)
{
    const AttentionRecord &record = *source.record;
    const int layer = requestedLayer(request, record, 0);
    const int head = requestedHead(request, record, 0);
    MatrixFigureData data;
    data.source = recordTileSource(source.record, layer, head);
    data.rows = record.queries();
    data.cols = record.keys();
    data.title = QStringLiteral("Layer %1, head %2").arg(layer).arg(head);
    if (slidesAt(record, layer))
        data.title += QStringLiteral(" (sliding window of %1 keys)").arg(record.slidingWindow(layer));
    QString colormap = QStringLiteral("viridis");
    if (!request.compared.isEmpty() && request.compared != QLatin1String("variant")) {
        if (!source.reference)
            throw FigureRequestError(QStringLiteral("--compared %1 needs a run with --variant").arg(request.compared));
        if (request.compared == QLatin1String("reference")) {
            data.source = recordTileSource(source.reference, layer, head);
            data.title += QStringLiteral(", reference");
        } else {
            data.source = [record = source.record, reference = source.reference, layer, head](int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
                return record->tile(layer, head, r0, r1, c0, c1) - reference->tile(layer, head, r0, r1, c0, c1);
            };
            data.pooling = Pooling::Mean; // signed values: a max would hide every decrease
            data.title += QStringLiteral(", variant − reference");
            data.colorbarLabel = QStringLiteral("change in attention weight");
            colormap = QStringLiteral("rdbu");
        }
    } else if (source.reference) {
        data.title += QStringLiteral(", variant");
    }
    data.style = requestedStyle(request, colormap);
    return tokenMatrixFigure(std::move(data), source, request.perRow, layerCellMask(record, layer, source.causal));
}

std::unique_ptr<FigureContent> rolloutFigure(const FigureRequest &request, const FigureSource &source)
{
    const AttentionRecord &record = *source.record;
    const int layer = requestedLayer(request, record, int(record.layers()) - 1);
    if (record.queries() != record.keys())
        throw FigureRequestError(QStringLiteral("rollout needs self-attention (as many queries as keys)"));
    // Rollout multiplies whole layers: the record must fit in memory, as for the analysis.
    const torch::Tensor rollout = attentionRollout(record.all().slice(0, 0, layer + 1), RolloutSettings{})[layer].to(torch::kFloat32);
    MatrixFigureData data;
    data.source = denseTileSource(rollout);
    data.rows = rollout.size(0);
    data.cols = rollout.size(1);
    data.style = requestedStyle(request, QStringLiteral("viridis"));
    data.title = QStringLiteral("Attention rollout after layer %1").arg(layer);
    data.columnAxis = QStringLiteral("input token");
    data.rowAxis = QStringLiteral("output token");
    data.colorbarLabel = QStringLiteral("rollout weight");
    const CellMask mask = source.causal ? CellMask::causal(data.rows, data.cols) : CellMask();
    return tokenMatrixFigure(std::move(data), source, request.perRow, mask);
}

} // namespace attnscope
