// attnscope: the desktop application.

#include <cstdio>

#include <QApplication>
#include <QIcon>
#include <QSettings>
#include <QTemporaryDir>

#include "core/models/common/memory_reuse.h"
#include "ui/attention_run.h"
#include "ui/attention_workspace.h"
#include "ui/demo_launcher.h"
#include "ui/generation/generation_studio.h"
#include "ui/gui_startup.h"
#include "ui/mainwindow.h"
#include "ui/panels/analysis_panel.h"
#include "ui/views/model_view.h"
#include "ui/views/token_graph_view.h"
#include "ui/window_screenshot.h"

using namespace attnscope;

int main(int argc, char *argv[])
{
    GuiOptions options;
    if (const std::optional<int> exitCode = parseGuiCommandLine(argc, argv, options))
        return *exitCode;
    if (!chooseDisplayPlatform(options))
        return 1;

    keepFreedMemoryForReuse(); // attention files page through tiles with no model loaded
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("AttnScope"));
    QApplication::setOrganizationName(QStringLiteral("AttnScope"));
    QApplication::setApplicationVersion(QStringLiteral(ATTNSCOPE_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("attnscope"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/attnscope.svg")));

    // Screenshots start from a clean slate: the user's saved layout and recent models
    // neither change them nor are changed by them.
    const QTemporaryDir screenshotSettings;
    if (!options.screenshot.isEmpty())
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, screenshotSettings.path());

    MainWindow window;
    if (options.size.isValid())
        window.resize(options.size);
    if (!options.path.isEmpty()) {
        QString error;
        if (!window.openPath(options.path, &error)) {
            std::fprintf(stderr, "attnscope: %s\n", qPrintable(error));
            return 3;
        }
    }
    // --demo, and the very first launch without a model, open the catalog's first demo (the
    // induction demo) and its tour.
    QSettings settings;
    const bool firstLaunch = !settings.value(QStringLiteral("demos/shown"), false).toBool()
                             && options.path.isEmpty() && options.screenshot.isEmpty();
    bool demoRuns = false;
    if (options.demo || firstLaunch) {
        QString error;
        const QList<DemoEntry> &demos = window.demos()->demos();
        demoRuns = window.demos()->startDemo(demos.isEmpty() ? QString() : demos.first().name, &error);
        if (!demoRuns && options.demo) {
            std::fprintf(stderr, "attnscope: %s\n", qPrintable(error));
            return 3;
        }
        settings.setValue(QStringLiteral("demos/shown"), true);
    }
    window.show();
    AttentionWorkspace *workspace = window.workspace();
    const bool givenInput = workspace && (!options.text.isEmpty() || !options.image.isEmpty());
    const bool sessionRuns = options.path.endsWith(QLatin1String(".attnscope")) && workspace->run()->isRunning();
    const bool runsInput = givenInput || demoRuns || sessionRuns;
    if (workspace)
        showCommandLineChoices(*workspace, options);
    GenerationStudio *studio = workspace ? workspace->generationStudio() : nullptr;
    const bool generates = givenInput && studio && options.view == QLatin1String("generation");
    if (generates) { // the text is the prompt
        studio->setPrompt(options.text);
        studio->generate();
    } else if (givenInput) {
        if (options.image.isEmpty())
            workspace->setText(options.text);
        else
            workspace->setImage(options.image);
        workspace->startRun();
    }
    if (runsInput && !options.analysis.isEmpty()) {
        AnalysisPanel *panel = workspace->analysisPanel();
        panel->chooseMethod(options.analysis);
        QObject::connect(workspace, &AttentionWorkspace::ready, panel, &AnalysisPanel::startAnalysis,
                         Qt::SingleShotConnection);
    }
    if (!options.screenshot.isEmpty()) {
        if (generates) { // the generated steps, or the error
            const auto screenshot = [&window, &options] { scheduleScreenshotAndQuit(&window, options.screenshot); };
            QObject::connect(studio, &GenerationStudio::generated, &window, screenshot);
            QObject::connect(studio, &GenerationStudio::failed, &window, screenshot);
        } else if (runsInput) { // wait for the attention (and the analysis), or show the error a run ended with
            const auto screenshot = [&window, &options] { scheduleScreenshotAndQuit(&window, options.screenshot); };
            const QString view = sessionRuns && options.view.isEmpty() ? workspace->frontViewName() : options.view;
            if (view == QLatin1String("image") && options.analysis.isEmpty())
                QObject::connect(workspace->run(), &AttentionRun::finished, &window, screenshot);
            else if (view == QLatin1String("model"))
                QObject::connect(workspace->modelView(), &ModelView::ready, &window, screenshot);
            else if (view == QLatin1String("graph"))
                QObject::connect(workspace->graphView(), &TokenGraphView::ready, &window, screenshot);
            else if (options.analysis.isEmpty())
                QObject::connect(workspace, &AttentionWorkspace::ready, &window, screenshot);
            else
                QObject::connect(workspace->analysisPanel(), &AnalysisPanel::shown, &window, screenshot);
            QObject::connect(workspace->run(), &AttentionRun::failed, &window, screenshot);
            QObject::connect(workspace->run(), &AttentionRun::cancelled, &window, screenshot);
        } else {
            scheduleScreenshotAndQuit(&window, options.screenshot);
        }
    }
    return app.exec();
}
