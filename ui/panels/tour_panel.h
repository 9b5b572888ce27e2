#pragma once
// The guided tour of a demo, one step at a time: a title, what to click and what to notice,
// Back and Next. Each step may ask the workspace for a view and a head (stepShown).

#include <QList>
#include <QWidget>

#include "ui/demo_catalog.h"

class QLabel;
class QPushButton;

namespace attnscope {

class TourPanel : public QWidget {
    Q_OBJECT
public:
    explicit TourPanel(QWidget *parent = nullptr);

    void start(const QString &demoTitle, const QList<DemoTourStep> &steps);
    int currentStep() const { return m_current; }
    void showStep(int index);

Q_SIGNALS:
    void stepShown(const attnscope::DemoTourStep &step);

private:
    QList<DemoTourStep> m_steps;
    int m_current = -1;
    QLabel *m_heading;
    QLabel *m_text;
    QLabel *m_position;
    QPushButton *m_back;
    QPushButton *m_next;
};

} // namespace attnscope
