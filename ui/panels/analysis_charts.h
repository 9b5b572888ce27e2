#pragma once
// The Qt Charts of the Analyses tab, each built from plain numbers: a per-head score's mean per
// layer (with every head's value beside it), the heads' attention to token roles as bars per
// layer, the heads' MDS map (every point inside the axes, equal aspect), the pruning curve,
// and bars over tokens. Every value axis names what it shows and its unit; legends sit at the
// right in full, never elided.

#include <array>
#include <functional>
#include <vector>

#include <QPointF>
#include <QString>
#include <QStringList>

class QChart;

namespace attnscope {

using HeadValues = std::vector<std::vector<double>>; // [layer][head]

QChart *perLayerChart(const HeadValues &values, const QString &label);

struct NamedLayerValues {
    QString name;
    std::vector<double> perLayer;
};
QChart *tokenRoleChart(const std::vector<NamedLayerValues> &roles);

// points[layer · heads + head]; `chosen(layer, head)` when a point is clicked.
QChart *headMapChart(const std::vector<QPointF> &points, int heads, const std::function<void(int, int)> &chosen);

// Rows of (heads masked, loss, agreement with the unmasked model).
QChart *pruningChart(const std::vector<std::array<double, 3>> &curve);

// One bar per entry, in order; beyond kMostBars entries only the strongest, still in order.
constexpr int kMostBars = 64;
QChart *barChart(const std::vector<double> &values, const QStringList &labels, const QString &title,
                 const QString &valueLabel);

// The tokens as HTML, each on a background of its value (magma, the largest darkest).
QString coloredTokensHtml(const std::vector<double> &values, const QStringList &labels);

} // namespace attnscope
