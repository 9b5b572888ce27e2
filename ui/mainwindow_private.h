#pragma once
// The main window's state, shared by the files that make up MainWindow (mainwindow*.cpp).

#include <vector>

#include <QByteArray>
#include <QPointer>

#include "ui/main_menus.h"
#include "ui/mainwindow.h"

class QDockWidget;

namespace attnscope {

class AttentionWorkspace;
class PresentationMode;
class RecentItems;
class WelcomePage;

struct MainWindow::Private {
    struct DockView {
        QDockWidget *dock;
        Qt::DockWidgetArea area;
    };

    MainMenus menus;
    RecentItems *recentModels = nullptr;
    QPointer<WelcomePage> welcome;
    QPointer<AttentionWorkspace> workspace; // inside the central scroll area
    QByteArray defaultState;
    std::vector<DockView> dockViews;
    DemoLauncher *demos = nullptr;
    PresentationMode *presentation = nullptr;
};

} // namespace attnscope
