// attnscope-cli's dispatcher: usage errors exit 2 with a message, --help and --version exit 0.

#include <QTest>

#include "cli/cli_runner.h"

class TestCliUsage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void noCommandShowsUsage()
    {
        const CliResult result = runCli({});
        QVERIFY(!result.crashed);
        QCOMPARE(result.exitCode, 2);
        const QByteArray shown = result.out + result.err;
        QVERIFY2(shown.contains("Usage: attnscope-cli COMMAND"), shown.constData());
        QVERIFY(shown.contains("Exit codes:"));
    }

    void unknownCommandIsNamed_data()
    {
        QTest::addColumn<QString>("command");
        QTest::newRow("word") << QStringLiteral("frobnicate");
        QTest::newRow("option") << QStringLiteral("--bogus");
    }

    void unknownCommandIsNamed()
    {
        QFETCH(QString, command);
        const CliResult result = runCli({command, QStringLiteral("x")});
        QVERIFY(!result.crashed);
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.startsWith("attnscope-cli: ")
                     && result.err.contains("'" + command.toUtf8() + "'"),
                 result.err.constData());
        QCOMPARE(result.err.count('\n'), 1);
        QVERIFY(result.out.isEmpty());
    }

    void helpExitsZero_data()
    {
        QTest::addColumn<QString>("flag");
        QTest::newRow("--help") << QStringLiteral("--help");
        QTest::newRow("-h") << QStringLiteral("-h");
        QTest::newRow("help") << QStringLiteral("help");
    }

    void helpExitsZero()
    {
        QFETCH(QString, flag);
        const CliResult result = runCli({flag});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.startsWith("Usage: attnscope-cli COMMAND"));
        QVERIFY(result.err.isEmpty());
    }

    void helpTextStaysUtf8()
    {
        // Descriptions written with ×, – or · must not come out as Latin-1 mojibake ("Ã").
        const CliResult result = runCli({QStringLiteral("render"), QStringLiteral("--help")});
        QCOMPARE(result.exitCode, 0);
        const QString text = QString::fromUtf8(result.out);
        QVERIFY2(text.contains(QStringLiteral("(layers × heads)")), result.out.constData());
        QVERIFY2(text.contains(QStringLiteral("query–key pair")), result.out.constData());
        QVERIFY(!text.contains(QChar(0xC3)) && !text.contains(QChar(0xE2)));
    }

    void versionExitsZero()
    {
        const CliResult result = runCli({QStringLiteral("--version")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.startsWith("attnscope-cli " ATTNSCOPE_VERSION), result.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliUsage)
#include "test_cli_usage.moc"
