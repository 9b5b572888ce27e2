#include "ui/generation/step_row_grid.h"

#include <algorithm>

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include "ui/generation/generation_steps_model.h"
#include "ui/views/color_scale_bar.h"
#include "viz/generation_step_painter.h"

namespace attnscope {

StepRowGrid::StepRowGrid(GenerationStepsModel *model, QWidget *parent)
    : QWidget(parent), m_model(model), m_scale(new ColorScaleBar(this))
{
    setObjectName(QStringLiteral("stepRowGrid"));
    setMouseTracking(true);
    connect(model, &GenerationStepsModel::pictureChanged, this, &StepRowGrid::restyle);
    connect(model, &GenerationStepsModel::headChanged, this, [this] {
        placeScale(); // the heading names the head: its lines may change
        update();
    });
    restyle();
}

QString StepRowGrid::heading() const
{
    if (!m_model->hasSteps())
        return tr("The row that chose the token, in every layer × head");
    const StepPicture &picture = m_model->picture();
    return tr("What position %1 (%2) attended to when writing %3: its row in every layer × head "
              "(framed: L%4 H%5, which colours the text below; click another)")
        .arg(picture.query).arg(picture.keyLabels.value(int(picture.query)), picture.written)
        .arg(m_model->layer()).arg(m_model->head());
}

double StepRowGrid::headingHeight() const
{
    QFont bold = font();
    bold.setBold(true);
    return headingLines(heading(), bold, width() - 8).size() * QFontMetricsF(bold).height() + 8;
}

QRectF StepRowGrid::gridRect() const
{
    return QRectF(rect()).adjusted(4, headingHeight(), -m_scale->width() - 8, -4);
}

void StepRowGrid::placeScale()
{
    const int top = int(headingHeight());
    const int width = m_scale->sizeHint().width();
    m_scale->setGeometry(this->width() - width - 2, top, width, height() - top - 2);
}

QSize StepRowGrid::minimumSizeHint() const
{
    return QSize(280, fontMetrics().height() * 8);
}

void StepRowGrid::restyle()
{
    m_style.scale.range = {0.0, m_model->hasSteps() && m_model->picture().peak > 0 ? m_model->picture().peak : 1.0};
    m_scale->setScale(m_style, tr("attention weight"));
    placeScale();
    update();
}

void StepRowGrid::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    placeScale();
}

void StepRowGrid::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), Qt::white);
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(Qt::black);
    painter.drawText(QRectF(rect()).adjusted(4, 2, -4, 0), Qt::AlignLeft | Qt::AlignTop,
                     headingLines(heading(), bold, width() - 8).join(QLatin1Char('\n')));
    if (m_model->hasSteps())
        paintRowGrid(painter, gridRect(), m_model->picture(), m_style, font(), m_model->layer(), m_model->head());
}

void StepRowGrid::mousePressEvent(QMouseEvent *event)
{
    if (!m_model->hasSteps())
        return;
    if (const auto cell = rowGridCellAt(gridRect(), m_model->picture(), font(), event->position()))
        m_model->setHead(cell->first, cell->second);
}

bool StepRowGrid::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip && m_model->hasSteps()) {
        auto *help = static_cast<QHelpEvent *>(event);
        const StepPicture &picture = m_model->picture();
        const auto cell = rowGridCellAt(gridRect(), picture, font(), help->pos());
        if (!cell) {
            QToolTip::hideText();
            return true;
        }
        const QRectF strip = rowGridCellRect(gridRect(), picture, font(), cell->first, cell->second);
        const int key = std::clamp(int((help->pos().x() - strip.left()) / strip.width() * picture.keys()), 0,
                                   picture.keys() - 1);
        QToolTip::showText(help->globalPos(),
                           tr("layer %1, head %2: key %3 (%4) weight %5\nClick to colour the text by this head")
                               .arg(cell->first).arg(cell->second).arg(key).arg(picture.keyLabels.value(key))
                               .arg(picture.row(cell->first, cell->second)[key], 0, 'g', 4),
                           this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace attnscope
