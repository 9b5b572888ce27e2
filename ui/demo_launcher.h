#pragma once
// Opens the built-in demos: fills the Examples menu (every demo, each sample input, its
// tour), opens a demo's model on a sample and runs it, and shows the demo's guided tour in
// a strip above the workspace whose steps select views and heads, and whose "Show me" does
// the step (tour_actions.h). Opening another model changes the tour to that demo's, or
// closes it.

#include <QList>
#include <QObject>

#include "ui/demo_catalog.h"

class QDockWidget;
class QMenu;

namespace attnscope {

class MainWindow;
class TourPanel;

class DemoLauncher : public QObject {
    Q_OBJECT
public:
    // Reads the catalog from demosDirectory(); without one the menu says so.
    DemoLauncher(MainWindow *window, QMenu *examplesMenu);

    const QList<DemoEntry> &demos() const { return m_demos; }
    // Opens the demo's model and runs its example; false with a one-line reason otherwise.
    bool openExample(const QString &demoName, int example, QString *error = nullptr);
    // Opens the demo's first example and its tour (what first launch and --demo show).
    bool startDemo(const QString &demoName, QString *error = nullptr);
    // Help → Start the Tour Again: the open demo's tour from its first step, or the first
    // demo with its tour when no demo is open.
    bool restartTour(QString *error = nullptr);
    TourPanel *tour() const { return m_tour; }
    QDockWidget *tourDock() const { return m_tourDock; }
    bool isTourShown() const;

private:
    const DemoEntry *find(const QString &demoName) const;
    void fillMenu(QMenu *menu);
    void showTour(const DemoEntry &demo);
    void applyStep(const DemoTourStep &step);
    void followOpenedSource(const QString &source);
    const DemoEntry *demoAt(const QString &folder) const;

    MainWindow *m_window;
    QList<DemoEntry> m_demos;
    QString m_catalogError;
    TourPanel *m_tour = nullptr;
    QDockWidget *m_tourDock = nullptr;
    QString m_tourDemo;   // the name of the demo whose tour is shown
    QString m_openSource; // the model folder or attention file open in the window
};

} // namespace attnscope
