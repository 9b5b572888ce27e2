#include "ui/presentation_mode.h"

#include <cmath>

#include <QAction>
#include <QApplication>
#include <QStyle>
#include <QWidget>


namespace attnscope {

QFont scaledFont(QFont font, double factor)
{
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * factor);
    else
        font.setPixelSize(int(std::lround(font.pixelSize() * factor)));
    return font;
}

PresentationMode::PresentationMode(QWidget *window, const QList<QAction *> &panels)
    : QObject(window), m_window(window), m_panels(panels)
{
}

void PresentationMode::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    if (active) {
        m_normalFont = QApplication::font();
        m_panelsWereShown.clear();
        // Folded first, so the larger fonts never ask for more than the screen has.
        for (QAction *panel : m_panels) {
            m_panelsWereShown << panel->isChecked();
            panel->setChecked(false);
        }
        const QFont large = scaledFont(m_normalFont, kFontScale);
        QApplication::setFont(large); // menus, dialogs, tooltips
        // The window at once: the application's font reaches widgets only once its event
        // loop runs, and a window given a font of its own would not follow it.
        m_windowHadFont = m_window->testAttribute(Qt::WA_SetFont);
        m_windowFont = m_window->font();
        m_window->setFont(large);
    } else {
        QApplication::setFont(m_normalFont);
        m_window->setFont(m_windowHadFont ? m_windowFont : QFont()); // QFont(): inherit again
        for (int i = 0; i < m_panels.size(); ++i)
            m_panels[i]->setChecked(m_panelsWereShown[i]);
    }
    // A widget with a style sheet of its own (a view's caption) takes its parent's font only
    // when it is polished: polish it again.
    for (QWidget *widget : m_window->findChildren<QWidget *>())
        if (widget->testAttribute(Qt::WA_StyleSheet)) {
            widget->style()->unpolish(widget);
            widget->style()->polish(widget);
        }
}

} // namespace attnscope
