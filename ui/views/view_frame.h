#pragma once
// A view with its caption: one line above the view naming exactly what it draws (the run,
// layer, head and input, as ShownRun::caption words it), tinted while the run is out of
// date, and a message in place of the view when it cannot draw the shown run (a difference
// in a view of weights, an input too long), so a view never shows something else silently.

#include <QWidget>

class QLabel;
class QStackedWidget;

namespace attnscope {

class ViewFrame : public QWidget {
    Q_OBJECT
public:
    ViewFrame(QWidget *view, QWidget *parent = nullptr);

    QWidget *view() const { return m_view; }
    void setCaption(const QString &caption, bool stale = false);
    QString caption() const;
    bool isStale() const { return m_stale; }
    // Shows `reason` instead of the view; an empty reason shows the view again.
    void setUnavailable(const QString &reason);
    QString unavailableReason() const;
    bool isViewShown() const;

private:
    QWidget *m_view;
    QLabel *m_caption;
    QLabel *m_message;
    QStackedWidget *m_stack;
    bool m_stale = false;
};

} // namespace attnscope
