#pragma once
// The colour scale beside a map: the map's own colormap as a bar from its range's low (bottom)
// to its high (top), round ticks (powers of ten on a log scale, signed around 0 on a diverging
// map), and along the bar what the colours show and how: "attention weight · linear". Drawn
// by the figure exporter's colorbar painter, so that the GUI and the figures label alike.

#include <vector>

#include <QWidget>

#include "viz/heatmap_style.h"

namespace attnscope {

// "linear", "log", "gamma 0.5": the name of a scale as a caption shows it.
QString scaleCaption(const ValueScale &scale);

class ColorScaleBar : public QWidget {
    Q_OBJECT
public:
    explicit ColorScaleBar(QWidget *parent = nullptr);

    // The map's colours, its range already known; unit: what a value is ("attention weight").
    void setScale(const HeatmapStyle &style, const QString &unit);
    const HeatmapStyle &style() const { return m_style; }
    QString unit() const { return m_unit; }
    QString caption() const; // the text along the bar

    std::vector<double> tickValues() const;
    // On the bar's centre line at the height of `value` (widget pixels).
    QPointF tickPoint(double value) const;
    QRectF barRect() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QRectF scaleArea() const;

    HeatmapStyle m_style;
    QString m_unit;
};

} // namespace attnscope
