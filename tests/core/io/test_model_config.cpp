// config.json: typed accessors, defaults, and one clear error naming the file and the field
// for a missing file, invalid JSON, an absent or null required field and a wrong type.
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include "core/io/model_config.h"
#include "core/io/io_test_support.h"

using namespace attnscope;
using namespace attnscope::testing;

namespace {
const QByteArray kConfig = R"({"model_type": "llama", "architectures": ["LlamaForCausalLM"],
    "hidden_size": 64, "rms_norm_eps": 1e-05, "tie_word_embeddings": true, "rope_scaling": null,
    "torch_dtype": "float32", "ratio": 2.0, "rope": {"type": "linear"}, "nothing": null})";

ModelConfig parse(const QByteArray &json)
{
    return ModelConfig::fromJson(QJsonDocument::fromJson(json).object(), QStringLiteral("cfg/config.json"));
}
} // namespace

class TestModelConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsTypedFields()
    {
        const ModelConfig config = parse(kConfig);
        QCOMPARE(config.modelType(), QStringLiteral("llama"));
        QCOMPARE(config.architectures(), QStringList{"LlamaForCausalLM"});
        QCOMPARE(config.integer("hidden_size"), 64);
        QCOMPARE(config.integer("ratio"), 2); // a whole float is an integer
        QCOMPARE(config.number("rms_norm_eps"), 1e-05);
        QCOMPARE(config.number("hidden_size"), 64.0);
        QCOMPARE(config.boolean("tie_word_embeddings"), true);
        QCOMPARE(config.string("torch_dtype"), QStringLiteral("float32"));
        QCOMPARE(config.object("rope").value("type").toString(), QStringLiteral("linear"));
        QVERIFY(config.object("rope_scaling").isEmpty());
        QVERIFY(config.has("nothing") && !config.has("absent"));
    }

    void optionalFieldsFallBack()
    {
        const ModelConfig config = parse(kConfig);
        QCOMPARE(config.integer("absent", 12), 12);
        QCOMPARE(config.integer("nothing", 7), 7); // null means "use the default"
        QCOMPARE(config.number("absent", 0.5), 0.5);
        QCOMPARE(config.string("absent", "gelu"), QStringLiteral("gelu"));
        QCOMPARE(config.boolean("absent", false), false);
        QVERIFY(parse("{}").architectures().isEmpty());
    }

    void wrongFieldsFailWithOneClearLine_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("problem");
        QTest::newRow("absent integer") << "absent" << "integer" << "field 'absent' is missing";
        QTest::newRow("null integer") << "nothing" << "integer" << "field 'nothing' is missing";
        QTest::newRow("fractional integer") << "rms_norm_eps" << "integer" << "field 'rms_norm_eps' is not an integer";
        QTest::newRow("string as integer") << "torch_dtype" << "integer" << "is not an integer";
        QTest::newRow("huge integer") << "huge" << "integer" << "field 'huge' is out of range";
        QTest::newRow("string as number") << "torch_dtype" << "number" << "field 'torch_dtype' is not a number";
        QTest::newRow("number as string") << "hidden_size" << "string" << "field 'hidden_size' is not a string";
        QTest::newRow("number as boolean") << "hidden_size" << "boolean" << "is not true or false";
        QTest::newRow("string as object") << "torch_dtype" << "object" << "is not an object";
        QTest::newRow("absent string") << "model_type_x" << "string" << "field 'model_type_x' is missing";
        QTest::newRow("bad architectures") << "architectures" << "architectures" << "is not a list of strings";
    }
    void wrongFieldsFailWithOneClearLine()
    {
        QFETCH(QString, field);
        QFETCH(QString, type);
        QFETCH(QString, problem);
        const ModelConfig config = parse(R"({"model_type": "bert", "hidden_size": 8, "rms_norm_eps": 0.5,
            "torch_dtype": "float32", "nothing": null, "huge": 1e30, "architectures": ["A", 3]})");
        auto read = [&] {
            if (type == "integer") config.integer(field);
            else if (type == "number") config.number(field);
            else if (type == "string") config.string(field);
            else if (type == "boolean") config.boolean(field);
            else if (type == "object") config.object(field);
            else config.architectures();
        };
        ATTNSCOPE_VERIFY_INPUT_ERROR(read(), "cfg/config.json", problem);
    }

    void badFilesFailWithOneClearLine()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("config.json");
        ATTNSCOPE_VERIFY_INPUT_ERROR(ModelConfig::load(dir.path()), path, "does not exist");
        ATTNSCOPE_VERIFY_INPUT_ERROR(ModelConfig::load(dir.filePath("absent")), dir.filePath("absent"), "is not a folder");
        writeBytes(path, "{\"model_type\": ");
        ATTNSCOPE_VERIFY_INPUT_ERROR(ModelConfig::load(dir.path()), path, "is not valid JSON at offset");
        writeBytes(path, "[1]");
        ATTNSCOPE_VERIFY_INPUT_ERROR(ModelConfig::load(dir.path()), path, "must hold a JSON object");
        writeBytes(path, "{\"vocab_size\": 3}");
        ATTNSCOPE_VERIFY_INPUT_ERROR(ModelConfig::load(dir.path()).modelType(), path, "field 'model_type' is missing");
        writeBytes(path, kConfig);
        QCOMPARE(ModelConfig::load(dir.path()).path(), path);
    }

    void readsTheRealStoriesConfig()
    {
        const QString folder = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
        if (!QFile::exists(folder + "/config.json"))
            QSKIP("shared test data (../shared/models/stories260K) is absent");
        const ModelConfig config = ModelConfig::load(folder);
        QCOMPARE(config.modelType(), QStringLiteral("llama"));
        QCOMPARE(config.integer("hidden_size"), 64);
    }
};

QTEST_GUILESS_MAIN(TestModelConfig)
#include "test_model_config.moc"
