// Safetensors: a round trip through the writer for every dtype, the real stories260K file,
// views over the mapping, and one clear error for each kind of broken file.
#include <QTemporaryDir>
#include <QTest>

#include "core/io/safetensors_file.h"
#include "core/io/safetensors_writer.h"
#include "core/io/io_test_support.h"

using namespace attnscope;
using namespace attnscope::testing;

Q_DECLARE_METATYPE(torch::Tensor)

class TestSafetensors : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void roundTripsEveryDtype_data()
    {
        QTest::addColumn<torch::Tensor>("tensor");
        QTest::addColumn<QString>("dtype");
        const auto values = torch::arange(-6, 6).reshape({3, 4});
        QTest::newRow("F64") << (values.to(torch::kFloat64) / 3) << "F64";
        QTest::newRow("F32") << (values.to(torch::kFloat32) / 7) << "F32";
        QTest::newRow("BF16") << (values.to(torch::kFloat32) / 7).to(torch::kBFloat16) << "BF16";
        QTest::newRow("I64") << values * (int64_t(1) << 40) << "I64";
        QTest::newRow("I32") << values.to(torch::kInt32) * 100000 << "I32";
        QTest::newRow("I16") << values.to(torch::kInt16) * 1000 << "I16";
        QTest::newRow("I8") << values.to(torch::kInt8) << "I8";
        QTest::newRow("U8") << (values + 200).to(torch::kUInt8) << "U8";
        QTest::newRow("BOOL") << (values > 0) << "BOOL";
        QTest::newRow("scalar") << torch::tensor(2.5f).reshape({}) << "F32";
        QTest::newRow("empty") << torch::zeros({0, 3}) << "F32";
        QTest::newRow("transposed") << (values.to(torch::kFloat32) / 7).t() << "F32";
    }
    void roundTripsEveryDtype()
    {
        QFETCH(torch::Tensor, tensor);
        QFETCH(QString, dtype);
        const QString file = path(QStringLiteral("round.safetensors"));
        writeSafetensors(file, {{"x", tensor}, {"padding", torch::ones({1}, torch::kUInt8)}});
        const auto reader = SafetensorsFile::open(file);
        QCOMPARE(reader->entry("x").dtype, dtype);
        const torch::Tensor loaded = reader->load("x");
        QCOMPARE(loaded.scalar_type(), tensor.scalar_type());
        QCOMPARE(loaded.sizes().vec(), tensor.sizes().vec());
        QVERIFY(torch::equal(loaded, tensor));
    }

    void keepsF16AsStored()
    {
        const auto half = (torch::arange(-8, 8).to(torch::kFloat32) / 3).to(torch::kFloat16);
        const QString file = path(QStringLiteral("half.safetensors"));
        writeSafetensors(file, {{"h", half}});
        const auto reader = SafetensorsFile::open(file);
        QCOMPARE(reader->entry("h").dtype, QStringLiteral("F16"));
        QCOMPARE(reader->load("h").scalar_type(), torch::kFloat16);
        QVERIFY(torch::equal(reader->load("h"), half));
    }

    void keepsMetadataAndListsNamesInDataOrder()
    {
        const QString file = path(QStringLiteral("meta.safetensors"));
        const QMap<QString, QString> metadata{{"tokens", "[\"a\",\"b\"]"}, {"model", "tiny"}};
        writeSafetensors(file, {{"z_first", torch::zeros({2})}, {"a_second", torch::ones({3})},
                                {"ids", torch::arange(4)}, {"mask", torch::ones({2}, torch::kBool)}},
                         metadata);
        const auto reader = SafetensorsFile::open(file);
        QCOMPARE(reader->metadata(), metadata);
        // Largest elements first, then in the order given.
        QCOMPARE(reader->names(), (std::vector<std::string>{"ids", "z_first", "a_second", "mask"}));
        QCOMPARE(reader->entry("a_second").shape, std::vector<int64_t>{3});
        QVERIFY(reader->contains("mask") && !reader->contains("nothing"));
        QCOMPARE(reader->fileOf("ids"), file);
        // Every tensor is aligned for its element type, so none is copied.
        for (const std::string &name : reader->names())
            QCOMPARE(reader->entry(name).begin % reader->load(name).element_size(), 0);
    }

    void tensorsAreViewsThatOutliveTheReaderAndNeverWriteTheFile()
    {
        const QString file = path(QStringLiteral("view.safetensors"));
        writeSafetensors(file, {{"w", torch::arange(6).to(torch::kFloat32)}});
        const QByteArray before = readBytes(file);
        torch::Tensor first, second;
        {
            const auto reader = SafetensorsFile::open(file);
            first = reader->load("w");
            second = reader->load("w");
        }
        QCOMPARE(first.data_ptr(), second.data_ptr()); // both point into the one mapping
        first.mul_(10);                                 // copy-on-write pages, not the file
        QCOMPARE(second[5].item<float>(), 50.0f);
        QCOMPARE(readBytes(file), before);
        QVERIFY(torch::equal(SafetensorsFile::open(file)->load("w"), torch::arange(6).to(torch::kFloat32)));
    }

    void readsTheRealStoriesModel()
    {
        const QString file = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K/model.safetensors");
        if (!QFile::exists(file))
            QSKIP("shared test data (../shared/models/stories260K) is absent");
        const auto reader = SafetensorsFile::open(file);
        QCOMPARE(reader->names().size(), size_t(47));
        QCOMPARE(reader->metadata().value("format"), QStringLiteral("pt"));
        const torch::Tensor embed = reader->load("model.embed_tokens.weight");
        QCOMPARE(embed.sizes().vec(), (std::vector<int64_t>{512, 64}));
        // Exact values, read independently from the file's bytes.
        QCOMPARE(embed[0][0].item<float>(), -0x1.2dd2a0p-2f);
        QCOMPARE(embed[511][63].item<float>(), -0x1.b2359ap-2f);
        const torch::Tensor norm = reader->load("model.norm.weight");
        QCOMPARE(norm[0].item<float>(), 0x1.3aa9dep+1f);
        QCOMPARE(norm[63].item<float>(), 0x1.b530dep+0f);
    }

    void writerRefusesWhatSafetensorsCannotHold()
    {
        const QString file = path(QStringLiteral("refused.safetensors"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 writeSafetensors(file, {{"a", torch::zeros({1})}, {"a", torch::ones({1})}}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 writeSafetensors(file, {{"__metadata__", torch::zeros({1})}}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 writeSafetensors(file, {{"c", torch::zeros({1}, torch::kComplexFloat)}}));
        ATTNSCOPE_VERIFY_INPUT_ERROR(writeSafetensors(path("missing/x.safetensors"), {{"a", torch::zeros({1})}}),
                                     path("missing/x.safetensors"), "cannot be written");
    }

    void badFilesFailWithOneClearLine_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("problem");
        const QByteArray eight(8, '\0');
        const QByteArray f32 = R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
        QTest::newRow("empty") << QByteArray() << "is truncated: 0 bytes";
        QTest::newRow("shorter than the length") << QByteArray(5, '\0') << "is truncated";
        QTest::newRow("header longer than the file") << safetensorsBytes(f32, eight).left(40)
                                                     << "header length 54 is larger than the file (40 bytes)";
        QTest::newRow("huge header length") << QByteArray(8, '\xff') << "is larger than the file";
        QTest::newRow("invalid JSON") << safetensorsBytes("{\"t\": [", eight) << "header is not valid JSON";
        QTest::newRow("not an object") << safetensorsBytes("[1, 2]", eight) << "header is not a JSON object";
        QTest::newRow("entry not an object") << safetensorsBytes(R"({"t": 3})", eight)
                                             << "tensor 't' is not described by a JSON object";
        QTest::newRow("unknown dtype") << safetensorsBytes(R"({"t":{"dtype":"F12","shape":[2],"data_offsets":[0,8]}})", eight)
                                       << "tensor 't' has unknown dtype 'F12'";
        QTest::newRow("no shape") << safetensorsBytes(R"({"t":{"dtype":"F32","data_offsets":[0,8]}})", eight)
                                  << "tensor 't' has no shape array";
        QTest::newRow("negative dimension") << safetensorsBytes(R"({"t":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", eight)
                                            << "not a non-negative integer";
        QTest::newRow("fractional dimension") << safetensorsBytes(R"({"t":{"dtype":"F32","shape":[1.5],"data_offsets":[0,8]}})", eight)
                                              << "not a non-negative integer";
        QTest::newRow("one offset") << safetensorsBytes(R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[8]}})", eight)
                                    << "needs data_offsets [begin, end]";
        QTest::newRow("reversed offsets") << safetensorsBytes(R"({"t":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", eight)
                                          << "needs data_offsets [begin, end]";
        QTest::newRow("offsets outside the file") << safetensorsBytes(R"({"t":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", eight)
                                                  << "tensor 't' data_offsets [0, 16] lie outside the 8 data bytes";
        QTest::newRow("size not shape times dtype") << safetensorsBytes(R"({"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", eight)
                                                    << "tensor 't' holds 8 bytes but shape [3] of F32 needs 12";
        QTest::newRow("overflowing shape") << safetensorsBytes(R"({"t":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}})", eight)
                                           << "needs too many";
        QTest::newRow("overlap") << safetensorsBytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                                     R"("b":{"dtype":"I32","shape":[1],"data_offsets":[4,8]}})", eight)
                                 << "tensors 'a' and 'b' overlap";
        QTest::newRow("overlap across an empty tensor")
            << safetensorsBytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                R"("b":{"dtype":"F32","shape":[0],"data_offsets":[4,4]},)"
                                R"("c":{"dtype":"I32","shape":[1],"data_offsets":[6,10]}})", QByteArray(10, '\0'))
            << "tensors 'a' and 'c' overlap";
        QTest::newRow("metadata not an object") << safetensorsBytes(R"({"__metadata__":[1]})", "")
                                                << "__metadata__ is not a JSON object";
        QTest::newRow("metadata value not a string") << safetensorsBytes(R"({"__metadata__":{"n":1}})", "")
                                                     << "__metadata__ value 'n' is not a string";
        QTest::newRow("unsupported dtype") << safetensorsBytes(R"({"t":{"dtype":"U16","shape":[4],"data_offsets":[0,8]}})", eight)
                                           << "tensor 't' has dtype U16, which LibTorch 1.13 cannot hold";
        QTest::newRow("absent tensor") << safetensorsBytes(R"({"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", eight)
                                       << "has no tensor 't'";
    }
    void badFilesFailWithOneClearLine()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, problem);
        const QString file = path(QStringLiteral("bad.safetensors"));
        writeBytes(file, bytes);
        ATTNSCOPE_VERIFY_INPUT_ERROR(SafetensorsFile::open(file)->load("t"), file, problem);
    }

    void missingFileIsNamed()
    {
        const QString file = path(QStringLiteral("absent.safetensors"));
        ATTNSCOPE_VERIFY_INPUT_ERROR(SafetensorsFile::open(file), file, "does not exist");
        ATTNSCOPE_VERIFY_INPUT_ERROR(SafetensorsFile::open(m_dir.path()), m_dir.path(), "is a folder");
    }
};

QTEST_GUILESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
