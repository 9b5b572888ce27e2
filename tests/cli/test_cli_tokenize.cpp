// attnscope-cli tokenize: the JSON contract, pairs, --no-special, files, exit codes.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "cli/cli_runner.h"

namespace {

QString sharedTokenizer(const char *name)
{
    return QStringLiteral(ATTNSCOPE_SHARED_DIR "/tokenizers/") + QLatin1String(name);
}

QJsonArray ints(std::initializer_list<int> values)
{
    QJsonArray out;
    for (int v : values)
        out.append(v);
    return out;
}

} // namespace

class TestCliTokenize : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void tokens()
    {
        if (!QFileInfo::exists(sharedTokenizer("gpt2")))
            QSKIP("shared tokenizers are absent");
        const CliResult r = runCli({QStringLiteral("tokenize"), sharedTokenizer("gpt2"), QStringLiteral("--text"),
                                    QStringLiteral("Hello wörld")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value("ids").toArray().at(0).toInt(), 15496);
        QCOMPARE(o.value("tokens").toArray(), QJsonArray({"Hello", "Ġw", "Ã¶r", "ld"}));
        QCOMPARE(o.value("display").toArray(), QJsonArray({"Hello", "␣w", "ör", "ld"}));
        // "ö" is two bytes: offsets are UTF-8 byte offsets.
        QCOMPARE(o.value("offsets").toArray(), QJsonArray({ints({0, 5}), ints({5, 7}), ints({7, 10}), ints({10, 12})}));
    }

    // SentencePiece's "▁" shows as the same space mark as GPT-2's "Ġ"; ids, tokens and offsets are Hugging Face's.
    void sentencePieceDisplay_data()
    {
        QTest::addColumn<QString>("tokenizer");
        QTest::addColumn<QJsonArray>("ids");
        QTest::addColumn<QJsonArray>("tokens");
        QTest::addColumn<QJsonArray>("display");
        QTest::addColumn<QJsonArray>("offsets");
        QTest::newRow("llama2") << sharedTokenizer("llama2") << ints({1, 15043, 3186})
                                << QJsonArray({"<s>", "▁Hello", "▁world"}) << QJsonArray({"<s>", "␣Hello", "␣world"})
                                << QJsonArray({ints({0, 0}), ints({0, 5}), ints({5, 11})});
        QTest::newRow("t5-small") << sharedTokenizer("t5-small") << ints({8774, 296, 1})
                                  << QJsonArray({"▁Hello", "▁world", "</s>"}) << QJsonArray({"␣Hello", "␣world", "</s>"})
                                  << QJsonArray({ints({0, 5}), ints({6, 11}), ints({0, 0})});
    }

    void sentencePieceDisplay()
    {
        QFETCH(QString, tokenizer);
        if (!QFileInfo::exists(tokenizer))
            QSKIP("shared tokenizers are absent");
        const CliResult r = runCli({QStringLiteral("tokenize"), tokenizer, QStringLiteral("--text"), QStringLiteral("Hello world")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QTEST(o.value("ids").toArray(), "ids");
        QTEST(o.value("tokens").toArray(), "tokens");
        QTEST(o.value("display").toArray(), "display");
        QTEST(o.value("offsets").toArray(), "offsets");
    }

    void pairAndSpecial()
    {
        if (!QFileInfo::exists(sharedTokenizer("bert-base-uncased")))
            QSKIP("shared tokenizers are absent");
        const QString bert = sharedTokenizer("bert-base-uncased");
        CliResult r = runCli({QStringLiteral("tokenize"), bert, QStringLiteral("--text"), QStringLiteral("Hi"),
                              QStringLiteral("--text-pair"), QStringLiteral("there")});
        QCOMPARE(r.exitCode, 0);
        QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value("ids").toArray(), ints({101, 7632, 102, 2045, 102}));
        QCOMPARE(o.value("type_ids").toArray(), ints({0, 0, 0, 1, 1}));
        QCOMPARE(o.value("special").toArray().at(0).toBool(), true);
        r = runCli({QStringLiteral("tokenize"), bert, QStringLiteral("--text"), QStringLiteral("Hi"), QStringLiteral("--no-special")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value("ids").toArray(), ints({7632}));
    }

    void textFileWithInvalidUtf8()
    {
        if (!QFileInfo::exists(sharedTokenizer("gpt2")))
            QSKIP("shared tokenizers are absent");
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("text.txt")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("a\xff" "b");
        f.close();
        const CliResult r = runCli({QStringLiteral("tokenize"), sharedTokenizer("gpt2"), QStringLiteral("--text-file"), f.fileName()});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray offsets = QJsonDocument::fromJson(r.out).object().value("offsets").toArray();
        QVERIFY(!offsets.isEmpty());
        QCOMPARE(offsets.last().toArray().at(1).toInt(), 3);
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        const QString gpt2 = sharedTokenizer("gpt2");
        QTest::newRow("no text") << QStringList{"tokenize", gpt2} << 2;
        QTest::newRow("no folder") << QStringList{"tokenize", "--text", "x"} << 2;
        QTest::newRow("text and text file") << QStringList{"tokenize", gpt2, "--text", "x", "--text-file", "f"} << 2;
        QTest::newRow("unknown option") << QStringList{"tokenize", gpt2, "--text", "x", "--frobnicate"} << 2;
        QTest::newRow("missing folder") << QStringList{"tokenize", "/nonexistent/tokenizer", "--text", "x"} << 3;
        QTest::newRow("missing text file") << QStringList{"tokenize", gpt2, "--text-file", "/nonexistent/t.txt"} << 3;
    }

    void errors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        const CliResult r = runCli(arguments);
        QVERIFY(!r.crashed);
        QCOMPARE(r.exitCode, exitCode);
        QCOMPARE(r.err.count('\n'), 1);
    }

    void malformedTokenizerJson()
    {
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("tokenizer.json")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}, "normalizer": {"type": "Fancy"}})");
        f.close();
        const CliResult r = runCli({QStringLiteral("tokenize"), dir.path(), QStringLiteral("--text"), QStringLiteral("a")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("unsupported normalizer \"Fancy\""), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliTokenize)
#include "test_cli_tokenize.moc"
