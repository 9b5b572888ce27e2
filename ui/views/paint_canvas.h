#pragma once
// A plain widget the views draw on with QPainter and whose input they handle through hooks,
// so that each view keeps its drawing state in its own Private instead of a widget subclass.
// Unset hooks leave the event to QWidget.

#include <functional>

#include <QWidget>

class QKeyEvent;
class QMouseEvent;
class QWheelEvent;

namespace attnscope {

class PaintCanvas : public QWidget {
public:
    std::function<void(QPainter &, const QRectF &exposed)> paint; // on a white background
    std::function<void(QMouseEvent *)> press;
    std::function<void(QMouseEvent *)> move; // with or without a button (mouse tracking is on)
    std::function<void(QMouseEvent *)> release;
    std::function<void(QWheelEvent *)> wheel;
    std::function<bool(QKeyEvent *)> key;     // true when handled
    std::function<QString(const QPointF &)> tooltip; // empty: none
    std::function<void()> leave;

    explicit PaintCanvas(QWidget *parent);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void leaveEvent(QEvent *event) override;
    bool event(QEvent *event) override;
};

} // namespace attnscope
