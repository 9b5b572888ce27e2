#pragma once
// The step's candidates as horizontal bars (viz/generation_step_painter.h) under a heading
// naming the step, the written token's rank and the settings of the distribution. Clicking a
// bar picks that token to branch with ("Continue from here"); hovering names it exactly.

#include <QWidget>

namespace attnscope {

class GenerationStepsModel;

class StepCandidatesChart : public QWidget {
    Q_OBJECT
public:
    explicit StepCandidatesChart(GenerationStepsModel *model, QWidget *parent = nullptr);

    QString heading() const;
    QRectF barsRect() const;        // where the bars are drawn (widget pixels)
    QRectF candidateRect(int index) const;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void candidatePicked(qint64 id);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override;

private:
    int candidateAt(const QPointF &point) const;
    QStringList headingLines() const; // the heading wrapped to the width

    GenerationStepsModel *m_model;
};

} // namespace attnscope
