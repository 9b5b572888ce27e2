// What a session may open (#28): its source resolves beside the session file, and only a
// model folder or a .safetensors attention file is opened. A session naming
// ../../../../etc/passwd, or any other file, is refused in one line naming the session and
// the resolved path, without parsing it; a session moved with its model folder still opens.
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "ui/attention_workspace.h"
#include "ui/mainwindow.h"
#include "ui/session_file.h"

using namespace attnscope;

namespace {

const QString kInduction = QStringLiteral(ATTNSCOPE_SOURCE_DIR "/resources/demos/induction");

QString sessionNaming(const QTemporaryDir &dir, const QString &name, const QString &source)
{
    Session session;
    session.source = source;
    session.text = QStringLiteral("a b a");
    const QString path = dir.filePath(name);
    writeSession(path, session);
    return path;
}

} // namespace

class TestSessionSource : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void refusesWhatIsNoModelOrAttention_data()
    {
        QTest::addColumn<QString>("source");
        QTest::newRow("path up to /etc/passwd") << QStringLiteral("../../../../../../../../etc/passwd");
        QTest::newRow("absolute /etc/hostname") << QStringLiteral("/etc/hostname");
        QTest::newRow("a folder without config.json") << QStringLiteral("/etc");
    }

    void refusesWhatIsNoModelOrAttention()
    {
        QFETCH(QString, source);
        QTemporaryDir dir;
        const QString path = sessionNaming(dir, QStringLiteral("s.attnscope"), source);
        MainWindow window;
        QString error;
        QVERIFY(!window.openSession(path, &error));
        QVERIFY2(error.startsWith(path) && error.contains(QStringLiteral("neither a model folder"))
                     && !error.contains(QLatin1Char('\n')),
                 qPrintable(error));
        QCOMPARE(window.workspace(), nullptr);
    }

    void relativeSourceOpensBesideTheSession()
    {
        QTemporaryDir dir;
        QVERIFY(QFile::link(kInduction, dir.filePath(QStringLiteral("model"))));
        QDir().mkpath(dir.filePath(QStringLiteral("sessions")));
        const QString path = sessionNaming(dir, QStringLiteral("sessions/s.attnscope"), QStringLiteral("../model"));
        QCOMPARE(readSession(path).source, dir.filePath(QStringLiteral("model")));
        MainWindow window;
        QString error;
        QVERIFY2(window.openSession(path, &error), qPrintable(error));
        QVERIFY(window.workspace());
    }
};

QTEST_MAIN(TestSessionSource)
#include "test_session_source.moc"
