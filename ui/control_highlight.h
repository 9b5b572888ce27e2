#pragma once
// A bright frame drawn over a control for a moment, so the audience sees which control the
// tour just used. It lets clicks through and removes itself.

#include <QPointer>
#include <QWidget>

namespace attnscope {

class ControlHighlight : public QWidget {
    Q_OBJECT
public:
    static constexpr int kShownMs = 1800;

    // Frames `control` (when on screen) in its window; returns the frame, or null.
    static ControlHighlight *flash(QWidget *control);
    QWidget *control() const { return m_control; }

protected:
    void paintEvent(QPaintEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override; // follows the control

private:
    explicit ControlHighlight(QWidget *control);
    void place();

    QPointer<QWidget> m_control;
};

} // namespace attnscope
