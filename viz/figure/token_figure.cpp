// The token figure: one query's attention over the keys (its row) or one key's attention from
// the queries (its column), as bars labelled with their tokens.

#include <algorithm>
#include <numeric>

#include <QFontMetricsF>
#include <QPainter>
#include <torch/torch.h>

#include "viz/figure/value_axis.h"
#include "viz/figure/view_figures.h"

namespace attnscope {

namespace {

constexpr int kMostBars = 64; // beyond this many tokens the figure keeps the strongest

class TokenBarsFigure : public FigureContent {
public:
    TokenBarsFigure(std::vector<std::pair<int, double>> bars, QStringList labels, int64_t token, QString title, QString axis)
        : m_bars(std::move(bars)), m_labels(std::move(labels)), m_token(token), m_title(std::move(title)), m_axis(std::move(axis))
    {
    }
    QString title() const override { return m_title; }
    void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const override
    {
        const QFontMetricsF metrics(canvas.font);
        const double line = metrics.height();
        double peak = 1e-12;
        for (const auto &bar : m_bars)
            peak = std::max(peak, bar.second);
        const ValueAxis axis(0, peak, 4, metrics);
        double labelHeight = 0;
        for (const auto &bar : m_bars)
            labelHeight = std::max(labelHeight, metrics.horizontalAdvance(m_labels.value(bar.first)));
        labelHeight = canvas.labels ? std::min(labelHeight, area.height() * 0.35) + 4 : 0;
        const QRectF plot(area.left() + line + axis.labelWidth() + 6, area.top() + line / 2,
                          area.width() - line - axis.labelWidth() - 6, area.height() - line / 2 - labelHeight - line - 2);
        const double slot = plot.width() / double(std::max<size_t>(1, m_bars.size()));
        const auto yOf = [&](double value) { return axis.y(plot, value); };

        painter.save();
        painter.setFont(canvas.font);
        axis.drawGrid(painter, plot);
        painter.setPen(Qt::NoPen);
        for (size_t i = 0; i < m_bars.size(); ++i) {
            const double x = plot.left() + double(i) * slot;
            painter.setBrush(m_bars[i].first == m_token ? QColor(224, 96, 16) : QColor(31, 87, 163));
            painter.drawRect(QRectF(x + slot * 0.1, yOf(m_bars[i].second), slot * 0.8, plot.bottom() - yOf(m_bars[i].second)));
        }
        axis.drawAxes(painter, plot);
        if (canvas.labels)
            for (size_t i = 0; i < m_bars.size(); ++i) {
                painter.save();
                painter.translate(plot.left() + (double(i) + 0.5) * slot, plot.bottom() + 2);
                painter.rotate(-90);
                painter.drawText(QRectF(-labelHeight, -line / 2, labelHeight, line), Qt::AlignRight | Qt::AlignVCenter,
                                 metrics.elidedText(m_labels.value(m_bars[i].first), Qt::ElideRight, labelHeight));
                painter.restore();
            }
        painter.drawText(QRectF(plot.left(), area.bottom() - line, plot.width(), line), Qt::AlignCenter, m_axis);
        axis.drawTitle(painter, area, plot, QStringLiteral("attention weight"));
        painter.restore();
    }

private:
    std::vector<std::pair<int, double>> m_bars; // (token, weight) in token order
    QStringList m_labels;
    int64_t m_token;
    QString m_title;
    QString m_axis;
};

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
    std::vector<int> order(size_t(values.numel()));
    std::iota(order.begin(), order.end(), 0);
    if (int(order.size()) > kMostBars) {
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return weight[a] > weight[b]; });
        order.resize(kMostBars);
        std::sort(order.begin(), order.end());
    }
    std::vector<std::pair<int, double>> bars;
    for (const int i : order)
        bars.emplace_back(i, weight[i]);
    const QString shown = source.labels.value(int(token));
    const QString title = QStringLiteral("Layer %1, head %2: %3 %4 “%5”")
                              .arg(layer).arg(head).arg(fromQuery ? QStringLiteral("query") : QStringLiteral("key")).arg(token).arg(shown);
    QString axis = fromQuery ? QStringLiteral("key") : QStringLiteral("query");
    if (values.numel() > kMostBars)
        axis += QStringLiteral(" (the %1 strongest of %2)").arg(kMostBars).arg(values.numel());
    return std::make_unique<TokenBarsFigure>(std::move(bars), source.labels, token, title, axis);
}

} // namespace attnscope
