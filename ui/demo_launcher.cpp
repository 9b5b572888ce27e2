#include "ui/demo_launcher.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>

#include "core/io/input_error.h"
#include "ui/attention_selection.h"
#include "ui/attention_workspace.h"
#include "ui/mainwindow.h"
#include "ui/panels/tour_panel.h"
#include "ui/tour_actions.h"

namespace attnscope {

DemoLauncher::DemoLauncher(MainWindow *window, QMenu *examplesMenu) : QObject(window), m_window(window)
{
    const QString directory = demosDirectory();
    try {
        if (directory.isEmpty())
            throw InputError(QStringLiteral("demos"), QStringLiteral("no demos.json found (set ATTNSCOPE_DEMOS to resources/demos)"));
        m_demos = loadDemoCatalog(directory);
    } catch (const InputError &error) {
        m_catalogError = QString::fromUtf8(error.what());
    }
    fillMenu(examplesMenu);
    connect(window, &MainWindow::workspaceOpened, this, &DemoLauncher::followOpenedSource);
}

namespace {
QString samePathKey(const QString &path)
{
    const QFileInfo info(path);
    return info.exists() ? info.canonicalFilePath() : QDir::cleanPath(info.absoluteFilePath());
}
} // namespace

const DemoEntry *DemoLauncher::demoAt(const QString &folder) const
{
    for (const DemoEntry &demo : m_demos)
        if (samePathKey(demo.folder) == samePathKey(folder))
            return &demo;
    return nullptr;
}

bool DemoLauncher::isTourShown() const { return m_tourDock && !m_tourDock->isHidden(); }

// A tour speaks of its demo's model: with another model open it would point at nothing.
void DemoLauncher::followOpenedSource(const QString &source)
{
    m_openSource = source;
    if (!isTourShown())
        return;
    const DemoEntry *demo = demoAt(source);
    if (demo && demo->name == m_tourDemo)
        return;
    if (demo && !demo->tour.isEmpty())
        showTour(*demo);
    else
        m_tourDock->hide();
}

bool DemoLauncher::restartTour(QString *error)
{
    const DemoEntry *open = m_window->workspace() ? demoAt(m_openSource) : nullptr;
    if (open && !open->tour.isEmpty()) {
        showTour(*open);
        return true;
    }
    if (m_demos.isEmpty()) {
        if (error)
            *error = m_catalogError;
        return false;
    }
    return startDemo(m_demos.first().name, error);
}

const DemoEntry *DemoLauncher::find(const QString &demoName) const
{
    for (const DemoEntry &demo : m_demos)
        if (demo.name == demoName)
            return &demo;
    return nullptr;
}

void DemoLauncher::fillMenu(QMenu *menu)
{
    if (m_demos.isEmpty()) {
        QAction *none = menu->addAction(tr("No demos available"));
        none->setEnabled(false);
        none->setToolTip(m_catalogError);
        return;
    }
    for (const DemoEntry &demo : m_demos) {
        QMenu *submenu = menu->addMenu(demo.title);
        submenu->setToolTipsVisible(true);
        submenu->setToolTip(demo.summary);
        for (int i = 0; i < demo.examples.size(); ++i) {
            QAction *action = submenu->addAction(demo.examples[i].title);
            action->setToolTip(demo.examples[i].text.isEmpty() ? demo.examples[i].imagePath : demo.examples[i].text);
            const QString name = demo.name;
            connect(action, &QAction::triggered, this, [this, name, i] {
                QString error;
                if (!openExample(name, i, &error))
                    QMessageBox::warning(m_window, tr("Cannot Open Example"), error);
            });
        }
        if (!demo.tour.isEmpty()) {
            submenu->addSeparator();
            const QString name = demo.name;
            connect(submenu->addAction(tr("Guided &Tour")), &QAction::triggered, this, [this, name] {
                QString error;
                if (!startDemo(name, &error))
                    QMessageBox::warning(m_window, tr("Cannot Open Example"), error);
            });
        }
    }
}

bool DemoLauncher::openExample(const QString &demoName, int example, QString *error)
{
    const DemoEntry *demo = find(demoName);
    if (!demo || example < 0 || example >= demo->examples.size()) {
        if (error)
            *error = m_demos.isEmpty() ? m_catalogError : tr("no demo '%1' with example %2").arg(demoName).arg(example);
        return false;
    }
    if (!m_window->openModelFolder(demo->folder, error))
        return false;
    AttentionWorkspace *workspace = m_window->workspace();
    const DemoExample &chosen = demo->examples[example];
    if (chosen.imagePath.isEmpty())
        workspace->setText(chosen.text);
    else
        workspace->setImage(chosen.imagePath);
    workspace->startRun();
    return true;
}

bool DemoLauncher::startDemo(const QString &demoName, QString *error)
{
    if (!openExample(demoName, 0, error))
        return false;
    showTour(*find(demoName));
    // The run resets the selection when it ends: the step's head is chosen again then.
    connect(m_window->workspace(), &AttentionWorkspace::ready, m_tour, [this] { m_tour->showStep(m_tour->currentStep()); },
            Qt::SingleShotConnection);
    return true;
}

void DemoLauncher::showTour(const DemoEntry &demo)
{
    if (!m_tour) {
        m_tour = new TourPanel;
        // Above the views, the full width of the window: the views keep theirs (1024 px).
        m_tourDock = m_window->addDockView(QStringLiteral("tour"), tr("Tour"), m_tour, Qt::TopDockWidgetArea);
        m_tourDock->setTitleBarWidget(new QWidget(m_tourDock)); // the strip names itself and has Close
        connect(m_tour, &TourPanel::stepShown, this, &DemoLauncher::applyStep);
        connect(m_tour, &TourPanel::closeRequested, m_tourDock, &QWidget::hide);
        connect(m_tour, &TourPanel::showMeRequested, this, [this](const DemoTourStep &step) {
            AttentionWorkspace *workspace = m_window->workspace();
            if (!workspace)
                return;
            if (!step.analysis.isEmpty() || workspace->isLowerView(step.view))
                m_window->setLowerViewsShown(true); // through the View menu, which says so
            showMe(*workspace, step);
        });
    }
    m_tourDemo = demo.name;
    m_tourDock->setWindowTitle(tr("Tour: %1").arg(demo.title));
    m_tourDock->show();
    m_tourDock->raise();
    m_tour->start(demo.title, demo.tour);
}

void DemoLauncher::applyStep(const DemoTourStep &step)
{
    AttentionWorkspace *workspace = m_window->workspace();
    if (!workspace)
        return;
    if (!step.view.isEmpty())
        workspace->showView(step.view);
    if (step.layer >= 0 && step.head >= 0)
        workspace->selection()->selectHead(step.layer, step.head);
}

} // namespace attnscope
