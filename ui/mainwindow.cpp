#include "ui/mainwindow.h"

#include "ui/mainwindow_private.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>

#include "core/capture/attention_file.h"
#include "core/capture/attention_record.h"
#include "core/io/failure_message.h"
#include "core/io/input_error.h"
#include "core/io/model_config.h"
#include "ui/attention_workspace.h"
#include "ui/corpus/corpus_run_model.h"
#include "ui/corpus/corpus_view.h"
#include "ui/export_figure_dialog.h"
#include "ui/generation/generation_studio.h"
#include "ui/demo_launcher.h"
#include "ui/main_menus.h"
#include "ui/model_display_name.h"
#include "ui/open_model_dialog.h"
#include "ui/presentation_mode.h"
#include "ui/recent_items.h"
#include "ui/recent_menu.h"
#include "ui/session_file.h"
#include "ui/views/vision_view.h"
#include "ui/welcome_page.h"
#include "ui/window_settings.h"

namespace attnscope {

namespace {

const QString kLastModelParentKey = QStringLiteral("paths/lastModelParent");
constexpr int kRecentModelCount = 10;

// "bert · BertForMaskedLM"; throws InputError when the folder holds no usable config.json.
QString modelSummary(const QString &dir)
{
    if (QFileInfo(dir).isDir() && !QFileInfo::exists(QDir(dir).filePath(QStringLiteral("config.json"))))
        throw InputError(dir, QStringLiteral("no config.json, so not a model folder"));
    const ModelConfig config = ModelConfig::load(dir);
    QString summary = config.modelType();
    const QStringList architectures = config.architectures();
    if (!architectures.isEmpty())
        summary += QStringLiteral(" · ") + architectures.join(QStringLiteral(", "));
    return summary;
}

} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent), d(std::make_unique<Private>())
{
    setWindowTitle(QStringLiteral("AttnScope"));
    setAcceptDrops(true);
    setDockNestingEnabled(true);
    resize(1280, 800);

    d->recentModels = new RecentItems(QStringLiteral("recent/models"), kRecentModelCount, this);
    auto *recentMenu = new RecentMenu(tr("Open &Recent"), d->recentModels, this);
    connect(recentMenu, &RecentMenu::pathChosen, this, &MainWindow::openModelFolderShowingErrors);
    d->menus = createMainMenus(this, recentMenu);

    d->welcome = new WelcomePage(d->menus.openModel, d->menus.restartTour, d->recentModels, this);
    connect(d->welcome, &WelcomePage::recentChosen, this, &MainWindow::openModelFolderShowingErrors);
    setCentralWidget(d->welcome);
    statusBar()->showMessage(tr("Ready"));

    d->presentation = new PresentationMode(this, {d->menus.sidePanel, d->menus.lowerViews, d->menus.statusBar});
    connectMenus();
    d->demos = new DemoLauncher(this, d->menus.examples);
    d->menus.restartTour->setEnabled(!d->demos->demos().isEmpty());
    d->defaultState = saveState();
    QSettings settings;
    restoreWindowLayout(*this, settings);
    d->menus.statusBar->setChecked(!statusBar()->isHidden());
}

MainWindow::~MainWindow() = default;

void MainWindow::connectMenus()
{
    const MainMenus &menus = d->menus;
    connect(menus.openModel, &QAction::triggered, this, &MainWindow::chooseModelFolder);
    connect(menus.openAttention, &QAction::triggered, this, &MainWindow::chooseAttentionFile);
    connect(menus.openCorpus, &QAction::triggered, this, &MainWindow::chooseCorpusRun);
    connect(menus.openImage, &QAction::triggered, this, &MainWindow::chooseImage);
    connect(menus.openSession, &QAction::triggered, this, &MainWindow::chooseSessionToOpen);
    connect(menus.saveSession, &QAction::triggered, this, &MainWindow::chooseSessionToSave);
    connect(menus.exportFigure, &QAction::triggered, this, &MainWindow::exportFigure);
    connect(menus.quit, &QAction::triggered, this, &QWidget::close);
    connect(menus.statusBar, &QAction::toggled, statusBar(), &QWidget::setVisible);
    connect(menus.fullScreen, &QAction::toggled, this, [this](bool on) {
        setWindowState(on ? windowState() | Qt::WindowFullScreen
                          : windowState() & ~Qt::WindowFullScreen);
    });
    connect(menus.resetLayout, &QAction::triggered, this, &MainWindow::resetLayout);
    connect(menus.presentation, &QAction::toggled, d->presentation, &PresentationMode::setActive);
    connect(menus.sidePanel, &QAction::toggled, this, [this](bool shown) {
        if (d->workspace)
            d->workspace->setSidePanelShown(shown);
    });
    connect(menus.lowerViews, &QAction::toggled, this, [this](bool shown) {
        if (d->workspace)
            d->workspace->setLowerViewsShown(shown);
    });
    connect(menus.userGuide, &QAction::triggered, this, &MainWindow::showUserGuide);
    connect(menus.shortcuts, &QAction::triggered, this, &MainWindow::showShortcuts);
    connect(menus.restartTour, &QAction::triggered, this, &MainWindow::restartTour);
    connect(menus.about, &QAction::triggered, this, &MainWindow::showAbout);
    connect(menus.aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
}

void MainWindow::setCentralView(QWidget *view)
{
    d->menus.exportFigure->setEnabled(false);
    d->workspace = qobject_cast<AttentionWorkspace *>(view);
    if (!d->workspace) {
        setCentralWidget(view);
        return;
    }
    // Scrolls rather than growing the window past a small screen, should its views ever ask
    // for more than 1024×768 (the tests check that at that size they need not).
    auto *scroll = new QScrollArea;
    scroll->setObjectName(QStringLiteral("workspaceScroll"));
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(view);
    setCentralWidget(scroll);
    d->workspace->setSidePanelShown(d->menus.sidePanel->isChecked());
    d->workspace->setLowerViewsShown(d->menus.lowerViews->isChecked());
    connect(d->workspace, &AttentionWorkspace::ready, this, [this] { d->menus.exportFigure->setEnabled(true); });
    if (GenerationStudio *studio = d->workspace->generationStudio())
        connect(studio, &GenerationStudio::generated, this, [this] { d->menus.exportFigure->setEnabled(true); });
}

QDockWidget *MainWindow::addDockView(const QString &id, const QString &title, QWidget *view,
                                     Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(id);
    dock->setWidget(view);
    addDockWidget(area, dock);
    restoreDockWidget(dock); // its saved place, if the layout was restored before it existed
    d->menus.view->insertAction(d->menus.dockViewsEnd, dock->toggleViewAction());
    d->dockViews.push_back({dock, area});
    return dock;
}

bool MainWindow::openModelFolder(const QString &dir, QString *error)
{
    QString summary;
    try {
        summary = modelSummary(dir);
    } catch (const std::exception &problem) { // out of memory included: a message, never an abort
        if (error)
            *error = failureMessage(problem, dir);
        return false;
    }
    const QString path = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
    d->recentModels->add(path);
    QSettings().setValue(kLastModelParentKey, QFileInfo(path).path());
    setCentralView(new AttentionWorkspace(path, summary));
    setWindowTitle(tr("%1 — AttnScope").arg(modelDisplayName(path)));
    statusBar()->showMessage(tr("Model folder %1 (%2)").arg(QDir::toNativeSeparators(path), summary));
    Q_EMIT modelFolderChosen(path);
    Q_EMIT workspaceOpened(path);
    return true;
}

DemoLauncher *MainWindow::demos() const
{
    return d->demos;
}

AttentionWorkspace *MainWindow::workspace() const
{
    return d->workspace;
}

void MainWindow::setPresentationMode(bool on)
{
    d->menus.presentation->setChecked(on); // the menu, and through it the mode
}

void MainWindow::setLowerViewsShown(bool shown)
{
    d->menus.lowerViews->setChecked(shown);
}

bool MainWindow::isPresentationMode() const
{
    return d->presentation->isActive();
}

void MainWindow::openModelFolderShowingErrors(const QString &dir)
{
    QString error;
    if (!openModelFolder(dir, &error))
        QMessageBox::warning(this, tr("Cannot Open Model"), error);
}

bool MainWindow::openAttentionFile(const QString &path, QString *error)
{
    AttentionFile loaded;
    try {
        loaded = loadAttentionFile(path);
    } catch (const std::exception &problem) {
        if (error)
            *error = failureMessage(problem, path);
        return false;
    }
    const QString summary = tr("attention file · %1 layers × %2 heads × %3 tokens")
                                .arg(loaded.record->layers()).arg(loaded.record->heads()).arg(loaded.record->queries());
    auto *view = new AttentionWorkspace(QDir::cleanPath(QFileInfo(path).absoluteFilePath()), summary);
    setCentralView(view);
    view->showAttention(loaded.record, loaded.warnings);
    statusBar()->showMessage(tr("Attention file %1 (%2)").arg(QDir::toNativeSeparators(path), summary));
    Q_EMIT workspaceOpened(QDir::cleanPath(QFileInfo(path).absoluteFilePath()));
    return true;
}

void MainWindow::chooseAttentionFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open an attention file"), QString(),
                                                      tr("Attention (*.safetensors)"));
    QString error;
    if (!path.isEmpty() && !openAttentionFile(path, &error))
        QMessageBox::warning(this, tr("Cannot Open Attention File"), error);
}

bool MainWindow::openSession(const QString &path, QString *error)
{
    Session session;
    try {
        session = readSession(path); // source and image resolved beside the session
        if (!QFileInfo::exists(session.source))
            throw InputError(path, QStringLiteral("its model folder or attention file %1 no longer exists")
                                       .arg(QDir::toNativeSeparators(session.source)));
        // Only what a session is for: it cannot make us parse any file it names.
        const QFileInfo source(session.source);
        const bool modelFolder = source.isDir() && QFileInfo::exists(QDir(session.source).filePath(QStringLiteral("config.json")));
        if (!modelFolder && !(source.isFile() && source.suffix().compare(QLatin1String("safetensors"), Qt::CaseInsensitive) == 0))
            throw InputError(path, QStringLiteral("field 'source' names %1, which is neither a model folder (with "
                                                  "config.json) nor an attention file (.safetensors)")
                                       .arg(QDir::toNativeSeparators(session.source)));
    } catch (const std::exception &problem) {
        if (error)
            *error = failureMessage(problem, path);
        return false;
    }
    QString sourceError;
    const bool opened = QFileInfo(session.source).isFile() ? openAttentionFile(session.source, &sourceError)
                                                           : openModelFolder(session.source, &sourceError);
    if (!opened) {
        if (error)
            *error = tr("%1: cannot open what it names: %2").arg(path, sourceError);
        return false;
    }
    workspace()->applySession(session);
    return true;
}

bool MainWindow::openPath(const QString &path, QString *error)
{
    if (path.endsWith(QLatin1String(".attnscope")))
        return openSession(path, error);
    if (QFileInfo(path).isFile())
        return openAttentionFile(path, error);
    if (looksLikeCorpusRun(path))
        return openCorpusRun(path, error);
    return openModelFolder(path, error);
}

bool MainWindow::saveSession(const QString &path, QString *error) const
{
    AttentionWorkspace *view = workspace();
    try {
        if (!view)
            throw InputError(path, QStringLiteral("nothing to save: open a model folder or an attention file first"));
        writeSession(path, view->captureSession());
    } catch (const InputError &problem) {
        if (error)
            *error = QString::fromUtf8(problem.what());
        return false;
    }
    return true;
}

void MainWindow::chooseSessionToOpen()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a session"), QString(), tr("Sessions (*.attnscope)"));
    QString error;
    if (!path.isEmpty() && !openSession(path, &error))
        QMessageBox::warning(this, tr("Cannot Open Session"), error);
}

void MainWindow::chooseSessionToSave()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the session"), QStringLiteral("session.attnscope"),
                                                      tr("Sessions (*.attnscope)"));
    QString error;
    if (!path.isEmpty() && !saveSession(path, &error))
        QMessageBox::warning(this, tr("Cannot Save Session"), error);
}

void MainWindow::chooseImage()
{
    AttentionWorkspace *view = workspace();
    if (!view || !view->isVision()) {
        statusBar()->showMessage(tr("Open a vision model (ViT, DeiT) first"), 8000);
        return;
    }
    const QString path = QFileDialog::getOpenFileName(this, tr("Open an image"), QFileInfo(view->imagePath()).path(),
                                                      tr("Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff)"));
    if (path.isEmpty())
        return;
    view->setImage(path);
    view->startRun();
}

void MainWindow::exportFigure()
{
    if (auto *corpus = qobject_cast<CorpusView *>(centralWidget())) {
        corpus->exportFigure(); // the chart last used
        return;
    }
    AttentionWorkspace *view = workspace();
    if (view && view->generationStudio() && view->frontViewName() == QLatin1String("generation")) {
        view->generationStudio()->exportFigure(); // the step shown
        return;
    }
    if (!view || !view->isReady())
        return;
    if (view->isVision()) { // the overlay, at the image's own resolution
        view->visionView()->chooseFileAndExport();
        return;
    }
    ExportFigureDialog dialog(view->figureRequest(), view->figureSource(), view->captureSession().source,
                              view->figureInputArguments(), this);
    dialog.exec();
}

void MainWindow::chooseModelFolder()
{
    const QString start = QSettings().value(kLastModelParentKey, QDir::homePath()).toString();
    OpenModelDialog dialog(start, this);
    if (dialog.exec() == QDialog::Accepted)
        openModelFolderShowingErrors(dialog.chosenFolder());
}

void MainWindow::resetLayout()
{
    restoreState(d->defaultState);
    for (const Private::DockView &view : d->dockViews) {
        view.dock->setFloating(false);
        addDockWidget(view.area, view.dock);
        view.dock->show();
    }
    statusBar()->show();
    d->menus.statusBar->setChecked(true);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    saveWindowLayout(*this, settings);
    QMainWindow::closeEvent(event);
}

} // namespace attnscope
