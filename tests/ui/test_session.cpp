// Session files: the JSON round-trips every field, bad files get one line naming them, and a
// saved workspace reopens with the same model, input, variant, selection and view.

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

    void workspaceReopensAsSaved()
    {
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
        QVERIFY2(window.openSession(path, &error), qPrintable(error));
        window.show();
        AttentionWorkspace *workspace = window.workspace();
        QTRY_VERIFY_WITH_TIMEOUT(workspace->isReady(), 30000);
        QCOMPARE(workspace->text(), text);
        QCOMPARE(workspace->layer(), 3);
        QCOMPARE(workspace->head(), 5);
        QCOMPARE(workspace->selection()->query(), 7);
        QCOMPARE(workspace->selection()->key(), 2);
        QCOMPARE(workspace->captureSession().view, QStringLiteral("model"));
        QCOMPARE(workspace->graphView()->drawing(), TokenGraphView::Drawing::Arcs);
        QCOMPARE(workspace->graphView()->threshold(), 0.2);
        QCOMPARE(workspace->tokenView()->direction(), TokenView::Direction::ToKey);
        QCOMPARE(workspace->modelView()->settings().value(QStringLiteral("pooling")).toString(), QStringLiteral("mean"));
        QCOMPARE(workspace->linesView()->chosenHeads(), (std::vector<int>{1, 4}));
        QCOMPARE(workspace->headView()->style().colormap.name(), QStringLiteral("cividis"));
        QVERIFY(workspace->captureSession() == readSession(path));
    }
};

QTEST_MAIN(TestSession)
#include "test_session.moc"
