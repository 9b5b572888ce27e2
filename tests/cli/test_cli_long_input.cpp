// attnscope-cli run on inputs longer than the model's positions: a rotary model (stories260K,
// trained on 512) runs when --allow-longer asks for it and warns in one stderr line that attention
// past 512 tokens is out of distribution (refused without it: test_cli_hostile_inputs); a model with learned positions (the induction demo, GPT-2 layout, 128) is
// refused in one line saying why, with exit code 3; inputs that fit print nothing.
#include <QTemporaryDir>
#include <QtTest>

#include "cli/cli_runner.h"

namespace {

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
const QString kInduction = QStringLiteral(ATTNSCOPE_SOURCE_DIR "/resources/demos/induction");

QString repeated(const QString &phrase, int times)
{
    QStringList parts;
    for (int i = 0; i < times; ++i)
        parts << phrase;
    return parts.join(QLatin1Char(' '));
}

} // namespace

class TestCliLongInput : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rotaryModelRunsWithAWarningWhenAllowed()
    {
        if (!QFileInfo::exists(kStories + QStringLiteral("/config.json")))
            QSKIP("shared test data absent: no ../shared/models/stories260K");
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("long.safetensors"));
        const CliResult result = runCli({QStringLiteral("run"), kStories, QStringLiteral("--text"),
                                         repeated(QStringLiteral("Once upon a time there was a cat."), 80),
                                         QStringLiteral("--allow-longer"), QStringLiteral("--out"), out});
        QVERIFY(!result.crashed);
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QVERIFY(QFileInfo::exists(out));
        const QString err = QString::fromUtf8(result.err).trimmed();
        QVERIFY2(!err.contains(QLatin1Char('\n')), qPrintable(err));
        QVERIFY2(err.startsWith(QStringLiteral("attnscope-cli: warning: ")) && err.contains(QStringLiteral("tokens run past the 512 positions stories260K was trained on"))
                     && err.contains(QStringLiteral("out of distribution")),
                 qPrintable(err));
    }

    void learnedPositionsRefuseInOneLine()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("long.safetensors"));
        const CliResult result = runCli({QStringLiteral("run"), kInduction, QStringLiteral("--text"),
                                         repeated(QStringLiteral("the cat sat on the mat ."), 40), QStringLiteral("--out"), out});
        verifyOneLineError(result, 3, QStringLiteral("but gpt2 has learned positions for only 128: it cannot run beyond them"));
        QVERIFY(!QFileInfo::exists(out));
    }

    void inputsThatFitPrintNothing()
    {
        QTemporaryDir dir;
        const CliResult result = runCli({QStringLiteral("run"), kInduction, QStringLiteral("--text"),
                                         repeated(QStringLiteral("the cat sat on the mat ."), 2), QStringLiteral("--out"),
                                         dir.filePath(QStringLiteral("short.safetensors"))});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.err, QByteArray());
    }
};

QTEST_GUILESS_MAIN(TestCliLongInput)
#include "test_cli_long_input.moc"
