// Bad tokenizer files give one clear InputError line naming the file and the field or
// component; bad text never crashes.
#include <QTemporaryDir>
#include <QtTest>

#include "core/io/input_error.h"
#include "core/tokenize/tokenizer.h"

using namespace attnscope;
using namespace attnscope::tokenize;

namespace {

const char *const kModel = R"("model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]})";

QByteArray withModel(const char *rest)
{
    return QByteArray("{") + kModel + (rest[0] ? ", " : "") + rest + "}";
}

// Kept out of the test class: moc cannot read raw string literals holding quotes.
void addBadFileRows()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected"); // part of the message
    const QString json = QStringLiteral("tokenizer.json");
    QTest::newRow("malformed json") << json << QByteArray("{ \"model\": ") << "invalid JSON";
    QTest::newRow("not an object") << json << QByteArray("[1, 2]") << "expected a JSON object";
    QTest::newRow("model missing") << json << QByteArray("{\"added_tokens\": []}") << "field model: missing";
    QTest::newRow("vocab not an object") << json
        << QByteArray(R"({"model": {"type": "BPE", "vocab": [], "merges": []}})") << "field model.vocab: expected an object";
    QTest::newRow("vocab id not a number") << json
        << QByteArray(R"({"model": {"type": "WordPiece", "vocab": {"[UNK]": "zero"}}})") << "model.vocab[\"[UNK]\"]";
    QTest::newRow("unknown model") << json << QByteArray(R"({"model": {"type": "Magic"}})") << "unsupported model \"Magic\"";
    QTest::newRow("merge of unknown tokens") << json
        << QByteArray(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a c"]}})") << "merge 0";
    QTest::newRow("merge without space") << json
        << QByteArray(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["abc"]}})") << "field model.merges[0]";
    QTest::newRow("unsupported normalizer") << json << withModel(R"("normalizer": {"type": "Fancy"})")
                                            << "field normalizer.type: unsupported normalizer \"Fancy\"";
    QTest::newRow("unsupported pre-tokenizer") << json
        << withModel(R"("pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "CharDelimiterSplit"}]})")
        << "pre_tokenizer.pretokenizers[0].type: unsupported pre-tokenizer \"CharDelimiterSplit\"";
    QTest::newRow("unsupported decoder") << json << withModel(R"("decoder": {"type": "CTC"})") << "unsupported decoder \"CTC\"";
    QTest::newRow("bad regex") << json
        << withModel(R"("pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(a"}, "behavior": "Isolated"})")
        << "invalid regular expression";
    QTest::newRow("bad split behavior") << json
        << withModel(R"("pre_tokenizer": {"type": "Split", "pattern": {"String": " "}, "behavior": "Sideways"})")
        << "unsupported split behavior \"Sideways\"";
    QTest::newRow("template without its special token") << json
        << withModel(R"("post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}], "pair": [], "special_tokens": {}})")
        << "does not define it";
    QTest::newRow("precompiled charsmap too short") << json
        << withModel(R"("normalizer": {"type": "Precompiled", "precompiled_charsmap": "AQ=="})") << "too short";
    QTest::newRow("added token without content") << json
        << withModel(R"("added_tokens": [{"id": 5}])") << "added_tokens[0].content";
    QTest::newRow("tiktoken bad line") << "cl100k_base.tiktoken" << QByteArray("IQ== 0\n!!!! x\n") << "line 2";
    QTest::newRow("not a SentencePiece model") << "tokenizer.model" << QByteArray("\x01\x02garbage") << "not a SentencePiece model";
    QTest::newRow("vocab.txt without [UNK]") << "vocab.txt" << QByteArray("[CLS]\n[SEP]\nhello\n") << "no \"[UNK]\" token";
    QTest::newRow("merges.txt line") << "merges.txt" << QByteArray("a b c\n") << "line 1";
}

} // namespace

class TestTokenizerBadInput : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void badFiles_data() { addBadFileRows(); }

    void badFiles()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        QFile f(dir.filePath(file));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        if (file == QLatin1String("merges.txt")) { // needs its vocab.json
            QFile vocab(dir.filePath(QStringLiteral("vocab.json")));
            QVERIFY(vocab.open(QIODevice::WriteOnly));
            vocab.write(R"({"a": 0, "b": 1})");
        }
        try {
            loadTokenizer(dir.path());
            QFAIL("no error");
        } catch (const InputError &error) {
            const QString message = QString::fromUtf8(error.what());
            QVERIFY2(message.contains(expected), qPrintable(message));
            QVERIFY2(message.contains(dir.path()), qPrintable(message));
            QVERIFY(!message.contains(QLatin1Char('\n')));
        }
    }

    void missingFolders()
    {
        QTemporaryDir dir;
        QVERIFY_THROWS_EXCEPTION(InputError, loadTokenizer(dir.filePath(QStringLiteral("absent"))));
        try {
            loadTokenizer(dir.path());
            QFAIL("no error");
        } catch (const InputError &error) {
            QVERIFY(QString::fromUtf8(error.what()).contains(QLatin1String("no tokenizer found")));
        }
    }
};

QTEST_GUILESS_MAIN(TestTokenizerBadInput)
#include "test_tokenizer_bad_input.moc"
