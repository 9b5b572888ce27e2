#pragma once
// Runs the real attnscope-cli and collects what it printed, for the CLI tests.

#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QtTest>

struct CliResult {
    int exitCode = -1;
    bool crashed = false;
    QByteArray out;
    QByteArray err;
};

inline CliResult runCli(const QStringList &arguments, int timeoutMs = 300000)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(ATTNSCOPE_CLI), arguments);
    CliResult result;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        result.crashed = true;
    }
    result.crashed = result.crashed || process.exitStatus() == QProcess::CrashExit;
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

// The CLI's contract for bad input: no crash, the given exit code, one line naming the problem.
inline void verifyOneLineError(const CliResult &result, int exitCode, const QString &mentions)
{
    QVERIFY(!result.crashed);
    QCOMPARE(result.exitCode, exitCode);
    const QString err = QString::fromUtf8(result.err).trimmed();
    QVERIFY2(!err.contains(QLatin1Char('\n')), qPrintable(err));
    QVERIFY2(err.contains(mentions), qPrintable(err));
}
