#include "ui/panels/tour_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace attnscope {

TourPanel::TourPanel(QWidget *parent)
    : QWidget(parent), m_heading(new QLabel(this)), m_text(new QLabel(this)), m_position(new QLabel(this)),
      m_back(new QPushButton(tr("&Back"), this)), m_next(new QPushButton(tr("&Next"), this))
{
    m_heading->setTextFormat(Qt::RichText);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_text->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_text->setMinimumWidth(220);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_position);
    buttons->addStretch();
    buttons->addWidget(m_back);
    buttons->addWidget(m_next);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_text, 1);
    layout->addLayout(buttons);
    connect(m_back, &QPushButton::clicked, this, [this] { showStep(m_current - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] { showStep(m_current + 1); });
    m_back->setEnabled(false);
    m_next->setEnabled(false);
}

void TourPanel::start(const QString &demoTitle, const QList<DemoTourStep> &steps)
{
    setWindowTitle(tr("Tour: %1").arg(demoTitle));
    m_steps = steps;
    m_current = -1;
    if (m_steps.isEmpty()) {
        m_heading->setText(QStringLiteral("<b>%1</b>").arg(demoTitle.toHtmlEscaped()));
        m_text->setText(tr("This demo has no tour."));
        m_position->clear();
        m_back->setEnabled(false);
        m_next->setEnabled(false);
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
    m_heading->setText(QStringLiteral("<b>%1</b>").arg(step.title.toHtmlEscaped()));
    m_text->setText(step.text);
    m_position->setText(tr("Step %1 of %2").arg(index + 1).arg(m_steps.size()));
    m_back->setEnabled(index > 0);
    m_next->setEnabled(index + 1 < m_steps.size());
    Q_EMIT stepShown(step);
}

} // namespace attnscope
