// The Tokenizer API beyond ids: display strings, decoding, vocabulary look-ups, pairs,
// invalid UTF-8 and empty input, on the shared tokenizers.
#include <QtTest>

#include "core/tokenize/display_text.h"
#include "core/tokenize/tokenizer.h"

using namespace attnscope::tokenize;

namespace {

std::unique_ptr<Tokenizer> shared(const QString &folder)
{
    const QString path = QStringLiteral(ATTNSCOPE_SHARED_DIR "/tokenizers/") + folder;
    return QFileInfo::exists(path) ? loadTokenizer(path) : nullptr;
}

QStringList displays(const Encoding &e)
{
    QStringList out;
    for (const Token &t : e.tokens)
        out << t.text;
    return out;
}

} // namespace

class TestTokenizerApi : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void displayText_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("byte-level space and newline") << "gpt2" << "Hello world\n\tx"
                                                      << QStringList{"Hello", "␣world", "↵", "⇥", "x"};
        QTest::newRow("byte-level split character") << "gpt2" << "😀" << QStringList{"<0xF0><0x9F><0x98>", "<0x80>"};
        QTest::newRow("wordpiece continuation") << "bert-base-uncased" << "Tokenization"
                                                << QStringList{"[CLS]", "token", "##ization", "[SEP]"};
        QTest::newRow("metaspace and byte fallback") << "llama2" << "Hi\n" << QStringList{"<s>", "␣Hi", "↵"};
        QTest::newRow("sentencepiece model file") << "llama2/tokenizer.model" << "Hi there"
                                                  << QStringList{"<s>", "␣Hi", "␣there"};
        QTest::newRow("unigram metaspace") << "t5-small" << "Hello world" << QStringList{"␣Hello", "␣world", "</s>"};
        QTest::newRow("special token in text") << "roberta-base" << "a <mask>" << QStringList{"<s>", "a", "<mask>", "</s>"};
    }

    void displayText()
    {
        QFETCH(QString, folder);
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        const auto tokenizer = shared(folder);
        if (!tokenizer)
            QSKIP("shared tokenizers are absent");
        QCOMPARE(displays(tokenizer->encode(text)), expected);
    }

    // Only the display changes: the vocabulary strings stay Hugging Face's.
    void metaspaceTokensKeepTheirMark_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("llama2") << "llama2" << QStringList{"<s>", "▁Hello", "▁world"};
        QTest::newRow("t5") << "t5-small" << QStringList{"▁Hello", "▁world", "</s>"};
    }

    void metaspaceTokensKeepTheirMark()
    {
        QFETCH(QString, folder);
        QFETCH(QStringList, expected);
        const auto tokenizer = shared(folder);
        if (!tokenizer)
            QSKIP("shared tokenizers are absent");
        QStringList tokens;
        for (const Token &t : tokenizer->encode(QStringLiteral("Hello world")).tokens)
            tokens << t.token;
        QCOMPARE(tokens, expected);
    }

    // "▁" is a space only where the tokenizer says so (SentencePiece's Metaspace); elsewhere it
    // is a character of the text, e.g. GPT-2's byte-level spelling of U+2581 ("âĸģ").
    void lowerBlockIsASpaceOnlyForMetaspace_data()
    {
        QTest::addColumn<QString>("token");
        QTest::addColumn<int>("style");
        QTest::addColumn<QString>("expected");
        QTest::newRow("metaspace") << "▁the" << int(TokenStyle::Metaspace) << "␣the";
        QTest::newRow("metaspace, a lone mark") << "▁" << int(TokenStyle::Metaspace) << "␣";
        QTest::newRow("plain") << "▁the" << int(TokenStyle::Plain) << "▁the";
        QTest::newRow("byte-level") << "âĸģthe" << int(TokenStyle::ByteLevel) << "▁the";
    }

    void lowerBlockIsASpaceOnlyForMetaspace()
    {
        QFETCH(QString, token);
        QFETCH(int, style);
        QTEST(attnscope::tokenize::displayText(token.toStdString(), TokenStyle(style)), "expected");
    }

    void decode_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("gpt2") << "gpt2" << "Hello world, 你好 😀!" << "Hello world, 你好 😀!";
        QTest::newRow("roberta") << "roberta-base" << "Hello world" << "Hello world";
        QTest::newRow("bert") << "bert-base-uncased" << "Hello, World!" << "hello, world!";
        QTest::newRow("llama2") << "llama2" << "Hello world 😀" << "Hello world 😀";
        QTest::newRow("t5") << "t5-small" << "Hello world" << "Hello world";
        QTest::newRow("llama3") << "llama3" << "Ünïcödé text\n" << "Ünïcödé text\n";
        QTest::newRow("cl100k") << "cl100k_base" << "code: x = 1;" << "code: x = 1;";
    }

    void decode()
    {
        QFETCH(QString, folder);
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const auto tokenizer = shared(folder);
        if (!tokenizer)
            QSKIP("shared tokenizers are absent");
        QCOMPARE(tokenizer->decode(tokenizer->encode(text).ids(), true), expected);
    }

    void vocabulary()
    {
        const auto gpt2 = shared(QStringLiteral("gpt2"));
        const auto bert = shared(QStringLiteral("bert-base-uncased"));
        const auto llama3 = shared(QStringLiteral("llama3"));
        if (!gpt2 || !bert || !llama3)
            QSKIP("shared tokenizers are absent");
        QCOMPARE(gpt2->vocabSize(), 50257);
        QCOMPARE(bert->vocabSize(), 30522);
        QCOMPARE(llama3->vocabSize(), 128256);
        QCOMPARE(gpt2->tokenToId(QStringLiteral("Ġworld")), 995);
        QCOMPARE(gpt2->idToToken(995), QStringLiteral("Ġworld"));
        QCOMPARE(gpt2->tokenToId(QStringLiteral("<|endoftext|>")), 50256);
        QCOMPARE(llama3->idToToken(128009), QStringLiteral("<|eot_id|>"));
        QCOMPARE(bert->tokenToId(QStringLiteral("no such token")), -1);
        QVERIFY(bert->idToToken(1 << 30).isEmpty());
    }

    void pairOffsetsReferToTheirText()
    {
        const auto bert = shared(QStringLiteral("bert-base-uncased"));
        if (!bert)
            QSKIP("shared tokenizers are absent");
        const Encoding e = bert->encodePair("first one", "second", true);
        QCOMPARE(e.ids(), (std::vector<int64_t>{101, 2034, 2028, 102, 2117, 102}));
        const Token &second = e.tokens[4];
        QCOMPARE(second.typeId, 1);
        QCOMPARE(second.sequence, 1);
        QCOMPARE(second.byteBegin, 0);
        QCOMPARE(second.byteEnd, 6);
        QVERIFY(e.tokens[0].special && e.tokens[3].special && !e.tokens[1].special);
    }

    void invalidUtf8_data()
    {
        QTest::addColumn<QString>("folder");
        for (const char *name : {"gpt2", "bert-base-uncased", "llama2", "t5-small", "cl100k_base"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    void invalidUtf8()
    {
        QFETCH(QString, folder);
        const auto tokenizer = shared(folder);
        if (!tokenizer)
            QSKIP("shared tokenizers are absent");
        const QByteArray text("ab\xff\xfe c\xe2\x82 \xc3\xa9\xf0\x9f");
        const Encoding e = tokenizer->encode(text, false);
        QVERIFY(!e.tokens.empty());
        qint64 previousEnd = 0;
        for (const Token &t : e.tokens) { // offsets stay inside the input and never go back
            QVERIFY(t.byteBegin >= 0 && t.byteBegin <= t.byteEnd && t.byteEnd <= text.size());
            QVERIFY(t.byteEnd >= previousEnd || t.byteBegin == t.byteEnd);
            previousEnd = std::max(previousEnd, t.byteEnd);
        }
        // Each invalid byte reads as U+FFFD: the same ids as the repaired text.
        const QByteArray repaired = QByteArray("ab\xEF\xBF\xBD\xEF\xBF\xBD c\xEF\xBF\xBD\xEF\xBF\xBD \xc3\xa9\xEF\xBF\xBD\xEF\xBF\xBD");
        QCOMPARE(e.ids(), tokenizer->encode(repaired, false).ids());
    }

    void emptyText()
    {
        const auto gpt2 = shared(QStringLiteral("gpt2"));
        const auto bert = shared(QStringLiteral("bert-base-uncased"));
        if (!gpt2 || !bert)
            QSKIP("shared tokenizers are absent");
        QVERIFY(gpt2->encode(QByteArray()).tokens.empty());
        QCOMPARE(bert->encode(QByteArray()).ids(), (std::vector<int64_t>{101, 102}));
    }
};

QTEST_GUILESS_MAIN(TestTokenizerApi)
#include "test_tokenizer_api.moc"
