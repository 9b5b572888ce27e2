// On a 1024×768 projector with the tour open: the window fits in normal and presentation mode
// and the induction demo's head map keeps words on its axes; presentation mode scales the fonts
// and restores them; each tour step's "Show me" does what the step says; the tour follows the
// model that is open.

#include <QtTest>

#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QStatusBar>

#include "snapshot.h"
#include "ui/attention_run.h"
#include "ui/attention_selection.h"
#include "ui/attention_workspace.h"
#include "ui/control_highlight.h"
#include "ui/demo_launcher.h"
#include "ui/main_menus.h"
#include "ui/mainwindow.h"
#include "ui/panels/analysis_panel.h"
#include "ui/panels/tour_panel.h"
#include "ui/panels/variant_picker.h"
#include "ui/shown_run.h"
#include "ui/views/color_scale_bar.h"
#include "ui/views/head_view.h"
#include "ui/views/heatmap_axes.h"
#include "ui/views/view_frame.h"

using namespace attnscope;

namespace {

const QSize kProjector(1024, 768);
const QString kDemo = QStringLiteral("induction");

QAction *viewAction(MainWindow &window, const QString &text)
{
    for (QAction *action : window.findChildren<QAction *>())
        if (action->text() == text)
            return action;
    return nullptr;
}

// The window at 1024×768 on the induction demo with its tour, its run drawn.
bool openDemo(MainWindow &window)
{
    window.resize(kProjector);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return false;
    QString error;
    if (!window.demos()->startDemo(kDemo, &error)) {
        qWarning() << error;
        return false;
    }
    return QTest::qWaitFor([&window] { return window.workspace()->isReady(); }, 30000);
}

const DemoEntry &demoNamed(const MainWindow &window, const QString &name)
{
    for (const DemoEntry &demo : window.demos()->demos())
        if (demo.name == name)
            return demo;
    qFatal("no demo %s", qPrintable(name));
}

} // namespace

class TestPresentationMode : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_settings.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("AttnScopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_presentation_mode"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
    }

    void init() { QSettings().clear(); }

    void fitsAProjectorWithTheTour_data()
    {
        QTest::addColumn<bool>("presentation");
        QTest::newRow("normal") << false;
        QTest::newRow("presentation") << true;
    }

    void fitsAProjectorWithTheTour()
    {
        QFETCH(bool, presentation);
        MainWindow window;
        QVERIFY(openDemo(window));
        if (presentation)
            viewAction(window, QStringLiteral("&Presentation Mode"))->trigger();
        QVERIFY(window.demos()->isTourShown());
        const QSize least = window.minimumSizeHint().expandedTo(window.minimumSize());
        QVERIFY2(least.width() <= kProjector.width() && least.height() <= kProjector.height(),
                 qPrintable(QStringLiteral("%1×%2").arg(least.width()).arg(least.height())));
        // Not by scrolling: at 1024×768 the workspace has all the room it asks for.
        QTRY_COMPARE(window.size(), kProjector);
        auto *scroll = qobject_cast<QScrollArea *>(window.centralWidget());
        QVERIFY(scroll);
        QTRY_VERIFY(!scroll->horizontalScrollBar()->isVisible() && !scroll->verticalScrollBar()->isVisible());
        // The tour strip costs the views little height.
        QVERIFY(window.demos()->tourDock()->height() <= kProjector.height() / 4);
        // Words on both axes of the head map.
        AttentionWorkspace *workspace = window.workspace();
        workspace->showView(QStringLiteral("head"));
        HeadView *head = workspace->headView();
        QTRY_VERIFY(head->hasOverview());
        saveSnapshot(window, presentation ? QStringLiteral("presentation_1024x768") : QStringLiteral("normal_1024x768"));
        const QStringList tokens = workspace->run()->tokens();
        const HeatmapAxes axes = head->axes();
        for (const AxisLabels *axis : {&axes.rows, &axes.columns}) {
            QVERIFY2(axis->tokens, qPrintable(QStringLiteral("indices at %1 px a cell").arg(head->cellPixels())));
            // Every word in normal mode; the larger font may label every n-th word.
            QVERIFY(presentation || axis->step == 1);
            QCOMPARE(qint64(axis->labels.size()), (tokens.size() + axis->step - 1) / axis->step);
            for (const AxisLabel &label : axis->labels)
                QCOMPARE(label.text, tokens[int(label.cell)]);
        }
        if (presentation)
            window.setPresentationMode(false);
    }

    void presentationScalesEveryFontAndRestores()
    {
        MainWindow window;
        QVERIFY(openDemo(window));
        AttentionWorkspace *workspace = window.workspace();
        const QFont appFont = QApplication::font();
        QWidget *caption = workspace->frame(QStringLiteral("head"))->findChild<QLabel *>(QStringLiteral("viewCaption"));
        QVERIFY(caption);
        const QList<const QWidget *> measured{workspace->headView(), workspace->headView()->colorScale(), caption,
                                              window.demos()->tour()};
        QList<double> normal;
        for (const QWidget *widget : measured)
            normal << QFontInfo(widget->font()).pixelSize();
        QAction *presentation = viewAction(window, QStringLiteral("&Presentation Mode"));
        QVERIFY(presentation && presentation->isCheckable() && !presentation->shortcut().isEmpty());
        QVERIFY(workspace->isSidePanelShown() && window.statusBar()->isVisible());

        presentation->trigger();
        QVERIFY(window.isPresentationMode());
        // A label with a style sheet of its own (the caption) takes its parent's font when the
        // sheet is applied again, which the running app's font-change event does; here the
        // next caption does.
        workspace->selection()->selectHead(0, 0);
        for (int i = 0; i < measured.size(); ++i) {
            const double ratio = QFontInfo(measured[i]->font()).pixelSize() / normal[i];
            QVERIFY2(ratio >= 1.5 && ratio <= 2.0, qPrintable(QStringLiteral("%1: ×%2").arg(measured[i]->metaObject()->className()).arg(ratio)));
        }
        // The head map's row labels are drawn in the larger font (its smallest step is the floor).
        QTRY_VERIFY(QFontInfo(workspace->headView()->axes().rows.font).pixelSize() > kMinLabelPixels);
        QVERIFY(!workspace->isSidePanelShown());
        QVERIFY(!workspace->areLowerViewsShown());
        QVERIFY(!window.statusBar()->isVisible());
        QVERIFY(!viewAction(window, QStringLiteral("Side &Panel"))->isChecked());
        // The side panel can come back while presenting.
        viewAction(window, QStringLiteral("Side &Panel"))->trigger();
        QVERIFY(workspace->isSidePanelShown());
        viewAction(window, QStringLiteral("Side &Panel"))->trigger();

        presentation->trigger();
        QVERIFY(!window.isPresentationMode());
        workspace->selection()->selectHead(0, 1);
        QCOMPARE(QApplication::font(), appFont);
        for (int i = 0; i < measured.size(); ++i)
            QCOMPARE(QFontInfo(measured[i]->font()).pixelSize(), normal[i]);
        QVERIFY(workspace->isSidePanelShown());
        QVERIFY(workspace->areLowerViewsShown());
        QVERIFY(window.statusBar()->isVisible());
    }

    // Every step of the induction tour: lead the window elsewhere, press Show me, and the
    // window shows the step's head, variant, analysis and view.
    void showMeDoesEachStep()
    {
        MainWindow window;
        QVERIFY(openDemo(window));
        AttentionWorkspace *workspace = window.workspace();
        TourPanel *tour = window.demos()->tour();
        const QList<DemoTourStep> steps = demoNamed(window, kDemo).tour;
        QVERIFY(steps.size() >= 5);
        bool sawVariant = false, sawAnalysis = false;
        for (int i = 0; i < steps.size(); ++i) {
            const DemoTourStep &step = steps[i];
            tour->showStep(i);
            workspace->selection()->selectHead(step.layer == 1 ? 0 : 1, step.head == 1 ? 0 : 1);
            workspace->showView(QStringLiteral("neuron"));
            QVERIFY(tour->showMeButton()->isEnabled());
            QTest::mouseClick(tour->showMeButton(), Qt::LeftButton);
            QVERIFY2(!window.findChildren<ControlHighlight *>().isEmpty(), qPrintable(step.title));
            if (!step.view.isEmpty() && step.analysis.isEmpty()) { // the view's tabs are framed
                QWidget *tabs = workspace->tourControl(QStringLiteral("view:") + step.view);
                QVERIFY(tabs);
                bool framed = false;
                for (const ControlHighlight *highlight : window.findChildren<ControlHighlight *>())
                    framed = framed || highlight->control() == tabs;
                QVERIFY2(framed, qPrintable(step.title));
            }
            if (!step.variant.isEmpty()) {
                sawVariant = true;
                QCOMPARE(workspace->variantPicker()->spec(), step.variant);
                QTRY_VERIFY_WITH_TIMEOUT(workspace->isReady() && workspace->shownRun()->isComparison(), 60000);
                QCOMPARE(workspace->shownRun()->input().variantSpec, step.variant);
                QVERIFY(!workspace->shownRun()->isStale());
            }
            if (step.layer >= 0) {
                QTRY_COMPARE(workspace->selection()->layer(), step.layer);
                QCOMPARE(workspace->selection()->head(), step.head);
                QCOMPARE(workspace->layer(), step.layer); // the spin boxes say so too
                QCOMPARE(workspace->head(), step.head);
            }
            if (!step.analysis.isEmpty()) {
                sawAnalysis = true;
                QTRY_VERIFY_WITH_TIMEOUT(workspace->analysisPanel()->shownMethod().startsWith(step.analysis), 120000);
                QCOMPARE(workspace->frontViewName(), QStringLiteral("analyses"));
            } else if (!step.view.isEmpty()) {
                QTRY_COMPARE(workspace->frontViewName(), step.view);
            }
        }
        QVERIFY(sawVariant && sawAnalysis);
        // The frames go by themselves.
        QTRY_VERIFY_WITH_TIMEOUT(window.findChildren<ControlHighlight *>().isEmpty(), 2 * ControlHighlight::kShownMs + 1000);
    }

    void theTourFollowsTheOpenModel()
    {
        MainWindow window;
        QVERIFY(openDemo(window));
        DemoLauncher *demos = window.demos();
        QVERIFY(demos->isTourShown());
        // Another demo: its own tour.
        const DemoEntry &grammar = demoNamed(window, QStringLiteral("grammar"));
        QString error;
        QVERIFY2(demos->openExample(grammar.name, 0, &error), qPrintable(error));
        QVERIFY(demos->isTourShown());
        QCOMPARE(demos->tour()->demoTitle(), grammar.title);
        QCOMPARE(demos->tour()->currentStep(), 0);
        // A model of one's own: no tour of something else.
        QTemporaryDir dir;
        QFile config(dir.filePath(QStringLiteral("config.json")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(R"({"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"]})");
        config.close();
        QVERIFY(window.openModelFolder(dir.path(), &error));
        QVERIFY(!demos->isTourShown());
        // Help → Start the Tour Again brings the first demo back with its tour.
        viewAction(window, QStringLiteral("Start the &Tour Again"))->trigger();
        QVERIFY(demos->isTourShown());
        QCOMPARE(demos->tour()->currentStep(), 0);
        QCOMPARE(demos->tour()->demoTitle(), demos->demos().first().title);
        QTRY_VERIFY_WITH_TIMEOUT(window.workspace()->isReady(), 30000);
    }

private:
    QTemporaryDir m_settings;
};

QTEST_MAIN(TestPresentationMode)
#include "test_presentation_mode.moc"
