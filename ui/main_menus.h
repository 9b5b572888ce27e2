#pragma once
// The main window's menu bar: File, View, Examples, Help and their actions. Actions whose feature
// arrives with a later view exist already, disabled, with a tooltip saying what enables
// them; the window wires the rest.

class QAction;
class QMainWindow;
class QMenu;

namespace attnscope {

class RecentMenu;

struct MainMenus {
    QMenu *file = nullptr;
    QMenu *view = nullptr;
    QMenu *examples = nullptr; // filled from the demo catalog (DemoLauncher)
    QMenu *help = nullptr;

    QAction *openModel = nullptr;
    QAction *openImage = nullptr;
    QAction *openAttention = nullptr;
    QAction *openCorpus = nullptr;
    QAction *openSession = nullptr;
    QAction *saveSession = nullptr;
    QAction *exportFigure = nullptr;
    QAction *quit = nullptr;

    QAction *presentation = nullptr; // presentation_mode.h
    QAction *sidePanel = nullptr;    // the workspace's input column
    QAction *lowerViews = nullptr;   // its token, neuron and analyses views
    QAction *fullScreen = nullptr;
    QAction *statusBar = nullptr;
    QAction *resetLayout = nullptr;
    QAction *dockViewsEnd = nullptr; // dock toggles are inserted before this separator

    QAction *userGuide = nullptr;
    QAction *shortcuts = nullptr;
    QAction *restartTour = nullptr;
    QAction *about = nullptr;
    QAction *aboutQt = nullptr;
};

MainMenus createMainMenus(QMainWindow *window, RecentMenu *recentModels);

} // namespace attnscope
