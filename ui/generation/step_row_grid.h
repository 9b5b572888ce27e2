#pragma once
// The row that chose the step's token in every layer and head: a layers × heads grid of
// strips, one cell per key (viz/generation_step_painter.h), under a heading naming the row,
// with its colour scale beside. Clicking a strip colours the text by that layer and head.

#include <QWidget>

#include "viz/heatmap_style.h"

namespace attnscope {

class ColorScaleBar;
class GenerationStepsModel;

class StepRowGrid : public QWidget {
    Q_OBJECT
public:
    explicit StepRowGrid(GenerationStepsModel *model, QWidget *parent = nullptr);

    QString heading() const;
    const HeatmapStyle &style() const { return m_style; } // its range: [0, the step's peak]
    ColorScaleBar *colorScale() const { return m_scale; }
    QRectF gridRect() const;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool event(QEvent *event) override;

private:
    void restyle();
    double headingHeight() const; // the heading wrapped to the width
    void placeScale();

    GenerationStepsModel *m_model;
    ColorScaleBar *m_scale;
    HeatmapStyle m_style;
};

} // namespace attnscope
