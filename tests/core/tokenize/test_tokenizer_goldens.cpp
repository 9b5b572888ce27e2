// Every shared tokenizer against Hugging Face's own output on the golden corpus
// (tests/data/tokenizers): ids with and without special tokens, offsets, sentence pairs.
#include <QTemporaryDir>
#include <QtTest>

#include "core/io/input_error.h"
#include "core/tokenize/tokenizer.h"
#include "core/tokenize/golden_cases.h"

using namespace attnscope::tokenize;

class TestTokenizerGoldens : public QObject {
    Q_OBJECT

private:
    // A folder holding only the given files of a shared tokenizer (to force the legacy path).
    static QString legacyCopy(QTemporaryDir &tmp, const QString &source, const QStringList &files)
    {
        for (const QString &f : files)
            if (QFile::exists(source + QLatin1Char('/') + f))
                QFile::copy(source + QLatin1Char('/') + f, tmp.filePath(f));
        return tmp.path();
    }

private Q_SLOTS:
    void goldens_data()
    {
        QTest::addColumn<QString>("golden");
        QTest::addColumn<QString>("source");   // folder under ../shared
        QTest::addColumn<QStringList>("onlyFiles"); // non-empty: load a copy with just these
        QTest::addColumn<bool>("checkOffsets");
        const QString t = QStringLiteral("tokenizers/");
        QTest::newRow("bert-base-uncased") << "bert-base-uncased" << t + "bert-base-uncased" << QStringList() << true;
        QTest::newRow("bert vocab.txt") << "bert-base-uncased" << t + "bert-base-uncased"
                                        << QStringList{"vocab.txt", "tokenizer_config.json"} << true;
        QTest::newRow("roberta-base") << "roberta-base" << t + "roberta-base" << QStringList() << true;
        QTest::newRow("roberta vocab.json+merges.txt") << "roberta-base" << t + "roberta-base"
                                                      << QStringList{"vocab.json", "merges.txt", "tokenizer_config.json"} << true;
        QTest::newRow("gpt2 vocab.json+merges.txt") << "gpt2" << t + "gpt2" << QStringList() << true;
        QTest::newRow("llama2") << "llama2" << t + "llama2" << QStringList() << true;
        QTest::newRow("llama2 SentencePiece tokenizer.model") << "llama2" << t + "llama2"
                                                             << QStringList{"tokenizer.model", "tokenizer_config.json"} << true;
        QTest::newRow("phi-3-mini") << "phi-3-mini" << t + "phi-3-mini" << QStringList() << true;
        QTest::newRow("t5-small") << "t5-small" << t + "t5-small" << QStringList() << true;
        QTest::newRow("stories260K") << "stories260K" << "models/stories260K" << QStringList() << true;
        QTest::newRow("llama3 tiktoken") << "llama3" << t + "llama3" << QStringList() << true;
        QTest::newRow("cl100k_base tiktoken") << "cl100k_base" << t + "cl100k_base" << QStringList() << true;
    }

    void goldens()
    {
        QFETCH(QString, golden);
        QFETCH(QString, source);
        QFETCH(QStringList, onlyFiles);
        QFETCH(bool, checkOffsets);
        const QString shared = QStringLiteral(ATTNSCOPE_SHARED_DIR "/") + source;
        if (!QFileInfo::exists(shared))
            QSKIP(qPrintable(QStringLiteral("shared tokenizer %1 is absent").arg(shared)));
        QTemporaryDir tmp;
        const QString dir = onlyFiles.isEmpty() ? shared : legacyCopy(tmp, shared, onlyFiles);
        const Goldens g = readGoldens(golden);
        QVERIFY2(g.corpus.size() >= 300 && g.cases.size() == size_t(g.corpus.size()), "golden corpus missing");
        std::unique_ptr<Tokenizer> tokenizer = loadTokenizer(dir);

        int exact = 0;
        const QStringList failures = compareWithGoldens(*tokenizer, g, checkOffsets, exact);
        if (!failures.isEmpty())
            qWarning().noquote() << golden << ":" << exact << "of" << g.cases.size() << "strings exact\n  " << failures.join("\n  ");
        QVERIFY2(failures.isEmpty(), qPrintable(failures.value(0)));
    }
};

QTEST_GUILESS_MAIN(TestTokenizerGoldens)
#include "test_tokenizer_goldens.moc"
