// attnscope-cli info, run and generate: the contract of ../shared/DESIGN.md on a reference
// checkpoint of tests/data and on the real stories260K model (skipped when ../shared is
// absent), and one-line errors with exit codes 2 (usage) and 3 (bad input).

#include <QtTest>

#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>

#include "cli/cli_runner.h"
#include "cli/safetensors_header.h"

namespace {

QString fixture(const char *name)
{
    return QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/models/decoders/") + QLatin1String(name);
}

// An uncompressed 24-bit BMP of one color.
QByteArray solidBmp(int width, int height, uint8_t red, uint8_t green, uint8_t blue)
{
    const int rowBytes = (width * 3 + 3) / 4 * 4;
    QByteArray bytes(54 + rowBytes * height, '\0');
    const auto put = [&bytes](int at, uint32_t value, int size) {
        for (int i = 0; i < size; ++i)
            bytes[at + i] = char(value >> (8 * i));
    };
    bytes[0] = 'B';
    bytes[1] = 'M';
    put(2, uint32_t(bytes.size()), 4);
    put(10, 54, 4);
    put(14, 40, 4);
    put(18, uint32_t(width), 4);
    put(22, uint32_t(height), 4);
    put(26, 1, 2);
    put(28, 24, 2);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            bytes[54 + y * rowBytes + x * 3] = char(blue);
            bytes[54 + y * rowBytes + x * 3 + 1] = char(green);
            bytes[54 + y * rowBytes + x * 3 + 2] = char(red);
        }
    return bytes;
}

QString storiesDir()
{
    return QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
}

void requireStories()
{
    if (!QFileInfo::exists(storiesDir() + QStringLiteral("/config.json")))
        QSKIP("shared test data absent: no ../shared/models/stories260K");
}

} // namespace

class TestModelCommands : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void infoDescribesTheModel()
    {
        const CliResult result = runCli({QStringLiteral("info"), fixture("llama_gqa")});
        QCOMPARE(result.exitCode, 0);
        const QJsonObject json = QJsonDocument::fromJson(result.out).object();
        QCOMPARE(json.value(QStringLiteral("model_type")).toString(), QStringLiteral("llama"));
        QCOMPARE(json.value(QStringLiteral("architecture")).toString(), QStringLiteral("LlamaForCausalLM"));
        QCOMPARE(json.value(QStringLiteral("layers")).toInt(), 2);
        QCOMPARE(json.value(QStringLiteral("heads")).toInt(), 4);
        QCOMPARE(json.value(QStringLiteral("kv_heads")).toInt(), 2);
        QCOMPARE(json.value(QStringLiteral("hidden")).toInt(), 32);
        QCOMPARE(json.value(QStringLiteral("head_dim")).toInt(), 8);
        QCOMPARE(json.value(QStringLiteral("vocab")).toInt(), 48);
        QCOMPARE(json.value(QStringLiteral("max_positions")).toInt(), 64);
        QCOMPARE(json.value(QStringLiteral("parameters")).toInteger(), qint64(17056));
        QCOMPARE(json.value(QStringLiteral("dtype")).toString(), QStringLiteral("float32"));
        QStringList files;
        for (const QJsonValue &file : json.value(QStringLiteral("files")).toArray())
            files << file.toObject().value(QStringLiteral("name")).toString();
        QCOMPARE(files, (QStringList{QStringLiteral("config.json"), QStringLiteral("expected.safetensors"),
                                     QStringLiteral("model.safetensors")}));
        QVERIFY(json.value(QStringLiteral("labels")).toArray().isEmpty());
    }

    // Per layer, whether its attention is a sliding window and how wide: Mistral slides on every
    // layer; Qwen2 from max_window_layers on (transformers: layer_idx >= max_window_layers);
    // LLaMA on none.
    void infoNamesTheSlidingLayers_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QList<int>>("windows"); // 0: full attention
        QTest::newRow("mistral") << fixture("mistral_window") << QList<int>{4, 4};
        QTest::newRow("qwen2") << fixture("qwen2_bias_window_bin") << QList<int>{0, 5, 5};
        QTest::newRow("llama") << fixture("llama_gqa") << QList<int>{0, 0};
    }

    void infoNamesTheSlidingLayers()
    {
        QFETCH(QString, model);
        QFETCH(QList<int>, windows);
        const CliResult result = runCli({QStringLiteral("info"), model});
        QCOMPARE(result.exitCode, 0);
        const QJsonArray layers = QJsonDocument::fromJson(result.out).object().value(QStringLiteral("layer_attention")).toArray();
        QCOMPARE(layers.size(), windows.size());
        for (int i = 0; i < windows.size(); ++i) {
            const QJsonObject layer = layers[i].toObject();
            QCOMPARE(layer.value(QStringLiteral("sliding")).toBool(), windows[i] > 0);
            QCOMPARE(layer.value(QStringLiteral("window")).toInt(), windows[i]);
        }
    }

    void infoRejectsBadFolders()
    {
        verifyOneLineError(runCli({QStringLiteral("info"), QStringLiteral("/nonexistent/model")}), 3,
                           QStringLiteral("/nonexistent/model"));
        QTemporaryDir dir;
        QFile config(dir.filePath(QStringLiteral("config.json")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(R"({"model_type": "falcon"})");
        config.close();
        verifyOneLineError(runCli({QStringLiteral("info"), dir.path()}), 3, QStringLiteral("supported: "));
        verifyOneLineError(runCli({QStringLiteral("info")}), 2, QStringLiteral("missing"));
    }

    void runWritesAttentionsLogitsAndIds()
    {
        requireStories();
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("run.safetensors"));
        const CliResult result = runCli({QStringLiteral("run"), storiesDir(), QStringLiteral("--text"),
                                         QStringLiteral("Once upon a time"), QStringLiteral("--timings"),
                                         QStringLiteral("--out"), out});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const QJsonObject timings = QJsonDocument::fromJson(result.err.trimmed()).object();
        for (const char *key : {"load_ms", "tokenize_ms", "forward_ms"})
            QVERIFY2(timings.contains(QLatin1String(key)), result.err.constData());

        const SafetensorsContents file = readSafetensors(out);
        const QList<qint64> shape = file.shape(QStringLiteral("attentions"));
        QCOMPARE(shape.size(), 4);
        const qint64 tokens = shape[2];
        QCOMPARE(shape, (QList<qint64>{5, 8, tokens, tokens}));
        QCOMPARE(file.shape(QStringLiteral("logits")), (QList<qint64>{tokens, 512}));
        QCOMPARE(file.shape(QStringLiteral("input_ids")), (QList<qint64>{tokens}));
        QCOMPARE(file.header.value(QStringLiteral("input_ids")).toObject().value(QStringLiteral("dtype")).toString(),
                 QStringLiteral("I64"));
        const QJsonArray names = QJsonDocument::fromJson(file.metadata(QStringLiteral("tokens")).toUtf8()).array();
        QCOMPARE(qint64(names.size()), tokens);
        QCOMPARE(file.metadata(QStringLiteral("model")), storiesDir());
        QCOMPARE(file.metadata(QStringLiteral("variants")), QStringLiteral("[]"));
        const QVector<float> attentions = file.floats(QStringLiteral("attentions"));
        for (qint64 row = 0; row < 5 * 8 * tokens; ++row) {
            double sum = 0;
            for (qint64 j = 0; j < tokens; ++j) {
                const float p = attentions[int(row * tokens + j)];
                sum += p;
                if (j > row % tokens)
                    QCOMPARE(p, 0.0f); // causal
            }
            QVERIFY(std::abs(sum - 1) < 1e-5);
        }
    }

    // The same run as NumPy, CSV (one row per weight, with its tokens) and JSON.
    void runWritesOtherFormats()
    {
        requireStories();
        QTemporaryDir dir;
        const auto run = [&](const QString &name) {
            const CliResult result = runCli({QStringLiteral("run"), storiesDir(), QStringLiteral("--text"),
                                             QStringLiteral("Once upon"), QStringLiteral("--out"), dir.filePath(name)});
            QVERIFY2(result.exitCode == 0, result.err.constData());
        };
        run(QStringLiteral("a.json"));
        QFile json(dir.filePath(QStringLiteral("a.json")));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonObject object = QJsonDocument::fromJson(json.readAll()).object();
        const int tokens = int(object[QStringLiteral("metadata")][QStringLiteral("tokens")].toArray().size());
        QCOMPARE(object[QStringLiteral("tensors")][QStringLiteral("logits")][QStringLiteral("shape")].toArray(),
                 (QJsonArray{tokens, 512}));
        run(QStringLiteral("a.npy"));
        QFile npy(dir.filePath(QStringLiteral("a.npy")));
        QVERIFY(npy.open(QIODevice::ReadOnly));
        const QByteArray head = npy.read(128);
        QVERIFY(head.startsWith("\x93NUMPY"));
        QVERIFY(head.contains(QStringLiteral("'shape': (5, 8, %1, %1)").arg(tokens).toLatin1()));
        run(QStringLiteral("a.csv"));
        QFile csv(dir.filePath(QStringLiteral("a.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
        QCOMPARE(lines.first(), QByteArray("layer,head,query,query_label,key,key_label,attentions"));
        QCOMPARE(lines.size(), 1 + 5 * 8 * tokens * tokens);
        QVERIFY(lines[1].startsWith("0,0,0,<s>,0,<s>,1"));
        verifyOneLineError(runCli({QStringLiteral("run"), storiesDir(), QStringLiteral("--text"), QStringLiteral("x"),
                                   QStringLiteral("--out"), dir.filePath(QStringLiteral("a.xlsx"))}),
                           2, QStringLiteral("must end in .safetensors, .npy, .csv, .json"));
    }

    // A vision model reads an image: preprocessed pixel values, [CLS], [DIST] and one token per
    // patch; a vision model given text, or a text model given an image, is one line.
    void runReadsAnImage()
    {
        QTemporaryDir dir;
        const QString picture = dir.filePath(QStringLiteral("photo.bmp"));
        QFile bmp(picture);
        QVERIFY(bmp.open(QIODevice::WriteOnly));
        bmp.write(solidBmp(45, 30, 200, 40, 90));
        bmp.close();
        const QString out = dir.filePath(QStringLiteral("run.safetensors"));
        const QString deit = QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/models/encoders/deit_distilled");
        const CliResult result = runCli({QStringLiteral("run"), deit, QStringLiteral("--image"), picture,
                                         QStringLiteral("--out"), out});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const SafetensorsContents file = readSafetensors(out);
        QCOMPARE(file.shape(QStringLiteral("attentions")), (QList<qint64>{3, 4, 18, 18})); // 2 + 4 × 4 patches
        QCOMPARE(file.shape(QStringLiteral("pixel_values")), (QList<qint64>{3, 32, 32}));
        QCOMPARE(file.shape(QStringLiteral("logits")), (QList<qint64>{3}));
        const QJsonArray names = QJsonDocument::fromJson(file.metadata(QStringLiteral("tokens")).toUtf8()).array();
        QCOMPARE(names.at(1).toString(), QStringLiteral("[DIST]"));
        QCOMPARE(names.at(17).toString(), QStringLiteral("patch 3,3"));
        // (200 / 255 − 0.5) / 0.5: ViT's defaults without a preprocessor_config.json.
        QVERIFY(std::abs(file.floats(QStringLiteral("pixel_values"))[0] - (200 / 255.0 - 0.5) / 0.5) < 1e-6);

        // The overlay figure, here of gradient relevance.
        const QString figure = dir.filePath(QStringLiteral("relevance.png"));
        const CliResult rendered = runCli({QStringLiteral("render"), deit, QStringLiteral("--image"), picture,
                                           QStringLiteral("--view"), QStringLiteral("overlay"), QStringLiteral("--map"),
                                           QStringLiteral("relevance"), QStringLiteral("--out"), figure});
        QVERIFY2(rendered.exitCode == 0, rendered.err.constData());
        QVERIFY(QFileInfo(figure).size() > 0);
        verifyOneLineError(runCli({QStringLiteral("render"), deit, QStringLiteral("--image"), picture, QStringLiteral("--view"),
                                   QStringLiteral("heatmap"), QStringLiteral("--out"), figure}),
                           2, QStringLiteral("--view 'heatmap' is not one of: model, head"));
        verifyOneLineError(runCli({QStringLiteral("render"), fixture("llama_gqa"), QStringLiteral("--image"), picture,
                                   QStringLiteral("--view"), QStringLiteral("overlay"), QStringLiteral("--out"), figure}),
                           3, QStringLiteral("is a text model"));

        verifyOneLineError(runCli({QStringLiteral("run"), deit, QStringLiteral("--text"), QStringLiteral("hi"),
                                   QStringLiteral("--out"), out}),
                           3, QStringLiteral("is a vision model: give --image FILE"));
        verifyOneLineError(runCli({QStringLiteral("run"), fixture("llama_gqa"), QStringLiteral("--image"), picture,
                                   QStringLiteral("--out"), out}),
                           3, QStringLiteral("is a text model"));
        verifyOneLineError(runCli({QStringLiteral("run"), deit, QStringLiteral("--image"), dir.filePath(QStringLiteral("none.png")),
                                   QStringLiteral("--out"), out}),
                           3, QStringLiteral("no such file"));
    }

    void runRecordsVariants()
    {
        requireStories();
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("run.safetensors"));
        const CliResult result = runCli({QStringLiteral("run"), storiesDir(), QStringLiteral("--text"),
                                         QStringLiteral("Once upon a time there was"), QStringLiteral("--variant"),
                                         QStringLiteral("topk:k=2@layers=1"), QStringLiteral("--out"), out});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        const SafetensorsContents file = readSafetensors(out);
        QCOMPARE(file.metadata(QStringLiteral("variants")), QStringLiteral(R"(["topk:k=2@layers=1"])"));
        const qint64 tokens = file.shape(QStringLiteral("attentions"))[2];
        const QVector<float> attentions = file.floats(QStringLiteral("attentions"));
        const qint64 lastRow = (1 * 8 * tokens + tokens - 1) * tokens; // layer 1, head 0, last query
        int kept = 0;
        for (qint64 j = 0; j < tokens; ++j)
            kept += attentions[int(lastRow + j)] > 0;
        QCOMPARE(kept, 2);
    }

    void runRejectsBadArguments()
    {
        requireStories();
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("run.safetensors"));
        verifyOneLineError(runCli({QStringLiteral("run"), storiesDir(), QStringLiteral("--text"), QStringLiteral("x")}),
                           2, QStringLiteral("--out"));
        verifyOneLineError(runCli({QStringLiteral("run"), storiesDir(), QStringLiteral("--text"), QStringLiteral("x"),
                                   QStringLiteral("--variant"), QStringLiteral("nosuchvariant"), QStringLiteral("--out"), out}),
                           2, QStringLiteral("nosuchvariant"));
        verifyOneLineError(runCli({QStringLiteral("run"), fixture("no_such_model"), QStringLiteral("--text"),
                                   QStringLiteral("x"), QStringLiteral("--out"), out}),
                           3, QStringLiteral("no_such_model"));
        verifyOneLineError(runCli({QStringLiteral("run"), storiesDir(), QStringLiteral("--text-file"),
                                   dir.filePath(QStringLiteral("missing.txt")), QStringLiteral("--out"), out}),
                           3, QStringLiteral("missing.txt"));
        QVERIFY(!QFileInfo::exists(out));
    }

    void generateContinuesTheStory()
    {
        requireStories();
        const CliResult result = runCli({QStringLiteral("generate"), storiesDir(), QStringLiteral("--text"),
                                         QStringLiteral("Once upon a time"), QStringLiteral("--max-new-tokens"),
                                         QStringLiteral("30"), QStringLiteral("--greedy")});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QVERIFY2(result.out.startsWith(", there was a little girl named Lily. She loved to play outside in the park."),
                 result.out.constData());
        verifyOneLineError(runCli({QStringLiteral("generate"), storiesDir(), QStringLiteral("--text"), QStringLiteral("x"),
                                   QStringLiteral("--max-new-tokens"), QStringLiteral("zero")}),
                           2, QStringLiteral("--max-new-tokens"));
    }
};

QTEST_GUILESS_MAIN(TestModelCommands)
#include "test_model_commands.moc"
