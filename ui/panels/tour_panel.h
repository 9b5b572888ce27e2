#pragma once
// The guided tour of a demo as a strip across the window, one step at a time: the demo and
// step on one line with Show me, Back, Next and Close; below, what to click and what to
// notice, three lines high (longer text scrolls), so the strip costs the views little height
// on a 1024×768 projector. Showing a step brings its view and head forward (stepShown);
// "Show me" asks for the whole step to be done (showMeRequested).

#include <QList>
#include <QWidget>

#include "ui/demo_catalog.h"

class QLabel;
class QPushButton;
class QScrollArea;

namespace attnscope {

class TourPanel : public QWidget {
    Q_OBJECT
public:
    explicit TourPanel(QWidget *parent = nullptr);

    void start(const QString &demoTitle, const QList<DemoTourStep> &steps);
    QString demoTitle() const { return m_demoTitle; }
    int currentStep() const { return m_current; }
    int stepCount() const { return int(m_steps.size()); }
    void showStep(int index);
    QPushButton *showMeButton() const { return m_showMe; }

Q_SIGNALS:
    void stepShown(const attnscope::DemoTourStep &step);
    void showMeRequested(const attnscope::DemoTourStep &step);
    void closeRequested();

protected:
    void changeEvent(QEvent *event) override; // the text keeps three lines at any font size

private:
    void fitTextHeight();

    QString m_demoTitle;
    QList<DemoTourStep> m_steps;
    int m_current = -1;
    QLabel *m_heading;
    QLabel *m_text;
    QScrollArea *m_textArea;
    QPushButton *m_showMe;
    QPushButton *m_back;
    QPushButton *m_next;
    QPushButton *m_close;
};

} // namespace attnscope
