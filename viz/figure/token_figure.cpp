// The token figure: one query's attention over the keys (its row) or one key's attention from
// the queries (its column), as bars labelled with their tokens.

#include <torch/torch.h>

#include "viz/figure/bars_figure.h"
#include "viz/figure/view_figures.h"

namespace attnscope {

namespace {

constexpr int kMostBars = 64; // beyond this many tokens the figure keeps the strongest

} // namespace

std::unique_ptr<FigureContent> tokenFigure(const FigureRequest &request, const FigureSource &source)
{
    const AttentionRecord &record = *source.record;
    const int layer = requestedLayer(request, record, 0);
    const int head = requestedHead(request, record, 0);
    const int64_t token = requestedToken(request, record);
    const bool fromQuery = request.direction != QLatin1String("key");
    if (!fromQuery && token >= record.keys())
        throw FigureRequestError(QStringLiteral("--token %1 is outside the %2 keys").arg(token).arg(record.keys()));
    const torch::Tensor values = (fromQuery ? record.row(layer, head, token) : record.column(layer, head, token))
                                     .to(torch::kFloat64).contiguous();
    const double *weight = values.data_ptr<double>();
    BarsFigureData bars;
    bars.bars = strongestBars(std::vector<double>(weight, weight + values.numel()), kMostBars);
    const QString shown = source.labels.value(int(token));
    bars.title = QStringLiteral("Layer %1, head %2: %3 %4 “%5”")
                     .arg(layer).arg(head).arg(fromQuery ? QStringLiteral("query") : QStringLiteral("key")).arg(token).arg(shown);
    bars.entryAxis = fromQuery ? QStringLiteral("key") : QStringLiteral("query");
    if (values.numel() > kMostBars)
        bars.entryAxis += QStringLiteral(" (the %1 strongest of %2)").arg(kMostBars).arg(values.numel());
    bars.valueAxis = QStringLiteral("attention weight");
    bars.labels = source.labels;
    bars.highlighted = int(token);
    return std::make_unique<BarsFigure>(std::move(bars));
}

} // namespace attnscope
