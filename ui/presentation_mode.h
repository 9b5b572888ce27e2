#pragma once
// View → Presentation Mode, for a projector: every font ×1.6 — the application font, which
// the views' axis labels, captions and colour-scale ticks follow — and the input column, the
// lower views and the status bar folded away (View → Side Panel and Lower Views bring them
// back), so the maps get the room; the tour stays a strip above the views. Leaving restores
// the fonts and what was shown exactly as before.

#include <QFont>
#include <QList>
#include <QObject>

class QAction;
class QWidget;

namespace attnscope {

class PresentationMode : public QObject {
    Q_OBJECT
public:
    static constexpr double kFontScale = 1.6;

    // panels: the View menu's checkable actions of what presentation folds away (side panel,
    // lower views, status bar): it unchecks them, so the menu always says what is shown.
    PresentationMode(QWidget *window, const QList<QAction *> &panels);

    bool isActive() const { return m_active; }
    void setActive(bool active);

private:
    QWidget *m_window;
    QList<QAction *> m_panels;
    bool m_active = false;
    // What leaving restores.
    QFont m_normalFont;       // the application's
    QFont m_windowFont;
    bool m_windowHadFont = false; // a font of its own, or the application's
    QList<bool> m_panelsWereShown;
};

// The font scaled by `factor`, in points or pixels, whichever it is given in.
QFont scaledFont(QFont font, double factor);

} // namespace attnscope
