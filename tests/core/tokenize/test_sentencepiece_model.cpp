// SentencePiece tokenizer.model read by our own protobuf reader: the real stories260K model
// parses to what its trainer wrote and tokenizes like its tokenizer.json; a Unigram model
// built here segments by the best total score; every truncation and byte edit of a real file
// gives a clean error or a model, never a crash.
#include <QTemporaryDir>
#include <QtTest>

#include <random>

#include "core/io/input_error.h"
#include "core/tokenize/legacy_files.h"
#include "core/tokenize/sentencepiece_model.h"
#include "core/tokenize/tokenizer.h"

using namespace attnscope;
using namespace attnscope::tokenize;

namespace {

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Protobuf wire format, written independently of the reader under test.
QByteArray varint(uint64_t value)
{
    QByteArray out;
    do {
        const auto low = char(value & 0x7f);
        value >>= 7;
        out.append(value ? char(low | 0x80) : low);
    } while (value);
    return out;
}

QByteArray lengthDelimited(int field, const QByteArray &bytes)
{
    return varint(uint64_t(field) << 3 | 2) + varint(uint64_t(bytes.size())) + bytes;
}

QByteArray piece(const QString &text, float score, int type)
{
    QByteArray scoreBytes(4, '\0');
    std::memcpy(scoreBytes.data(), &score, 4);
    return lengthDelimited(1, lengthDelimited(1, text.toUtf8()) + varint(2 << 3 | 5) + scoreBytes
                                  + varint(3 << 3) + varint(uint64_t(type)));
}

void requireStories()
{
    if (!QFileInfo::exists(kStories + QStringLiteral("/tokenizer.model")))
        QSKIP("shared test data absent: no ../shared/models/stories260K");
}

} // namespace

class TestSentencePieceModel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsTheTrainerSettings()
    {
        requireStories();
        const SentencePieceModel sp = parseSentencePieceModel(readFile(kStories + QStringLiteral("/tokenizer.model")), kStories);
        QCOMPARE(sp.pieces.size(), size_t(512));
        QVERIFY(sp.kind == SentencePieceModel::Kind::Bpe);
        QVERIFY(sp.byteFallback);
        QCOMPARE(sp.unkId, 0);
        QCOMPARE(sp.bosId, 1);
        QCOMPARE(sp.eosId, 2);
        QCOMPARE(sp.pieceOf(1), std::string("<s>"));
        QVERIFY(sp.pieces[1].type == SentencePiece::Type::Control);
        QCOMPARE(sp.pieceOf(3), std::string("<0x00>"));
        QVERIFY(sp.pieces[3].type == SentencePiece::Type::Byte);
    }

    void tokenizesLikeItsTokenizerJson()
    {
        requireStories();
        QTemporaryDir onlyModel;
        QVERIFY(QFile::copy(kStories + QStringLiteral("/tokenizer.model"), onlyModel.filePath(QStringLiteral("tokenizer.model"))));
        const auto fromModel = loadTokenizer(onlyModel.path());
        const auto fromJson = loadTokenizer(kStories + QStringLiteral("/tokenizer.json"));
        for (const char *text : {"Once upon a time, there was a little girl named Lily.", "", " two  spaces\tand\nlines ",
                                 "héllo 世界 🙂 <s> done</s>", "1234567890 $%&"}) {
            const QByteArray utf8(text);
            QCOMPARE(fromModel->encode(utf8).ids(), fromJson->encode(utf8).ids());
            QCOMPARE(fromModel->encode(utf8, false).ids(), fromJson->encode(utf8, false).ids());
        }
    }

    // A Unigram model segments each word by the highest total log-probability (Viterbi).
    void unigramTakesTheBestSegmentation()
    {
        const QString space = QStringLiteral("\u2581");
        QByteArray proto = piece(QStringLiteral("<unk>"), 0, 2) + piece(QStringLiteral("<s>"), 0, 3)
            + piece(QStringLiteral("</s>"), 0, 3) + piece(space, -1, 1) + piece(space + QStringLiteral("ab"), -5, 1)
            + piece(QStringLiteral("a"), -2, 1) + piece(QStringLiteral("b"), -2, 1) + piece(space + QStringLiteral("a"), -1, 1)
            + piece(QStringLiteral("c"), -1, 1);
        proto += lengthDelimited(2, varint(3 << 3) + varint(1)); // TrainerSpec.model_type = UNIGRAM
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("tokenizer.model")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(proto);
        file.close();
        const auto tokenizer = loadTokenizer(dir.path());
        // "▁ab": "▁a"+"b" scores −3, better than "▁ab" (−5) or "▁"+"a"+"b" (−5).
        QCOMPARE(tokenizer->encode(QByteArray("ab"), false).ids(), (std::vector<int64_t>{7, 6}));
        // "▁cab": "▁"+"c"+"a"+"b" is the only way.
        QCOMPARE(tokenizer->encode(QByteArray("cab"), false).ids(), (std::vector<int64_t>{3, 8, 5, 6}));
        QCOMPARE(tokenizer->encode(QByteArray("ab"), true).ids(), (std::vector<int64_t>{1, 7, 6}));
    }

    void damagedFilesGiveOneLineErrors()
    {
        requireStories();
        const QByteArray bytes = readFile(kStories + QStringLiteral("/tokenizer.model"));
        int refused = 0;
        for (qsizetype length = 0; length < bytes.size(); ++length) {
            try {
                parseSentencePieceModel(bytes.left(length), QStringLiteral("cut.model"));
            } catch (const InputError &error) {
                ++refused;
                QVERIFY(QString::fromUtf8(error.what()).startsWith(QStringLiteral("cut.model: not a SentencePiece model")));
            }
        }
        QVERIFY(refused > bytes.size() / 2);
        std::mt19937 random(7);
        for (int trial = 0; trial < 3000; ++trial) {
            QByteArray edited = bytes;
            for (int edit = 0; edit < 3; ++edit)
                edited[qsizetype(random() % uint32_t(edited.size()))] = char(random());
            try {
                parseSentencePieceModel(edited, QStringLiteral("edited.model"));
            } catch (const InputError &) {
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestSentencePieceModel)
#include "test_sentencepiece_model.moc"
