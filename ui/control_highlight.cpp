#include "ui/control_highlight.h"

#include <QEvent>
#include <QPainter>
#include <QTimer>

namespace attnscope {

namespace {
constexpr int kPen = 4;
const QColor kColor(255, 120, 0); // orange: stands out on the light UI and on every colormap
} // namespace

ControlHighlight *ControlHighlight::flash(QWidget *control)
{
    if (!control || !control->isVisible())
        return nullptr;
    return new ControlHighlight(control);
}

ControlHighlight::ControlHighlight(QWidget *control) : QWidget(control->window()), m_control(control)
{
    setObjectName(QStringLiteral("tourHighlight"));
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    control->installEventFilter(this);
    place();
    show();
    raise();
    QTimer::singleShot(kShownMs, this, &QObject::deleteLater);
}

void ControlHighlight::place()
{
    if (!m_control)
        return;
    const QPoint topLeft = m_control->mapTo(parentWidget(), QPoint(0, 0));
    setGeometry(QRect(topLeft, m_control->size()).adjusted(-kPen, -kPen, kPen, kPen));
}

bool ControlHighlight::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_control && (event->type() == QEvent::Move || event->type() == QEvent::Resize))
        place();
    else if (watched == m_control && event->type() == QEvent::Hide)
        hide();
    return false;
}

void ControlHighlight::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(kColor, kPen));
    painter.drawRoundedRect(QRectF(rect()).adjusted(kPen / 2.0, kPen / 2.0, -kPen / 2.0, -kPen / 2.0), 4, 4);
}

} // namespace attnscope
