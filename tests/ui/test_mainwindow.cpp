// The main window offscreen: its menus and actions, About, model-folder validation, the
// dock extension point and the layout kept in QSettings (a temporary settings scope).

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include "ui/about_dialog.h"
#include "ui/keyboard_shortcuts.h"
#include "ui/mainwindow.h"
#include "ui/user_guide.h"
#include "viz/library_versions.h"

using namespace attnscope;

namespace {

QMenu *menuNamed(QMainWindow &window, const QString &title)
{
    for (QAction *action : window.menuBar()->actions())
        if (action->menu() && action->text() == title)
            return action->menu();
    return nullptr;
}

QAction *actionNamed(QMenu *menu, const QString &text)
{
    for (QAction *action : menu->actions())
        if (action->text() == text)
            return action;
    return nullptr;
}

QString allLabelText(const QWidget &widget)
{
    QString text;
    for (const QLabel *label : widget.findChildren<QLabel *>())
        text += label->text() + QLatin1Char('\n');
    return text;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_settings.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("AttnScopeTest"));
        QCoreApplication::setApplicationName(QStringLiteral("test_mainwindow"));
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
    }

    void init() { QSettings().clear(); }

    void hasFileViewExamplesHelpMenus()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QStringList titles;
        for (QAction *action : window.menuBar()->actions())
            titles << action->text();
        QCOMPARE(titles, (QStringList{QStringLiteral("&File"), QStringLiteral("&View"),
                                      QStringLiteral("E&xamples"), QStringLiteral("&Help")}));
        QVERIFY(qobject_cast<QLabel *>(window.centralWidget()->findChild<QLabel *>()));
        QVERIFY(allLabelText(*window.centralWidget()).contains(QStringLiteral("Open Model Folder")));
        // New users learn that the demos are there.
        QVERIFY(allLabelText(*window.centralWidget()).contains(QStringLiteral("<b>Examples</b> menu")));
    }

    void fileActions_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("enabled");
        QTest::newRow("open model") << QStringLiteral("Open &Model Folder…") << true;
        QTest::newRow("open image") << QStringLiteral("Open &Image…") << true;
        QTest::newRow("open attention") << QStringLiteral("Open &Attention File…") << true;
        QTest::newRow("export") << QStringLiteral("&Export…") << false;
        QTest::newRow("quit") << QStringLiteral("&Quit") << true;
    }

    void fileActions()
    {
        QFETCH(QString, text);
        QFETCH(bool, enabled);
        MainWindow window;
        QAction *action = actionNamed(menuNamed(window, QStringLiteral("&File")), text);
        QVERIFY2(action, qPrintable(text));
        QCOMPARE(action->isEnabled(), enabled);
        if (!enabled) // says what will enable it
            QVERIFY(action->toolTip().startsWith(QStringLiteral("Needs ")));
        QVERIFY(!action->shortcut().isEmpty());
    }

    void viewAndHelpActions()
    {
        MainWindow window;
        QMenu *view = menuNamed(window, QStringLiteral("&View"));
        QVERIFY(actionNamed(view, QStringLiteral("&Full Screen")));
        QVERIFY(actionNamed(view, QStringLiteral("&Reset Layout")));
        QAction *statusBar = actionNamed(view, QStringLiteral("&Status Bar"));
        QVERIFY(statusBar && statusBar->isChecked());
        statusBar->trigger();
        QVERIFY(window.statusBar()->isHidden());
        QMenu *help = menuNamed(window, QStringLiteral("&Help"));
        for (const QString &text : {QStringLiteral("&User Guide"), QStringLiteral("&Keyboard Shortcuts"),
                                    QStringLiteral("Start the &Tour Again"), QStringLiteral("&About AttnScope"),
                                    QStringLiteral("About &Qt")})
            QVERIFY2(actionNamed(help, text), qPrintable(text));
        QAction *presentation = actionNamed(view, QStringLiteral("&Presentation Mode"));
        QVERIFY(presentation && presentation->isCheckable());
        QCOMPARE(presentation->shortcut(), QKeySequence(Qt::Key_F5));
        QAction *sidePanel = actionNamed(view, QStringLiteral("Side &Panel"));
        QVERIFY(sidePanel && sidePanel->isCheckable() && sidePanel->isChecked());
    }

    // The list holds exactly the menus' actions that have keys, each with its keys.
    void shortcutsListMatchesTheActions()
    {
        MainWindow window;
        QMultiMap<QString, QString> expected; // keys → action text, walked here independently
        std::function<void(QMenu *)> walk = [&](QMenu *menu) {
            for (QAction *action : menu->actions()) {
                if (action->menu())
                    walk(action->menu());
                else if (!action->shortcut().isEmpty())
                    expected.insert(action->shortcut().toString(), action->text().remove(QLatin1Char('&')).remove(QChar(0x2026)));
            }
        };
        for (QAction *action : window.menuBar()->actions())
            if (action->menu())
                walk(action->menu());
        QVERIFY(expected.size() >= 10);
        QMultiMap<QString, QString> listed;
        for (const ShortcutEntry &entry : windowShortcuts(window))
            listed.insert(entry.keys.toString(), entry.where.section(QStringLiteral(" › "), -1));
        QCOMPARE(listed, expected);
        QVERIFY(listed.contains(QStringLiteral("F5"), QStringLiteral("Presentation Mode")));

        // The dialog shows that list.
        actionNamed(menuNamed(window, QStringLiteral("&Help")), QStringLiteral("&Keyboard Shortcuts"))->trigger();
        auto *dialog = window.findChild<KeyboardShortcutsDialog *>();
        QVERIFY(dialog && dialog->isVisible());
        auto *table = dialog->findChild<QTableWidget *>(QStringLiteral("shortcutTable"));
        QCOMPARE(table->rowCount(), int(windowShortcuts(window).size()));
        QStringList rows;
        for (int row = 0; row < table->rowCount(); ++row)
            rows << table->item(row, 0)->text() + QLatin1Char('=') + table->item(row, 1)->text();
        QVERIFY2(rows.contains(QStringLiteral("View › Presentation Mode=F5")), qPrintable(rows.join(QLatin1Char(';'))));
    }

    // Help → User Guide shows the README's "Using it" section, read from the README of the build.
    void userGuideIsTheReadmesUsage()
    {
        QFile readme(QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/../../README.md"));
        QVERIFY(readme.open(QIODevice::ReadOnly));
        const QString source = QString::fromUtf8(readme.readAll());
        QCOMPARE(bundledReadme(), source);
        const int start = source.indexOf(QLatin1String("## Using it"));
        QVERIFY(start >= 0);
        const QString firstParagraph = source.mid(start).section(QStringLiteral("\n\n"), 1, 1);
        QVERIFY(firstParagraph.size() > 100);
        const QString guide = userGuideMarkdown(source);
        QVERIFY(guide.startsWith(QLatin1String("## Using it")));
        QVERIFY(guide.contains(firstParagraph));
        QVERIFY(guide.contains(QLatin1String("## Built-in demos")));
        QVERIFY(!guide.contains(QLatin1String("## Setup")) && !guide.contains(QLatin1String("## License")));
        QVERIFY(!guide.contains(QLatin1String("](docs/images/"))); // pictures become their captions

        MainWindow window;
        actionNamed(menuNamed(window, QStringLiteral("&Help")), QStringLiteral("&User Guide"))->trigger();
        auto *dialog = window.findChild<UserGuideDialog *>();
        QVERIFY(dialog && dialog->isVisible());
        QCOMPARE(dialog->markdown(), guide);
        auto *browser = dialog->findChild<QTextBrowser *>(QStringLiteral("userGuide"));
        QVERIFY(browser->toPlainText().contains(QStringLiteral("Open a model folder")));
    }

    void aboutShowsThreeVersions()
    {
        const LibraryVersions versions = libraryVersions();
        QCOMPARE(versions.qt, QString::fromLatin1(qVersion()));
        for (const QString &version : {versions.qt, versions.libtorch, versions.opencv})
            QVERIFY2(QRegularExpression(QStringLiteral("^\\d+\\.\\d+\\.\\d+")).match(version).hasMatch(),
                     qPrintable(version));
        const AboutDialog dialog;
        const QString text = allLabelText(dialog);
        for (const QString &expected : {QStringLiteral("Qt:"), versions.qt, QStringLiteral("LibTorch:"),
                                        versions.libtorch, QStringLiteral("OpenCV:"), versions.opencv})
            QVERIFY2(text.contains(expected), qPrintable(expected));
    }

    void helpAboutOpensTheDialog()
    {
        MainWindow window;
        window.show();
        bool seen = false;
        QTimer::singleShot(0, this, [&seen] {
            if (auto *about = qobject_cast<AboutDialog *>(QApplication::activeModalWidget())) {
                seen = true;
                about->reject();
            }
        });
        actionNamed(menuNamed(window, QStringLiteral("&Help")), QStringLiteral("&About AttnScope"))->trigger();
        QVERIFY(seen);
    }

    void openModelFolderValidates()
    {
        QTemporaryDir dir;
        MainWindow window;
        QSignalSpy chosen(&window, &MainWindow::modelFolderChosen);
        QString error;
        QVERIFY(!window.openModelFolder(dir.filePath(QStringLiteral("absent")), &error));
        QVERIFY2(error.contains(QStringLiteral("absent")), qPrintable(error));
        QVERIFY(!window.openModelFolder(dir.path(), &error));
        QVERIFY2(error.contains(QStringLiteral("no config.json")), qPrintable(error));
        writeFile(dir.filePath(QStringLiteral("config.json")), "{\"model_type\": ");
        QVERIFY(!window.openModelFolder(dir.path(), &error));
        QVERIFY2(error.contains(QStringLiteral("not valid JSON")), qPrintable(error));
        QCOMPARE(chosen.count(), 0);

        writeFile(dir.filePath(QStringLiteral("config.json")),
                  R"({"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"]})");
        QVERIFY(window.openModelFolder(dir.path(), &error));
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.first().first().toString(), QDir(dir.path()).absolutePath());
        QVERIFY(window.windowTitle().startsWith(QFileInfo(dir.path()).fileName()));
        QVERIFY(allLabelText(*window.centralWidget()).contains(QStringLiteral("GPT2LMHeadModel")));

        // Remembered under File → Open Recent, in this window and the next.
        const QStringList recent = QSettings().value(QStringLiteral("recent/models")).toStringList();
        QCOMPARE(recent, QStringList{QDir(dir.path()).absolutePath()});
        MainWindow next;
        QMenu *file = menuNamed(next, QStringLiteral("&File"));
        QMenu *recentMenu = actionNamed(file, QStringLiteral("Open &Recent"))->menu();
        QVERIFY(recentMenu->menuAction()->isEnabled());
        QVERIFY(recentMenu->actions().first()->text().endsWith(QFileInfo(dir.path()).fileName()));
        QSignalSpy reopened(&next, &MainWindow::modelFolderChosen);
        recentMenu->actions().first()->trigger();
        QCOMPARE(reopened.count(), 1);
    }

    void dockViewsJoinTheViewMenu()
    {
        MainWindow window;
        window.show();
        QDockWidget *dock = window.addDockView(QStringLiteral("heads"), QStringLiteral("Heads"), new QLabel);
        QCOMPARE(dock->objectName(), QStringLiteral("heads"));
        QMenu *view = menuNamed(window, QStringLiteral("&View"));
        QVERIFY(view->actions().contains(dock->toggleViewAction()));
        dock->hide();
        actionNamed(view, QStringLiteral("&Reset Layout"))->trigger();
        QVERIFY(dock->isVisible());
        QCOMPARE(window.dockWidgetArea(dock), Qt::RightDockWidgetArea);

        auto *central = new QLabel(QStringLiteral("a view"));
        window.setCentralView(central);
        QCOMPARE(window.centralWidget(), central);
    }

    void layoutRoundTripsThroughSettings()
    {
        {
            MainWindow window;
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.resize(700, 500); // inside the 800x600 offscreen screen
            window.statusBar()->hide();
            QVERIFY(window.close());
        }
        QVERIFY(QSettings().contains(QStringLiteral("window/geometry")));
        MainWindow restored;
        restored.show();
        QVERIFY(QTest::qWaitForWindowExposed(&restored));
        QCOMPARE(restored.size(), QSize(700, 500));
        QVERIFY(restored.statusBar()->isHidden());
        QAction *statusBar = actionNamed(menuNamed(restored, QStringLiteral("&View")),
                                         QStringLiteral("&Status Bar"));
        QVERIFY(!statusBar->isChecked());
    }

private:
    QTemporaryDir m_settings;
};

QTEST_MAIN(TestMainWindow)
#include "test_mainwindow.moc"
