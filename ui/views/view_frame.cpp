#include "ui/views/view_frame.h"

#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace attnscope {

ViewFrame::ViewFrame(QWidget *view, QWidget *parent) : QWidget(parent), m_view(view)
{
    m_caption = new QLabel(this);
    m_caption->setObjectName(QStringLiteral("viewCaption"));
    m_caption->setTextFormat(Qt::PlainText);
    m_caption->setWordWrap(true);
    m_caption->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_caption->setContentsMargins(6, 2, 6, 2);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("viewUnavailable"));
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setMargin(24);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(view);
    m_stack->addWidget(m_message);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_caption);
    layout->addWidget(m_stack, 1);
    setCaption(QString());
}

void ViewFrame::setCaption(const QString &caption, bool stale)
{
    m_stale = stale;
    m_caption->setText(caption);
    m_caption->setVisible(!caption.isEmpty());
    // Out of date stands out: the same amber as a warning, readable on a projector.
    m_caption->setStyleSheet(stale ? QStringLiteral("QLabel { background: #ffe08a; color: #3a2a00; font-weight: bold; }")
                                   : QStringLiteral("QLabel { background: palette(alternate-base); }"));
}

QString ViewFrame::caption() const { return m_caption->text(); }

void ViewFrame::setUnavailable(const QString &reason)
{
    m_message->setText(reason);
    m_stack->setCurrentWidget(reason.isEmpty() ? m_view : static_cast<QWidget *>(m_message));
}

QString ViewFrame::unavailableReason() const { return isViewShown() ? QString() : m_message->text(); }
bool ViewFrame::isViewShown() const { return m_stack->currentWidget() == m_view; }

} // namespace attnscope
