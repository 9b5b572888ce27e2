// Session files: the JSON round-trips every field, bad files get one line naming them, and a
// saved workspace reopens with the same model, input, variant, selection, view and view
// settings, through File → Open Session as through `attnscope FILE.attnscope` (the same
// calls main_gui.cpp makes); a session whose model folder is gone fails in one line.

#include <QComboBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "core/io/input_error.h"
#include "ui/attention_run.h"
#include "ui/attention_selection.h"
#include "ui/attention_workspace.h"
#include "ui/gui_startup.h"
#include "ui/mainwindow.h"
#include "ui/session_file.h"
#include "ui/views/head_view.h"
#include "ui/views/lines_view.h"
#include "ui/views/model_view.h"
#include "ui/views/token_graph_view.h"
#include "ui/views/token_view.h"

using namespace attnscope;

namespace {

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");

void writeText(const QString &path, const QByteArray &text)
{
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.write(text);
}

GuiOptions parsedCommandLine(const QStringList &arguments)
{
    QList<QByteArray> bytes{"attnscope"};
    for (const QString &argument : arguments)
        bytes << argument.toLocal8Bit();
    std::vector<char *> argv;
    for (QByteArray &argument : bytes)
        argv.push_back(argument.data());
    GuiOptions options;
    const std::optional<int> exit = parseGuiCommandLine(int(argv.size()), argv.data(), options);
    if (exit)
        qFatal("command line refused: %s", qPrintable(arguments.join(QLatin1Char(' '))));
    return options;
}

} // namespace

class TestSession : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void jsonRoundTrips()
    {
        Session session;
        session.source = QStringLiteral("/models/gpt2");
        session.text = QStringLiteral("The cat sat.\nOn the mat — «ok»");
        session.compare = true;
        session.variant = QStringLiteral("topk:k=8@layers=0-3");
        session.layer = 3;
        session.head = 7;
        session.query = 12;
        session.key = 4;
        session.view = QStringLiteral("graph");
        session.viewSettings = QJsonObject{{QStringLiteral("graph"), QJsonObject{{QStringLiteral("drawing"), 1}, {QStringLiteral("threshold"), 0.2}}},
                                           {QStringLiteral("token"), QJsonObject{{QStringLiteral("direction"), QStringLiteral("key")}}}};
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("s.attnscope"));
        writeSession(path, session);
        QVERIFY(readSession(path) == session);
        QVERIFY(sessionFromJson(sessionToJson(session), path) == session);
    }

    void badFilesGetOneLine_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("problem");
        QTest::newRow("not json") << QByteArray("{nope") << QString();
        QTest::newRow("not a session") << QByteArray(R"({"source": "/m"})") << QStringLiteral("is not an AttnScope session");
        QTest::newRow("no source") << QByteArray(R"({"attnscope_session": 1})") << QStringLiteral("field 'source'");
        QTest::newRow("bad layer") << QByteArray(R"({"attnscope_session": 1, "source": "/m", "selection": {"layer": "x"}})")
                                   << QStringLiteral("'selection.layer' is not a whole number");
        QTest::newRow("bad view settings") << QByteArray(R"({"attnscope_session": 1, "source": "/m", "view_settings": 3})")
                                           << QStringLiteral("field 'view_settings' is not an object");
        QTest::newRow("bad graph settings") << QByteArray(R"({"attnscope_session": 1, "source": "/m", "view_settings": {"graph": []}})")
                                            << QStringLiteral("field 'view_settings.graph' is not an object");
        QTest::newRow("bad text") << QByteArray(R"({"attnscope_session": 1, "source": "/m", "input": {"text": 3}})")
                                  << QStringLiteral("'input.text' is not a string");
    }

    void badFilesGetOneLine()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.attnscope"));
        writeText(path, content);
        try {
            readSession(path);
            QFAIL("accepted");
        } catch (const InputError &error) {
            const QString message = QString::fromUtf8(error.what());
            QVERIFY2(message.contains(path) && message.contains(problem) && !message.contains(QLatin1Char('\n')), qPrintable(message));
        }
    }

    // Both ways of reopening a session restore everything it holds; command-line options
    // given beside it override only what they name.
    void workspaceReopensAsSaved_data()
    {
        QTest::addColumn<QStringList>("commandLine"); // empty: File → Open Session
        QTest::addColumn<int>("layer");
        QTest::addColumn<int>("head");
        QTest::addColumn<QString>("view");
        QTest::newRow("File → Open Session") << QStringList() << 3 << 5 << QStringLiteral("model");
        QTest::newRow("attnscope FILE.attnscope") << QStringList{QStringLiteral("SESSION")} << 3 << 5 << QStringLiteral("model");
        QTest::newRow("with --head and --view") << QStringList{QStringLiteral("SESSION"), QStringLiteral("--head"), QStringLiteral("2"),
                                                               QStringLiteral("--view"), QStringLiteral("lines")}
                                                << 3 << 2 << QStringLiteral("lines");
    }

    void workspaceReopensAsSaved()
    {
        QFETCH(QStringList, commandLine);
        if (!QFileInfo::exists(kStories + QStringLiteral("/tokenizer.json")))
            QSKIP("shared test data absent: no ../shared/models/stories260K");
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("story.attnscope"));
        const QString text = QStringLiteral("Once upon a time, there was a little girl named Lily.");
        {
            MainWindow window;
            QVERIFY(window.openModelFolder(kStories));
            window.show();
            AttentionWorkspace *workspace = window.workspace();
            workspace->setText(text);
            workspace->startRun();
            QTRY_VERIFY_WITH_TIMEOUT(workspace->isReady(), 30000);
            workspace->showHead(3, 5);
            workspace->selection()->selectCell(7, 2);
            workspace->showView(QStringLiteral("model"));
            workspace->graphView()->setDrawing(TokenGraphView::Drawing::Arcs);
            workspace->graphView()->setThreshold(0.2);
            workspace->tokenView()->setDirection(TokenView::Direction::ToKey);
            workspace->modelView()->setPooling(QStringLiteral("mean"));
            workspace->linesView()->setChosenHeads({1, 4});
            workspace->findChild<QComboBox *>(QStringLiteral("colormap"))->setCurrentText(QStringLiteral("cividis"));
            QString error;
            QVERIFY2(window.saveSession(path, &error), qPrintable(error));
        }
        MainWindow window;
        QString error;
        if (commandLine.isEmpty()) {
            QVERIFY2(window.openSession(path, &error), qPrintable(error));
        } else {
            commandLine.replaceInStrings(QStringLiteral("SESSION"), path);
            const GuiOptions options = parsedCommandLine(commandLine);
            QVERIFY2(window.openPath(options.path, &error), qPrintable(error));
            showCommandLineChoices(*window.workspace(), options);
        }
        window.show();
        AttentionWorkspace *workspace = window.workspace();
        QTRY_VERIFY_WITH_TIMEOUT(workspace->isReady(), 30000);
        QCOMPARE(workspace->text(), text);
        QTEST(workspace->layer(), "layer");
        QTEST(workspace->head(), "head");
        QCOMPARE(workspace->selection()->query(), 7);
        QCOMPARE(workspace->selection()->key(), 2);
        QTEST(workspace->frontViewName(), "view");
        QCOMPARE(workspace->graphView()->drawing(), TokenGraphView::Drawing::Arcs);
        QCOMPARE(workspace->graphView()->threshold(), 0.2);
        QCOMPARE(workspace->tokenView()->direction(), TokenView::Direction::ToKey);
        QCOMPARE(workspace->modelView()->settings().value(QStringLiteral("pooling")).toString(), QStringLiteral("mean"));
        QCOMPARE(workspace->linesView()->chosenHeads(), (std::vector<int>{1, 4}));
        QCOMPARE(workspace->headView()->style().colormap.name(), QStringLiteral("cividis"));
        if (commandLine.size() == 1)
            QVERIFY(workspace->captureSession() == readSession(path));
    }

    // The model folder a session names is gone: one line naming the session and the folder.
    void missingSourceFailsInOneLine()
    {
        QTemporaryDir dir;
        Session session;
        session.source = dir.filePath(QStringLiteral("gone-model"));
        session.text = QStringLiteral("x");
        session.layer = 3;
        const QString path = dir.filePath(QStringLiteral("gone.attnscope"));
        writeSession(path, session);
        for (const bool commandLine : {false, true}) {
            MainWindow window;
            QString error;
            QVERIFY(!(commandLine ? window.openPath(path, &error) : window.openSession(path, &error)));
            QVERIFY2(error.startsWith(path) && error.contains(QStringLiteral("gone-model")) && error.contains(QStringLiteral("no longer exists"))
                         && !error.contains(QLatin1Char('\n')),
                     qPrintable(error));
            QCOMPARE(window.workspace(), nullptr);
        }
    }
};

QTEST_MAIN(TestSession)
#include "test_session.moc"
