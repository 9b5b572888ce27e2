// The hostile-input corpus of issue #28 through attnscope-cli: sizes that wrap around 64 bits,
// files that are FIFOs or devices, pickles of millions of empty values, zip directories and
// safetensors headers that lie, config values out of range, tokenizer files built to be
// slow or huge, images and preprocessors asking for absurd sizes, inputs past the model's
// positions. Each is refused with exit code 3 and one line naming the file, within 10 s and
// under 1 GB of peak memory (measured on the child with wait4); tokenizer files that used to
// take quadratic time must now simply work within the same 10 s. Every input is written by
// the test itself into a temporary folder.
#include <QTemporaryDir>
#include <QtTest>

#include "cli/hostile_files.h"

using namespace hostile;

namespace {

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
const QString kInduction = QStringLiteral(ATTNSCOPE_SOURCE_DIR "/resources/demos/induction");
const QString kShapes = QStringLiteral(ATTNSCOPE_SOURCE_DIR "/resources/demos/shapes");
const QString kCircle = QStringLiteral(ATTNSCOPE_SOURCE_DIR "/resources/demos/samples/circle.png");
constexpr int kTimeLimitMs = 10'000;
constexpr qint64 kMemoryLimitKiB = qint64(1) << 20; // 1 GiB
const double k2to31 = 2147483648.0;

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// A well-formed [1, 1, 2, 2] attention, for files whose other parts are wrong.
QByteArray smallAttention()
{
    const float values[] = {1.0f, 0.0f, 0.5f, 0.5f};
    return QByteArray(reinterpret_cast<const char *>(values), sizeof values);
}

// tokenizer.json of a WordPiece model over "a", "##a" (and what `vocab` adds).
QByteArray wordPieceTokenizer(const QJsonObject &model, const QJsonObject &extra = {})
{
    QJsonObject vocab{{QStringLiteral("[UNK]"), 0}, {QStringLiteral("a"), 1}, {QStringLiteral("##a"), 2}};
    const QJsonObject more = model.value(QStringLiteral("vocab")).toObject();
    for (auto it = more.begin(); it != more.end(); ++it)
        vocab.insert(it.key(), it.value());
    QJsonObject wordPiece{{QStringLiteral("type"), QStringLiteral("WordPiece")}, {QStringLiteral("unk_token"), QStringLiteral("[UNK]")},
                          {QStringLiteral("continuing_subword_prefix"), QStringLiteral("##")}, {QStringLiteral("vocab"), vocab}};
    if (model.contains(QStringLiteral("max_input_chars_per_word")))
        wordPiece.insert(QStringLiteral("max_input_chars_per_word"), model.value(QStringLiteral("max_input_chars_per_word")));
    QJsonObject root{{QStringLiteral("version"), QStringLiteral("1.0")}, {QStringLiteral("model"), wordPiece},
                     {QStringLiteral("pre_tokenizer"), QJsonObject{{QStringLiteral("type"), QStringLiteral("Whitespace")}}}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        root.insert(it.key(), it.value());
    return json(root);
}

// A JPEG that declares 9000 × 9000 pixels in its frame header but holds a few hundred bytes.
QByteArray jpegClaiming(int width, int height)
{
    QByteArray bytes("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20);
    bytes += QByteArray("\xFF\xC0\x00\x11\x08", 5);
    bytes += char(height >> 8);
    bytes += char(height & 0xff);
    bytes += char(width >> 8);
    bytes += char(width & 0xff);
    bytes += QByteArray("\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01", 10);
    bytes += QByteArray(600, '\x55');
    bytes += QByteArray("\xFF\xD9", 2);
    return bytes;
}

// stories260K's weights with a NaN written over the first element of one tensor.
QByteArray weightsWithNan(const QString &model, const QString &tensor)
{
    QFile file(QDir(model).filePath(QStringLiteral("model.safetensors")));
    file.open(QIODevice::ReadOnly);
    QByteArray bytes = file.readAll();
    const qint64 headerBytes = qFromLittleEndian<qint64>(bytes.constData());
    const QJsonObject header = QJsonDocument::fromJson(bytes.mid(8, headerBytes)).object();
    const qint64 begin = header.value(tensor).toObject().value(QStringLiteral("data_offsets")).toArray().at(0).toInteger();
    const quint32 nan = 0x7fc00000u;
    std::memcpy(bytes.data() + 8 + headerBytes + begin, &nan, sizeof nan);
    return bytes;
}

QString repeatedWords(int count)
{
    QString text;
    text.reserve(count * 2);
    for (int i = 0; i < count; ++i)
        text += QStringLiteral("a ");
    return text;
}

} // namespace

class TestCliHostileInputs : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString at(const QString &name) const { return m_dir.filePath(name); }
    QString out(const QString &suffix) const { return at(QStringLiteral("out.") + suffix); }

    void writeAttentionFiles()
    {
        const QString attentions = QStringLiteral("attentions");
        writeSafetensors(at(QStringLiteral("att-wraps-f32.safetensors")),
                         QJsonObject{{attentions, tensorEntry("F32", {1, 1, k2to31, k2to31}, 0, 0)}}, {});
        writeSafetensors(at(QStringLiteral("att-wraps-f64.safetensors")),
                         QJsonObject{{attentions, tensorEntry("F64", {512, 4503599627370497.0}, 0, 4096)}}, QByteArray(4096, '\0'));
        writeSafetensors(at(QStringLiteral("att-off-by-one.safetensors")),
                         QJsonObject{{attentions, tensorEntry("F32", {1, 1, 2, 2}, 0, 16)}}, smallAttention(), -1);
        const QString longToken(1 << 20, QLatin1Char('x'));
        const QJsonObject metadata{{QStringLiteral("tokens"),
                                    QString::fromUtf8(QJsonDocument(QJsonArray{longToken, QStringLiteral("y")}).toJson(QJsonDocument::Compact))}};
        writeSafetensors(at(QStringLiteral("att-long-tokens.safetensors")),
                         QJsonObject{{attentions, tensorEntry("F32", {1, 1, 2, 2}, 0, 16)}, {QStringLiteral("__metadata__"), metadata}},
                         smallAttention());
    }

    void writeModelFolders()
    {
        const QString dir = m_dir.path();
        modelFolder(dir, QStringLiteral("weight-wraps"), kStories, {}, {QStringLiteral("model.safetensors")});
        writeSafetensors(at(QStringLiteral("weight-wraps/model.safetensors")),
                         QJsonObject{{QStringLiteral("model.embed_tokens.weight"), tensorEntry("F32", {k2to31, k2to31}, 0, 0)}}, {});
        modelFolder(dir, QStringLiteral("config-dev-zero"), kStories, {}, {QStringLiteral("config.json")});
        QFile::link(QStringLiteral("/dev/zero"), at(QStringLiteral("config-dev-zero/config.json")));
        modelFolder(dir, QStringLiteral("config-fifo"), kStories, {}, {QStringLiteral("config.json")});
        makeFifo(at(QStringLiteral("config-fifo/config.json")));
        modelFolder(dir, QStringLiteral("weights-fifo"), kStories, {}, {QStringLiteral("model.safetensors")});
        makeFifo(at(QStringLiteral("weights-fifo/model.safetensors")));
        makeFifo(at(QStringLiteral("text.fifo")));
        makeFifo(at(QStringLiteral("image.png")));

        const auto pickleOf = [](char opcode, int count) {
            return QByteArray("\x80\x02", 2) + QByteArray(count, opcode) + QByteArray(".");
        };
        modelFolder(dir, QStringLiteral("pickle-empty-lists"), kStories,
                    {{QStringLiteral("pytorch_model.bin"), zipArchive({{"archive/data.pkl", pickleOf(']', 19'000'000)}})}},
                    {QStringLiteral("model.safetensors")});
        modelFolder(dir, QStringLiteral("pickle-nones"), kStories,
                    {{QStringLiteral("pytorch_model.bin"), zipArchive({{"archive/data.pkl", pickleOf('N', 60'000'000)}})}},
                    {QStringLiteral("model.safetensors")});
        modelFolder(dir, QStringLiteral("zip-lies"), kStories,
                    {{QStringLiteral("pytorch_model.bin"),
                      zipArchive({{"archive/data.pkl", pickleOf('N', 1)}, {"archive/data/0", QByteArray(16, '\1')},
                                  {"archive/data/1", QByteArray(16, '\2')}}, 2, 1)}},
                    {QStringLiteral("model.safetensors")});

        const QList<std::pair<QString, QJsonObject>> configs = {
            {QStringLiteral("intermediate-negative"), {{QStringLiteral("intermediate_size"), -5}}},
            {QStringLiteral("eps-negative"), {{QStringLiteral("rms_norm_eps"), -1}}},
            {QStringLiteral("theta-zero"), {{QStringLiteral("rope_theta"), 0}}},
            {QStringLiteral("vocab-small"), {{QStringLiteral("vocab_size"), 100}}},
        };
        for (const auto &[name, changes] : configs)
            modelFolder(dir, name, kStories, {{QStringLiteral("config.json"), changedConfig(kStories, changes)}});
        modelFolder(dir, QStringLiteral("heads-indivisible"), kInduction,
                    {{QStringLiteral("config.json"), changedConfig(kInduction, {{QStringLiteral("n_head"), 3}})}});

        modelFolder(dir, QStringLiteral("weight-nan"), kStories,
                    {{QStringLiteral("model.safetensors"), weightsWithNan(kStories, QStringLiteral("model.layers.2.mlp.up_proj.weight"))}});

        QJsonObject preprocessor = QJsonDocument::fromJson([] {
            QFile file(kShapes + QStringLiteral("/preprocessor_config.json"));
            file.open(QIODevice::ReadOnly);
            return file.readAll();
        }()).object();
        preprocessor.insert(QStringLiteral("size"), QJsonObject{{QStringLiteral("height"), 30000}, {QStringLiteral("width"), 30000}});
        modelFolder(dir, QStringLiteral("preprocessor-huge"), kShapes, {{QStringLiteral("preprocessor_config.json"), json(preprocessor)}});
        preprocessor.insert(QStringLiteral("size"), QJsonObject{{QStringLiteral("height"), 2048}, {QStringLiteral("width"), 2048}});
        modelFolder(dir, QStringLiteral("preprocessor-2048"), kShapes, {{QStringLiteral("preprocessor_config.json"), json(preprocessor)}});
        writeBytes(at(QStringLiteral("claims-9000.jpg")), jpegClaiming(9000, 9000));
        writeBytes(at(QStringLiteral("long.txt")), repeatedWords(250'000).toUtf8());
    }

    void writeTokenizers()
    {
        QDir().mkpath(at(QStringLiteral("tok-id-huge")));
        writeBytes(at(QStringLiteral("tok-id-huge/tokenizer.json")),
                   wordPieceTokenizer({{QStringLiteral("vocab"), QJsonObject{{QStringLiteral("b"), 200'000'000}}}}));
        QDir().mkpath(at(QStringLiteral("tok-replace")));
        writeBytes(at(QStringLiteral("tok-replace/tokenizer.json")),
                   wordPieceTokenizer({}, {{QStringLiteral("normalizer"),
                                            QJsonObject{{QStringLiteral("type"), QStringLiteral("Replace")},
                                                        {QStringLiteral("pattern"), QJsonObject{{QStringLiteral("String"), QStringLiteral("a")}}},
                                                        {QStringLiteral("content"), QString(10'000, QLatin1Char('a'))}}}}));
        QDir().mkpath(at(QStringLiteral("tok-tiktoken")));
        writeBytes(at(QStringLiteral("tok-tiktoken/huge.tiktoken")),
                   QByteArray("IQ== 0\n") + QByteArray(2'200'000, 'a').toBase64() + QByteArray(" 1\n"));
        QDir().mkpath(at(QStringLiteral("tok-wordpiece-long")));
        writeBytes(at(QStringLiteral("tok-wordpiece-long/tokenizer.json")),
                   wordPieceTokenizer({{QStringLiteral("max_input_chars_per_word"), 1'000'000'000}}));
        QJsonArray added;
        for (int i = 0; i < 100'000; ++i)
            added.append(QJsonObject{{QStringLiteral("id"), 3 + i}, {QStringLiteral("content"), QStringLiteral("<tok%1>").arg(i)},
                                     {QStringLiteral("special"), true}, {QStringLiteral("normalized"), false}});
        QDir().mkpath(at(QStringLiteral("tok-added")));
        writeBytes(at(QStringLiteral("tok-added/tokenizer.json")), wordPieceTokenizer({}, {{QStringLiteral("added_tokens"), added}}));
    }

    void verifyMeasured(const QStringList &arguments, int exitCode, const QString &mentions)
    {
        const MeasuredRun run = runMeasured(QStringLiteral(ATTNSCOPE_CLI), arguments, at(QStringLiteral("stderr.txt")), kTimeLimitMs);
        const QString err = QString::fromUtf8(run.err).trimmed();
        const QByteArray report = QStringLiteral("exit %1, %2 ms, peak %3 MiB: %4")
                                      .arg(run.exitCode).arg(run.ms).arg(run.peakKiB >> 10).arg(err.left(400)).toUtf8();
        qInfo("%s", report.constData());
        QVERIFY2(!run.killed, report.constData());
        QVERIFY2(!run.crashed, report.constData());
        QVERIFY2(run.exitCode == exitCode, report.constData());
        QVERIFY2(run.peakKiB < kMemoryLimitKiB, report.constData());
        if (exitCode != 0) {
            QVERIFY2(!err.contains(QLatin1Char('\n')), report.constData());
            QVERIFY2(err.contains(mentions), report.constData());
            for (const char *leak : {"internal error", "enforce fail", "integer multiplication overflow", "bad_alloc"})
                QVERIFY2(!err.contains(QLatin1String(leak)), report.constData());
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo::exists(kStories + QStringLiteral("/config.json")))
            QSKIP("shared test data absent: no ../shared/models/stories260K");
        QVERIFY(m_dir.isValid());
        writeAttentionFiles();
        writeModelFolders();
        writeTokenizers();
    }

    void refused_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("mentions");
        const QString png = out(QStringLiteral("png")), json = out(QStringLiteral("json")), st = out(QStringLiteral("safetensors"));
        const QStringList text{QStringLiteral("--text"), QStringLiteral("Once upon a time")};
        const auto run = [&](const QString &model, const QStringList &input) {
            return QStringList{QStringLiteral("run"), model} + input + QStringList{QStringLiteral("--out"), st};
        };
        const auto info = [](const QString &model) { return QStringList{QStringLiteral("info"), model}; };
        const auto render = [&](const QString &source) {
            return QStringList{QStringLiteral("render"), source, QStringLiteral("--view"), QStringLiteral("head"), QStringLiteral("--out"), png};
        };
        const auto analyze = [&](const QString &source) {
            return QStringList{QStringLiteral("analyze"), source, QStringLiteral("--method"), QStringLiteral("head-stats"), QStringLiteral("--out"), json};
        };
        const auto tokenize = [](const QString &dir, const QString &input) {
            return QStringList{QStringLiteral("tokenize"), dir, QStringLiteral("--text"), input};
        };
        const QString image = QStringLiteral("--image");

        // Sizes that wrap around 64 bits.
        QTest::newRow("weight [2^31, 2^31] F32 in 0 bytes: info") << info(at(QStringLiteral("weight-wraps"))) << QStringLiteral("model.safetensors");
        QTest::newRow("weight [2^31, 2^31] F32 in 0 bytes: run") << run(at(QStringLiteral("weight-wraps")), text) << QStringLiteral("model.safetensors");
        for (const QString &name : {QStringLiteral("att-wraps-f32"), QStringLiteral("att-wraps-f64")}) {
            const QString file = at(name + QStringLiteral(".safetensors"));
            QTest::newRow(qPrintable(name + QStringLiteral(": render"))) << render(file) << file;
            QTest::newRow(qPrintable(name + QStringLiteral(": analyze"))) << analyze(file) << file;
        }
        // Files that are not regular files, or too large to read.
        QTest::newRow("config.json links to /dev/zero") << info(at(QStringLiteral("config-dev-zero"))) << QStringLiteral("config.json: is a device");
        QTest::newRow("config.json is a FIFO") << info(at(QStringLiteral("config-fifo"))) << QStringLiteral("config.json: is a pipe");
        QTest::newRow("model.safetensors is a FIFO") << info(at(QStringLiteral("weights-fifo"))) << QStringLiteral("model.safetensors: is a pipe");
        QTest::newRow("--text-file is a FIFO") << run(kStories, {QStringLiteral("--text-file"), at(QStringLiteral("text.fifo"))})
                                               << QStringLiteral("text.fifo: is a pipe");
        QTest::newRow("--text-file is /dev/zero") << run(kStories, {QStringLiteral("--text-file"), QStringLiteral("/dev/zero")})
                                                  << QStringLiteral("/dev/zero: is a device");
        QTest::newRow("--image is a FIFO") << run(kShapes, {image, at(QStringLiteral("image.png"))}) << QStringLiteral("image.png: is a pipe");
        // Pickles and archives.
        QTest::newRow("19 MB pickle of empty lists") << info(at(QStringLiteral("pickle-empty-lists"))) << QStringLiteral("pytorch_model.bin");
        QTest::newRow("60 MB pickle of Nones") << info(at(QStringLiteral("pickle-nones"))) << QStringLiteral("pytorch_model.bin");
        QTest::newRow("zip entry pointing at another's data") << info(at(QStringLiteral("zip-lies")))
                                                              << QStringLiteral("points to the local header of another entry");
        // Headers and metadata that lie.
        QTest::newRow("safetensors header length off by one") << render(at(QStringLiteral("att-off-by-one.safetensors")))
                                                              << QStringLiteral("is the header length right?");
        QTest::newRow("1 MB token in an attention file") << render(at(QStringLiteral("att-long-tokens.safetensors")))
                                                         << QStringLiteral("att-long-tokens.safetensors: metadata \"tokens\"");
        // config.json out of range.
        QTest::newRow("intermediate_size -5") << info(at(QStringLiteral("intermediate-negative"))) << QStringLiteral("config.json: field 'intermediate_size' is -5");
        QTest::newRow("rms_norm_eps -1") << info(at(QStringLiteral("eps-negative"))) << QStringLiteral("config.json: field 'rms_norm_eps' is -1");
        QTest::newRow("rope_theta 0") << info(at(QStringLiteral("theta-zero"))) << QStringLiteral("config.json: field 'rope_theta' is 0");
        QTest::newRow("heads do not divide hidden") << info(at(QStringLiteral("heads-indivisible"))) << QStringLiteral("config.json: field 'n_embd' (128)");
        QTest::newRow("NaN in a weight") << run(at(QStringLiteral("weight-nan")), text)
                                         << QStringLiteral("model.safetensors: tensor 'model.layers.2.mlp.up_proj.weight' holds NaN");
        QTest::newRow("vocab_size smaller than the weights") << run(at(QStringLiteral("vocab-small")), text) << QStringLiteral("embed_tokens");
        // Tokenizer files.
        QTest::newRow("vocab id 200,000,000") << tokenize(at(QStringLiteral("tok-id-huge")), QStringLiteral("a b")) << QStringLiteral("tokenizer.json");
        QTest::newRow("Replace normalizer × 10,000") << tokenize(at(QStringLiteral("tok-replace")), QString(1000, QLatin1Char('a')))
                                                     << QStringLiteral("tokenizer.json: its Replace normalizer");
        QTest::newRow("tiktoken token of 2.2 MB") << tokenize(at(QStringLiteral("tok-tiktoken")), QStringLiteral("a")) << QStringLiteral("huge.tiktoken: line 2");
        // Images and their preprocessing.
        QTest::newRow("preprocessor size 30000 × 30000") << run(at(QStringLiteral("preprocessor-huge")), {image, kCircle})
                                                         << QStringLiteral("preprocessor_config.json: field 'size.height' is 30000");
        QTest::newRow("preprocessor size 2048: 65,536 patches") << run(at(QStringLiteral("preprocessor-2048")), {image, kCircle})
                                                                << QStringLiteral("patches");
        QTest::newRow("JPEG claiming 9000 × 9000") << run(kShapes, {image, at(QStringLiteral("claims-9000.jpg"))})
                                                   << QStringLiteral("claims-9000.jpg: claims 9000×9000 pixels");
        // Work bounded before it starts.
        QTest::newRow("250,000 tokens, 128 learned positions") << run(kInduction, {QStringLiteral("--text-file"), at(QStringLiteral("long.txt"))})
                                                               << QStringLiteral("learned positions for only 128");
        QString story;
        for (int i = 0; i < 45; ++i)
            story += QStringLiteral("Once upon a time there was a cat. ");
        QTest::newRow("flow over every token at T ≈ 400")
            << QStringList{QStringLiteral("analyze"), kStories, QStringLiteral("--text"), story, QStringLiteral("--method"),
                           QStringLiteral("flow"), QStringLiteral("--all-tokens"), QStringLiteral("--out"), json}
            << QStringLiteral("input: attention flow over");
        QTest::newRow("generate --max-new-tokens 1000000000")
            << QStringList{QStringLiteral("generate"), kStories, QStringLiteral("--text"), QStringLiteral("Once"),
                           QStringLiteral("--max-new-tokens"), QStringLiteral("1000000000"), QStringLiteral("--out"), st}
            << QStringLiteral("512");
    }

    void refused()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, mentions);
        verifyMeasured(arguments, 3, mentions);
    }

    // Inputs that took quadratic time: now answered well within the limit.
    void answeredQuickly_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("WordPiece word of 6,000 characters, max_input_chars_per_word 1e9")
            << QStringList{QStringLiteral("tokenize"), at(QStringLiteral("tok-wordpiece-long")), QStringLiteral("--text"), QString(6000, QLatin1Char('a'))};
        QString text;
        for (int i = 0; i < 2000; ++i)
            text += QStringLiteral("a <tok%1> ").arg(i * 37);
        QTest::newRow("100,000 added tokens") << QStringList{QStringLiteral("tokenize"), at(QStringLiteral("tok-added")), QStringLiteral("--text"), text};
    }

    void answeredQuickly()
    {
        QFETCH(QStringList, arguments);
        verifyMeasured(arguments, 0, {});
    }
};

QTEST_GUILESS_MAIN(TestCliHostileInputs)
#include "test_cli_hostile_inputs.moc"
