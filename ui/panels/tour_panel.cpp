#include "ui/panels/tour_panel.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace attnscope {

namespace {
constexpr int kTextLines = 3;
}

TourPanel::TourPanel(QWidget *parent)
    : QWidget(parent), m_heading(new QLabel(this)), m_text(new QLabel), m_textArea(new QScrollArea(this)),
      m_showMe(new QPushButton(tr("&Show Me"), this)), m_back(new QPushButton(tr("&Back"), this)),
      m_next(new QPushButton(tr("&Next"), this)), m_close(new QPushButton(tr("Close Tour"), this))
{
    m_heading->setTextFormat(Qt::RichText);
    m_heading->setObjectName(QStringLiteral("tourHeading"));
    m_heading->setWordWrap(true); // never wider than the window
    m_text->setObjectName(QStringLiteral("tourText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_text->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_textArea->setWidget(m_text);
    m_textArea->setWidgetResizable(true);
    m_textArea->setFrameShape(QFrame::NoFrame);
    m_textArea->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_showMe->setObjectName(QStringLiteral("tourShowMe"));
    m_showMe->setToolTip(tr("Do this step in the window: select the head, run the variant or analysis, show the view"));
    m_close->setObjectName(QStringLiteral("tourClose"));
    auto *top = new QHBoxLayout;
    top->addWidget(m_heading, 1);
    for (QPushButton *button : {m_showMe, m_back, m_next, m_close})
        top->addWidget(button);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->setSpacing(2);
    layout->addLayout(top);
    layout->addWidget(m_textArea);
    connect(m_back, &QPushButton::clicked, this, [this] { showStep(m_current - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] { showStep(m_current + 1); });
    connect(m_showMe, &QPushButton::clicked, this, [this] {
        if (m_current >= 0)
            Q_EMIT showMeRequested(m_steps[m_current]);
    });
    connect(m_close, &QPushButton::clicked, this, &TourPanel::closeRequested);
    for (QPushButton *button : {m_showMe, m_back, m_next})
        button->setEnabled(false);
    fitTextHeight();
}

void TourPanel::start(const QString &demoTitle, const QList<DemoTourStep> &steps)
{
    m_demoTitle = demoTitle;
    setWindowTitle(tr("Tour: %1").arg(demoTitle));
    m_heading->setToolTip(windowTitle());
    m_steps = steps;
    m_current = -1;
    if (m_steps.isEmpty()) {
        m_heading->setText(tr("<b>Tour:</b> %1").arg(demoTitle.toHtmlEscaped()));
        m_text->setText(tr("This demo has no tour."));
        for (QPushButton *button : {m_showMe, m_back, m_next})
            button->setEnabled(false);
        return;
    }
    showStep(0);
}

void TourPanel::showStep(int index)
{
    if (index < 0 || index >= m_steps.size())
        return;
    m_current = index;
    const DemoTourStep &step = m_steps[index];
    m_heading->setText(tr("Step %1 of %2: <b>%3</b>").arg(index + 1).arg(m_steps.size()).arg(step.title.toHtmlEscaped()));
    m_text->setText(step.text);
    m_showMe->setEnabled(true);
    m_back->setEnabled(index > 0);
    m_next->setEnabled(index + 1 < m_steps.size());
    Q_EMIT stepShown(step);
}

void TourPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        fitTextHeight();
}

void TourPanel::fitTextHeight()
{
    m_textArea->setFixedHeight(QFontMetrics(font()).lineSpacing() * kTextLines + 4);
}

} // namespace attnscope
