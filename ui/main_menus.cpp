#include "ui/main_menus.h"

#include <QAction>
#include <QCoreApplication>
#include <QIcon>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>

#include "ui/recent_menu.h"

namespace attnscope {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("MainMenus", text);
}

QAction *addAction(QMenu *menu, const QString &text, const QKeySequence &shortcut,
                   const QString &themeIcon = QString())
{
    QAction *action = menu->addAction(QIcon::fromTheme(themeIcon), text);
    action->setShortcut(shortcut);
    return action;
}

// Not yet available: visible so users learn the feature exists, and honest about it.
void waitFor(QAction *action, const QString &whatEnablesIt)
{
    action->setEnabled(false);
    action->setToolTip(whatEnablesIt);
    action->setStatusTip(whatEnablesIt);
}

void fillFileMenu(MainMenus &menus, QMenu *file, RecentMenu *recentModels)
{
    menus.openModel = addAction(file, tr("Open &Model Folder…"), QKeySequence::Open,
                                QStringLiteral("document-open"));
    menus.openModel->setStatusTip(tr("Open a model folder or a downloaded Hugging Face model"));
    file->addMenu(recentModels);
    file->addSeparator();
    menus.openImage = addAction(file, tr("Open &Image…"), QKeySequence(tr("Ctrl+I")),
                                QStringLiteral("image-x-generic"));
    menus.openImage->setStatusTip(tr("Run the open vision model (ViT, DeiT) on an image"));
    menus.openAttention = addAction(file, tr("Open &Attention File…"),
                                    QKeySequence(tr("Ctrl+Shift+O")));
    menus.openAttention->setStatusTip(tr("Explore attention saved by attnscope-cli run or any framework (.safetensors)"));
    menus.openCorpus = addAction(file, tr("Open &Corpus Run…"), QKeySequence());
    menus.openCorpus->setStatusTip(tr("What each head does over a dataset: a folder written by attnscope-cli batch"));
    file->addSeparator();
    menus.openSession = addAction(file, tr("Open &Session…"), QKeySequence(tr("Ctrl+Shift+S, O")));
    menus.openSession->setStatusTip(tr("Reopen a saved .attnscope session: model, input, variant, selection and view"));
    menus.saveSession = addAction(file, tr("Save Se&ssion…"), QKeySequence(tr("Ctrl+Shift+S, S")));
    menus.saveSession->setStatusTip(tr("Save what is open and how it is shown as an .attnscope file"));
    file->addSeparator();
    menus.exportFigure = addAction(file, tr("&Export…"), QKeySequence(tr("Ctrl+E")),
                                   QStringLiteral("document-export"));
    waitFor(menus.exportFigure, tr("Needs an attention view to export as PNG, SVG or PDF"));
    file->addSeparator();
    menus.quit = addAction(file, tr("&Quit"), QKeySequence(tr("Ctrl+Q")),
                           QStringLiteral("application-exit"));
    menus.quit->setMenuRole(QAction::QuitRole);
}

void fillViewMenu(MainMenus &menus, QMenu *view)
{
    menus.presentation = addAction(view, tr("&Presentation Mode"), QKeySequence(Qt::Key_F5),
                                   QStringLiteral("x-office-presentation"));
    menus.presentation->setCheckable(true);
    menus.presentation->setStatusTip(tr("For a projector: larger text everywhere, the side panel folded away"));
    menus.sidePanel = addAction(view, tr("Side &Panel"), QKeySequence(Qt::Key_F9));
    menus.sidePanel->setCheckable(true);
    menus.sidePanel->setChecked(true);
    menus.sidePanel->setStatusTip(tr("Show or fold away the input, layer, head and variant controls"));
    menus.lowerViews = addAction(view, tr("&Lower Views"), QKeySequence(Qt::Key_F8));
    menus.lowerViews->setCheckable(true);
    menus.lowerViews->setChecked(true);
    menus.lowerViews->setStatusTip(tr("Show or fold away the Token, Neuron and Analyses views below the maps"));
    view->addSeparator();
    menus.dockViewsEnd = view->addSeparator();
    menus.statusBar = view->addAction(tr("&Status Bar"));
    menus.statusBar->setCheckable(true);
    menus.statusBar->setChecked(true);
    menus.fullScreen = addAction(view, tr("&Full Screen"), QKeySequence::FullScreen,
                                 QStringLiteral("view-fullscreen"));
    menus.fullScreen->setCheckable(true);
    view->addSeparator();
    menus.resetLayout = view->addAction(tr("&Reset Layout"));
    menus.resetLayout->setStatusTip(tr("Put every panel back where it starts"));
}

void fillHelpMenu(MainMenus &menus, QMenu *help)
{
    menus.userGuide = addAction(help, tr("&User Guide"), QKeySequence::HelpContents, QStringLiteral("help-contents"));
    menus.shortcuts = addAction(help, tr("&Keyboard Shortcuts"), QKeySequence(tr("Ctrl+F1")));
    menus.restartTour = help->addAction(tr("Start the &Tour Again"));
    menus.restartTour->setStatusTip(tr("The guided tour of the open demo, or of the first demo, from its first step"));
    help->addSeparator();
    menus.about = help->addAction(QIcon::fromTheme(QStringLiteral("help-about")),
                                  tr("&About AttnScope"));
    menus.about->setMenuRole(QAction::AboutRole);
    menus.aboutQt = help->addAction(tr("About &Qt"));
    menus.aboutQt->setMenuRole(QAction::AboutQtRole);
}

} // namespace

MainMenus createMainMenus(QMainWindow *window, RecentMenu *recentModels)
{
    MainMenus menus;
    QMenuBar *bar = window->menuBar();
    menus.file = bar->addMenu(tr("&File"));
    menus.file->setToolTipsVisible(true);
    menus.view = bar->addMenu(tr("&View"));
    menus.examples = bar->addMenu(tr("E&xamples"));
    menus.examples->setToolTipsVisible(true);
    menus.help = bar->addMenu(tr("&Help"));
    fillFileMenu(menus, menus.file, recentModels);
    fillViewMenu(menus, menus.view);
    fillHelpMenu(menus, menus.help);
    return menus;
}

} // namespace attnscope
