#include "ui/views/paint_canvas.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPaintEvent>
#include <QToolTip>
#include <QWheelEvent>

namespace attnscope {

PaintCanvas::PaintCanvas(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
}

void PaintCanvas::paintEvent(QPaintEvent *event)
{
    QPainter painter(this);
    painter.fillRect(event->rect(), Qt::white);
    if (paint)
        paint(painter, event->rect());
}

void PaintCanvas::mousePressEvent(QMouseEvent *event)
{
    setFocus(Qt::MouseFocusReason);
    if (press)
        press(event);
    else
        QWidget::mousePressEvent(event);
}

void PaintCanvas::mouseMoveEvent(QMouseEvent *event)
{
    if (move)
        move(event);
    else
        QWidget::mouseMoveEvent(event);
}

void PaintCanvas::mouseReleaseEvent(QMouseEvent *event)
{
    if (release)
        release(event);
    else
        QWidget::mouseReleaseEvent(event);
}

void PaintCanvas::wheelEvent(QWheelEvent *event)
{
    if (wheel)
        wheel(event);
    else
        QWidget::wheelEvent(event);
}

void PaintCanvas::keyPressEvent(QKeyEvent *event)
{
    if (!key || !key(event))
        QWidget::keyPressEvent(event);
}

void PaintCanvas::leaveEvent(QEvent *event)
{
    if (leave)
        leave();
    QWidget::leaveEvent(event);
}

bool PaintCanvas::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip && tooltip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString text = tooltip(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace attnscope
