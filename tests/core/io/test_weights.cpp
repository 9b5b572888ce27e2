// openWeights: which file of a model folder it picks, sharded checkpoints in both formats,
// and clear errors for an empty folder, a broken index, a missing shard or tensor.
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "core/io/safetensors_writer.h"
#include "core/io/weights.h"
#include "core/io/io_test_support.h"

using namespace attnscope;
using namespace attnscope::testing;

namespace {
QString fixture(const QString &name) { return QStringLiteral(ATTNSCOPE_TEST_DATA_DIR "/io/") + name; }

void writeIndex(const QString &path, const QJsonObject &weightMap)
{
    writeBytes(path, QJsonDocument(QJsonObject{{"metadata", QJsonObject{{"total_size", 0}}},
                                               {"weight_map", weightMap}}).toJson());
}
} // namespace

class TestWeights : public QObject {
    Q_OBJECT
private:
    // Two safetensors shards: a.weight, a.bias in the first, b.weight in the second.
    QString makeShardedSafetensors(QTemporaryDir &dir)
    {
        writeSafetensors(dir.filePath("model-00001-of-00002.safetensors"),
                         {{"a.weight", torch::arange(6).reshape({2, 3}).to(torch::kFloat32)},
                          {"a.bias", torch::tensor({0.5f, -0.5f})}});
        writeSafetensors(dir.filePath("model-00002-of-00002.safetensors"),
                         {{"b.weight", torch::arange(4).to(torch::kFloat16)}});
        const QString index = dir.filePath("model.safetensors.index.json");
        writeIndex(index, {{"a.weight", "model-00001-of-00002.safetensors"},
                           {"a.bias", "model-00001-of-00002.safetensors"},
                           {"b.weight", "model-00002-of-00002.safetensors"}});
        return index;
    }

private Q_SLOTS:
    void readsShardedSafetensors()
    {
        QTemporaryDir dir;
        makeShardedSafetensors(dir);
        const auto weights = openWeights(dir.path());
        QCOMPARE(weights->names(), (std::vector<std::string>{"a.weight", "a.bias", "b.weight"}));
        QVERIFY(torch::equal(weights->load("a.weight"), torch::arange(6).reshape({2, 3}).to(torch::kFloat32)));
        QVERIFY(torch::equal(weights->load("b.weight"), torch::arange(4).to(torch::kFloat16)));
        QCOMPARE(weights->fileOf("b.weight"), dir.filePath("model-00002-of-00002.safetensors"));
        QVERIFY(weights->contains("a.bias") && !weights->contains("c"));
        ATTNSCOPE_VERIFY_INPUT_ERROR(weights->load("c"), dir.filePath("model.safetensors.index.json"),
                                     "lists no tensor 'c'");
    }

    void readsShardedTorchCheckpoints()
    {
        const auto weights = openWeights(fixture("sharded"));
        QCOMPARE(weights->names().size(), size_t(19));
        QCOMPARE(weights->names().front(), std::string("f32"));
        QCOMPARE(weights->fileOf("tied.embed"), fixture("sharded/pytorch_model-00002-of-00002.bin"));
        QTemporaryDir dir;
        QVERIFY(QFile::copy(fixture("tensors.bin"), dir.filePath("pytorch_model.bin")));
        const auto whole = openWeights(dir.path());
        QCOMPARE(weights->names(), whole->names());
        for (const std::string &name : whole->names())
            QVERIFY2(torch::equal(weights->load(name), whole->load(name)), name.c_str());
    }

    void prefersSafetensorsOverTorchFiles()
    {
        QTemporaryDir dir;
        QVERIFY(QFile::copy(fixture("tensors.bin"), dir.filePath("pytorch_model.bin")));
        QCOMPARE(openWeights(dir.path())->fileOf("f32"), dir.filePath("pytorch_model.bin"));
        makeShardedSafetensors(dir);
        QCOMPARE(openWeights(dir.path())->fileOf("a.bias"), dir.filePath("model-00001-of-00002.safetensors"));
        writeSafetensors(dir.filePath("model.safetensors"), {{"single", torch::ones({1})}});
        QCOMPARE(openWeights(dir.path())->names(), std::vector<std::string>{"single"});
    }

    void foldersWithoutWeightsAreNamed()
    {
        QTemporaryDir dir;
        ATTNSCOPE_VERIFY_INPUT_ERROR(openWeights(dir.path()), dir.path(), "holds no weights");
        ATTNSCOPE_VERIFY_INPUT_ERROR(openWeights(dir.filePath("absent")), dir.filePath("absent"), "is not a folder");
    }

    void brokenIndexesFailWithOneClearLine_data()
    {
        QTest::addColumn<QByteArray>("index");
        QTest::addColumn<QString>("problem");
        QTest::newRow("invalid JSON") << QByteArray("{\"weight_map\": {") << "is not valid JSON";
        QTest::newRow("no weight_map") << QByteArray("{\"metadata\": {}}") << "has no \"weight_map\" object";
        QTest::newRow("shard not a string") << QByteArray(R"({"weight_map": {"a.bias": 3}})")
                                            << "weight_map entry 'a.bias' is not a shard file name";
        QTest::newRow("shard outside the folder") << QByteArray(R"({"weight_map": {"a.bias": "../x.safetensors"}})")
                                                  << "weight_map entry 'a.bias' is not a shard file name";
        QTest::newRow("missing shard") << QByteArray(R"({"weight_map": {"a.bias": "model-00003-of-00003.safetensors"}})")
                                       << "lists shard 'model-00003-of-00003.safetensors' (for tensor 'a.bias'), which does not exist";
    }
    void brokenIndexesFailWithOneClearLine()
    {
        QFETCH(QByteArray, index);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const QString path = makeShardedSafetensors(dir);
        writeBytes(path, index);
        ATTNSCOPE_VERIFY_INPUT_ERROR(openWeights(dir.path()), path, problem);
    }

    void tensorMissingFromItsShardIsNamed()
    {
        QTemporaryDir dir;
        const QString index = makeShardedSafetensors(dir);
        writeIndex(index, {{"a.weight", "model-00001-of-00002.safetensors"},
                           {"b.bias", "model-00002-of-00002.safetensors"}});
        ATTNSCOPE_VERIFY_INPUT_ERROR(openWeights(dir.path()), dir.filePath("model-00002-of-00002.safetensors"),
                                     "has no tensor 'b.bias', which model.safetensors.index.json places in it");
    }

    void brokenShardIsNamed()
    {
        QTemporaryDir dir;
        makeShardedSafetensors(dir);
        const QString shard = dir.filePath("model-00002-of-00002.safetensors");
        writeBytes(shard, readBytes(shard).left(20));
        ATTNSCOPE_VERIFY_INPUT_ERROR(openWeights(dir.path()), shard, "is larger than the file");
    }
};

QTEST_GUILESS_MAIN(TestWeights)
#include "test_weights.moc"
