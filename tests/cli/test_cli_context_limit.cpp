// Inputs past a rotary model's trained context (issue #28), through attnscope-cli with
// stories260K (RoPE, max_position_embeddings 512): run, analyze, render, compare and generate
// (prompt + new tokens) refuse them before the forward pass with exit code 3 and one line naming
// the token count (the tokenizer's, checked with `tokenize`) and the 512 positions, within 10 s;
// --allow-longer runs them with one warning line; a config without max_position_embeddings is
// taken as 2,048 and says so; generate stops on Ctrl-C with the tokens written so far, printed
// and in --out, exit code 130.
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

#include "cli/cli_runner.h"
#include "cli/hostile_files.h"

namespace {

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
constexpr int kTimeLimitMs = 10'000;

QString sentences(int times)
{
    QString text;
    for (int i = 0; i < times; ++i)
        text += QStringLiteral("Once upon a time there was a cat. ");
    return text;
}

int64_t numberIn(const QString &text, const QString &pattern)
{
    const QRegularExpressionMatch match = QRegularExpression(pattern).match(text);
    return match.hasMatch() ? match.captured(1).remove(QLatin1Char(',')).toLongLong() : -1;
}

// The tensors' shapes in a .safetensors header.
QJsonObject safetensorsHeader(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray length = file.read(8);
    if (length.size() != 8)
        return {};
    quint64 bytes = 0;
    for (int i = 7; i >= 0; --i)
        bytes = (bytes << 8) | quint8(length[i]);
    return QJsonDocument::fromJson(file.read(qint64(bytes))).object();
}

QJsonArray shapeOf(const QJsonObject &header, const char *tensor)
{
    return header.value(QLatin1String(tensor)).toObject().value(QStringLiteral("shape")).toArray();
}

} // namespace

class TestCliContextLimit : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_longText;  // about 12,000 tokens
    QString m_pastText;  // about 600 tokens: just past 512

    QString at(const QString &name) const { return m_dir.filePath(name); }

    int64_t tokenCount(const QString &model, const QString &textFile)
    {
        const CliResult result = runCli({QStringLiteral("tokenize"), model, QStringLiteral("--text-file"), textFile});
        return QJsonDocument::fromJson(result.out).object().value(QStringLiteral("ids")).toArray().size();
    }

    hostile::MeasuredRun measured(const QStringList &arguments)
    {
        return hostile::runMeasured(QStringLiteral(ATTNSCOPE_CLI), arguments, at(QStringLiteral("stderr.txt")), kTimeLimitMs);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo::exists(kStories + QStringLiteral("/config.json")))
            QSKIP("shared test data absent: no ../shared/models/stories260K");
        QVERIFY(m_dir.isValid());
        m_longText = at(QStringLiteral("long.txt"));
        m_pastText = at(QStringLiteral("past.txt"));
        QVERIFY(hostile::writeBytes(m_longText, sentences(1300).toUtf8()));
        QVERIFY(hostile::writeBytes(m_pastText, sentences(65).toUtf8()));
        hostile::modelFolder(m_dir.path(), QStringLiteral("no-context"), kStories,
                             {{QStringLiteral("config.json"),
                               hostile::changedConfig(kStories, {{QStringLiteral("max_position_embeddings"), QJsonValue::Null}})}});
    }

    void refusedBeforeTheForward_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("positions");
        const QStringList input{QStringLiteral("--text-file"), m_longText};
        const QString st = at(QStringLiteral("out.safetensors")), png = at(QStringLiteral("out.png"));
        QTest::newRow("run") << QStringList{QStringLiteral("run"), kStories, QStringLiteral("--out"), st} + input
                             << kStories << QStringLiteral("512 positions stories260K was trained on;");
        QTest::newRow("analyze") << QStringList{QStringLiteral("analyze"), kStories, QStringLiteral("--method"), QStringLiteral("rollout"),
                                                QStringLiteral("--out"), at(QStringLiteral("out.json"))} + input
                                 << kStories << QStringLiteral("512 positions stories260K was trained on;");
        QTest::newRow("render") << QStringList{QStringLiteral("render"), kStories, QStringLiteral("--view"), QStringLiteral("head"),
                                               QStringLiteral("--out"), png} + input
                                << kStories << QStringLiteral("512 positions stories260K was trained on;");
        QTest::newRow("render --view analysis")
            << QStringList{QStringLiteral("render"), kStories, QStringLiteral("--view"), QStringLiteral("analysis"), QStringLiteral("--method"),
                           QStringLiteral("rollout"), QStringLiteral("--out"), png} + input
            << kStories << QStringLiteral("512 positions stories260K was trained on;");
        QTest::newRow("compare") << QStringList{QStringLiteral("compare"), kStories, QStringLiteral("--variant"), QStringLiteral("topk:k=8")} + input
                                 << kStories << QStringLiteral("512 positions stories260K was trained on;");
        QTest::newRow("generate: the prompt") << QStringList{QStringLiteral("generate"), kStories, QStringLiteral("--max-new-tokens"),
                                                             QStringLiteral("4")} + input
                                              << kStories << QStringLiteral("512 positions stories260K was trained on;");
        const QString noContext = at(QStringLiteral("no-context"));
        QTest::newRow("config without max_position_embeddings")
            << QStringList{QStringLiteral("run"), noContext, QStringLiteral("--out"), st} + input << noContext
            << QStringLiteral("2,048 positions no-context was trained on (assumed: config.json gives no max_position_embeddings);");
    }

    void refusedBeforeTheForward()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, model);
        QFETCH(QString, positions);
        const hostile::MeasuredRun run = measured(arguments);
        const QString err = QString::fromUtf8(run.err).trimmed();
        const QByteArray report = QStringLiteral("exit %1, %2 ms: %3").arg(run.exitCode).arg(run.ms).arg(err).toUtf8();
        qInfo("%s", report.constData());
        QVERIFY2(!run.killed && !run.crashed, report.constData());
        QVERIFY2(run.exitCode == 3, report.constData());
        QVERIFY2(!err.contains(QLatin1Char('\n')), report.constData());
        QVERIFY2(err.startsWith(QStringLiteral("attnscope-cli: input: ")), report.constData());
        QVERIFY2(err.contains(positions + QStringLiteral(" --allow-longer runs it anyway, out of distribution")), report.constData());
        const int64_t tokens = tokenCount(model, m_longText);
        QVERIFY(tokens > 10'000);
        const int64_t named = arguments.first() == QLatin1String("generate")
                                  ? numberIn(err, QStringLiteral("input: ([\\d,]+) prompt tokens \\+ 4 new tokens"))
                                  : numberIn(err, QStringLiteral("input: ([\\d,]+) tokens exceed"));
        QCOMPARE(named, tokens);
        QVERIFY(!QFileInfo::exists(at(QStringLiteral("out.safetensors"))));
    }

    // Prompt and new tokens together: 5 + 600 do not fit 512, though each would.
    void generateCountsTheNewTokens()
    {
        const hostile::MeasuredRun run = measured({QStringLiteral("generate"), kStories, QStringLiteral("--text"),
                                                   QStringLiteral("Once upon a time"), QStringLiteral("--max-new-tokens"),
                                                   QStringLiteral("600")});
        const QString err = QString::fromUtf8(run.err).trimmed();
        QVERIFY2(run.exitCode == 3 && run.ms < kTimeLimitMs, qPrintable(err));
        const int64_t prompt = numberIn(err, QStringLiteral("input: (\\d+) prompt tokens \\+ 600 new tokens"));
        QVERIFY2(prompt > 0 && prompt < 512, qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("(%1 tokens) exceed the 512 positions stories260K was trained on").arg(prompt + 600)),
                 qPrintable(err));
    }

    void allowLongerRunsPastTheContext_data()
    {
        QTest::addColumn<QStringList>("arguments");
        const QStringList input{QStringLiteral("--text-file"), m_pastText, QStringLiteral("--allow-longer")};
        QTest::newRow("run") << QStringList{QStringLiteral("run"), kStories, QStringLiteral("--out"), at(QStringLiteral("past.safetensors"))} + input;
        QTest::newRow("analyze") << QStringList{QStringLiteral("analyze"), kStories, QStringLiteral("--method"), QStringLiteral("rollout"),
                                                QStringLiteral("--out"), at(QStringLiteral("past.json"))} + input;
        QTest::newRow("generate") << QStringList{QStringLiteral("generate"), kStories, QStringLiteral("--max-new-tokens"), QStringLiteral("8")} + input;
    }

    void allowLongerRunsPastTheContext()
    {
        QFETCH(QStringList, arguments);
        const int64_t tokens = tokenCount(kStories, m_pastText);
        QVERIFY2(tokens > 512 && tokens < 700, qPrintable(QString::number(tokens)));
        const CliResult result = runCli(arguments);
        const QString err = QString::fromUtf8(result.err).trimmed();
        QVERIFY(!result.crashed);
        QVERIFY2(result.exitCode == 0, qPrintable(err));
        QVERIFY2(!err.contains(QLatin1Char('\n')), qPrintable(err));
        QVERIFY2(err.startsWith(QStringLiteral("attnscope-cli: warning: ")), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("run past the 512 positions stories260K was trained on (--allow-longer)")), qPrintable(err));
        if (arguments.first() == QLatin1String("run"))
            QCOMPARE(shapeOf(safetensorsHeader(at(QStringLiteral("past.safetensors"))), "input_ids"), QJsonArray{double(tokens)});
    }

    // Ctrl-C: the steps written so far are kept, printed and written to --out; exit code 130.
    void generateStopsOnInterrupt()
    {
        const QString out = at(QStringLiteral("interrupted.safetensors"));
        QProcess process;
        process.start(QStringLiteral(ATTNSCOPE_CLI),
                      {QStringLiteral("generate"), kStories, QStringLiteral("--text"), QStringLiteral("Once upon a time"),
                       QStringLiteral("--max-new-tokens"), QStringLiteral("2000"), QStringLiteral("--allow-longer"),
                       QStringLiteral("--out"), out});
        QVERIFY(process.waitForStarted());
        QByteArray err;
        QElapsedTimer timer;
        timer.start();
        while (!err.contains("--allow-longer") && timer.elapsed() < 30'000) { // the warning comes just before generating
            process.waitForReadyRead(100);
            err += process.readAllStandardError();
        }
        QVERIFY2(err.contains("--allow-longer"), err.constData());
        QTest::qWait(1500); // some steps, far from all 2,000 (about 3 s)
        QVERIFY(process.state() == QProcess::Running);
        ::kill(pid_t(process.processId()), SIGINT);
        timer.restart();
        QVERIFY(process.waitForFinished(5'000));
        const qint64 stopMs = timer.elapsed();
        err += process.readAllStandardError();
        const QByteArray printed = process.readAllStandardOutput().trimmed();
        qInfo("stopped %lld ms after SIGINT: %s", static_cast<long long>(stopMs), err.constData());
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 130);
        const int64_t written = numberIn(QString::fromUtf8(err), QStringLiteral("interrupted after (\\d+) of 2000 new tokens"));
        QVERIFY2(written >= 0 && written < 2000, err.constData());
        QVERIFY(written == 0 || !printed.isEmpty());
        const QJsonObject header = safetensorsHeader(out);
        const int64_t prompt = header.value(QStringLiteral("__metadata__")).toObject().value(QStringLiteral("prompt_tokens")).toString().toLongLong();
        QVERIFY(prompt > 0);
        const double tokens = double(prompt + written);
        QCOMPARE(shapeOf(header, "input_ids"), QJsonArray{tokens});
        QCOMPARE(shapeOf(header, "step_logits"), (QJsonArray{double(written), 512.0}));
        QCOMPARE(shapeOf(header, "attentions"), (QJsonArray{5.0, 8.0, tokens, tokens}));
    }
};

QTEST_GUILESS_MAIN(TestCliContextLimit)
#include "test_cli_context_limit.moc"
