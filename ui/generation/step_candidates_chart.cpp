#include "ui/generation/step_candidates_chart.h"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include "ui/generation/generation_steps_model.h"
#include "viz/generation_step_painter.h"

namespace attnscope {

StepCandidatesChart::StepCandidatesChart(GenerationStepsModel *model, QWidget *parent)
    : QWidget(parent), m_model(model)
{
    setObjectName(QStringLiteral("stepCandidates"));
    setMouseTracking(true);
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Click a candidate to write it at this step instead, then Continue from here"));
    connect(model, &GenerationStepsModel::pictureChanged, this, qOverload<>(&QWidget::update));
    connect(model, &GenerationStepsModel::pickedChanged, this, qOverload<>(&QWidget::update));
}

QString StepCandidatesChart::heading() const
{
    if (!m_model->hasSteps())
        return tr("Candidates of a step: generate first");
    const StepPicture &picture = m_model->picture();
    return tr("%1\n%2 (orange: the token written; click another to write it instead)")
        .arg(stepSummary(picture), distributionCaption(picture.shown));
}

QStringList StepCandidatesChart::headingLines() const
{
    QFont bold = font();
    bold.setBold(true);
    return attnscope::headingLines(heading(), bold, width() - 8);
}

QRectF StepCandidatesChart::barsRect() const
{
    const double line = QFontMetricsF(font()).height();
    return QRectF(rect()).adjusted(4, headingLines().size() * line + 8, -4, -line - 4);
}

QRectF StepCandidatesChart::candidateRect(int index) const
{
    return candidateRowRect(barsRect(), int(m_model->picture().candidates.size()), font(), index);
}

QSize StepCandidatesChart::minimumSizeHint() const
{
    const int line = fontMetrics().height();
    return QSize(240, line * 12);
}

int StepCandidatesChart::candidateAt(const QPointF &point) const
{
    if (!m_model->hasSteps())
        return -1;
    for (int i = 0; i < int(m_model->picture().candidates.size()); ++i)
        if (candidateRect(i).contains(point))
            return i;
    return -1;
}

void StepCandidatesChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), Qt::white);
    painter.setPen(Qt::black);
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.drawText(QRectF(rect()).adjusted(4, 2, -4, 0), Qt::AlignLeft | Qt::AlignTop,
                     headingLines().join(QLatin1Char('\n')));
    if (m_model->hasSteps())
        paintCandidateBars(painter, barsRect(), m_model->picture(), font(), m_model->picked());
}

void StepCandidatesChart::mousePressEvent(QMouseEvent *event)
{
    const int index = candidateAt(event->position());
    if (index >= 0)
        Q_EMIT candidatePicked(m_model->picture().candidates[size_t(index)].id);
}

bool StepCandidatesChart::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int index = candidateAt(help->pos());
        if (index < 0) {
            QToolTip::showText(help->globalPos(), toolTip(), this);
            return true;
        }
        const StepCandidate &candidate = m_model->picture().candidates[size_t(index)];
        QToolTip::showText(help->globalPos(),
                           tr("%1 (id %2): probability %3\nClick to write it here instead")
                               .arg(candidate.label).arg(candidate.id).arg(candidate.probability, 0, 'g', 6),
                           this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace attnscope
