#pragma once
// The neuron view drawing: the query vector, the key vector and their scaled product as strips
// of cells on a diverging colormap (each strip symmetric around 0 over its own largest
// magnitude), the dimensions contributing most to the score as signed bars, and the sum.

#include <QFont>
#include <QRectF>
#include <QString>

#include "core/capture/neuron_breakdown.h"
#include "viz/colormap.h"

class QPainter;

namespace attnscope {

enum class NeuronStrip { Query, Key, Contribution };

class NeuronLayout {
public:
    static constexpr double kTitleHeight = 22;
    static constexpr double kStripHeight = 22;
    static constexpr double kLabelWidth = 56;
    static constexpr int kTopDimensions = 12;

    NeuronLayout(const QRectF &area, int64_t dimensions);
    QRectF cellRect(NeuronStrip strip, int64_t dimension) const;
    QRectF barsArea() const;

private:
    QRectF m_area;
    int64_t m_dimensions = 1;
};

// The color of value v in a strip whose largest magnitude is `magnitude`.
QRgb neuronColor(const Colormap &colormap, double value, double magnitude);

void paintNeuronBreakdown(QPainter &painter, const QRectF &area, const NeuronBreakdown &breakdown,
                          const QString &title, const QFont &font, const Colormap &colormap = Colormap::byName(QStringLiteral("rdbu")));

} // namespace attnscope
