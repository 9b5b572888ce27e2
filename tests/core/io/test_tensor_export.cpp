// Tensors out: .npy files follow NumPy's format 1.0 byte for byte (magic, header dict, 64-byte
// alignment, little-endian data), CSV is long form with indices and labels (quoted when
// needed), JSON holds shapes, dtypes, nested values and structured metadata, and the
// suffix picks the format.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

#include "core/io/input_error.h"
#include "core/io/tensor_export.h"

Q_DECLARE_METATYPE(torch::Tensor)

using namespace attnscope;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    return file.readAll();
}

} // namespace

class TestTensorExport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void npyFollowsNumPyFormat_data()
    {
        QTest::addColumn<torch::Tensor>("tensor");
        QTest::addColumn<QByteArray>("descr");
        QTest::addColumn<QByteArray>("shape");
        QTest::newRow("float [2,3,4]") << torch::arange(24, torch::kFloat32).view({2, 3, 4}) << QByteArray("<f4") << QByteArray("(2, 3, 4)");
        QTest::newRow("double [5]") << torch::linspace(0, 1, 5, torch::kFloat64) << QByteArray("<f8") << QByteArray("(5,)");
        QTest::newRow("int64 [2,2]") << torch::tensor({1, 2, 3, 4}, torch::kInt64).view({2, 2}) << QByteArray("<i8") << QByteArray("(2, 2)");
        QTest::newRow("half to float") << torch::ones({3}, torch::kFloat16) << QByteArray("<f4") << QByteArray("(3,)");
    }

    void npyFollowsNumPyFormat()
    {
        QFETCH(torch::Tensor, tensor);
        QFETCH(QByteArray, descr);
        QFETCH(QByteArray, shape);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a.npy"));
        writeNpy(path, tensor);
        const QByteArray bytes = readAll(path);
        QCOMPARE(bytes.left(8), QByteArray("\x93NUMPY\x01\x00", 8));
        const int headerLength = uint8_t(bytes[8]) | (uint8_t(bytes[9]) << 8);
        QCOMPARE((10 + headerLength) % 64, 0);
        const QByteArray header = bytes.mid(10, headerLength);
        QVERIFY(header.endsWith('\n'));
        QVERIFY2(header.contains("'descr': '" + descr + "'"), header.constData());
        QVERIFY(header.contains("'fortran_order': False"));
        QVERIFY2(header.contains("'shape': " + shape), header.constData());
        const torch::Tensor stored = descr == "<f4" ? tensor.to(torch::kFloat32).contiguous() : tensor.contiguous();
        QCOMPARE(bytes.mid(10 + headerLength),
                 QByteArray(static_cast<const char *>(stored.data_ptr()), int(stored.nbytes())));
    }

    void csvIsLongFormWithLabels()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a.csv"));
        const torch::Tensor weights = torch::tensor({0.25, 0.75, 1.0, 0.0}, torch::kFloat64).view({2, 2});
        writeCsv(path, weights, {{QStringLiteral("query"), {QStringLiteral("the"), QStringLiteral("a,b")}},
                                 {QStringLiteral("key"), {QStringLiteral("x\"y"), QStringLiteral("z")}}},
                 QStringLiteral("weight"));
        const QList<QByteArray> lines = readAll(path).trimmed().split('\n');
        QCOMPARE(lines.size(), 5);
        QCOMPARE(lines[0], QByteArray("query,query_label,key,key_label,weight"));
        QCOMPARE(lines[1], QByteArray("0,the,0,\"x\"\"y\",0.25"));
        QCOMPARE(lines[2], QByteArray("0,the,1,z,0.75"));
        QCOMPARE(lines[3], QByteArray("1,\"a,b\",0,\"x\"\"y\",1"));
        // Unnamed dimensions are dim0, dim1 …
        writeCsv(path, torch::zeros({2, 1, 2}), {}, QStringLiteral("v"));
        QCOMPARE(readAll(path).split('\n').first(), QByteArray("dim0,dim1,dim2,v"));
    }

    void jsonHoldsTensorsAndMetadata()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a.json"));
        writeTensorFile(path, {{"attentions", torch::tensor({0.5, 0.5, 1.0, 0.0}).view({2, 2})}, {"ids", torch::tensor({7, 9})}},
                        {{QStringLiteral("tokens"), QStringLiteral(R"(["a","b"])")}, {QStringLiteral("model"), QStringLiteral("m")}});
        const QJsonObject json = QJsonDocument::fromJson(readAll(path)).object();
        const QJsonObject attentions = json[QStringLiteral("tensors")][QStringLiteral("attentions")].toObject();
        QCOMPARE(attentions[QStringLiteral("shape")].toArray(), (QJsonArray{2, 2}));
        QCOMPARE(attentions[QStringLiteral("data")].toArray()[1].toArray()[0].toDouble(), 1.0);
        QCOMPARE(json[QStringLiteral("tensors")][QStringLiteral("ids")][QStringLiteral("dtype")].toString(), QStringLiteral("<i8"));
        QCOMPARE(json[QStringLiteral("metadata")][QStringLiteral("tokens")].toArray(), (QJsonArray{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(json[QStringLiteral("metadata")][QStringLiteral("model")].toString(), QStringLiteral("m"));
    }

    void suffixPicksTheFormat()
    {
        QTemporaryDir dir;
        const NamedTensors tensors{{"attentions", torch::ones({2, 2})}};
        writeTensorFile(dir.filePath(QStringLiteral("a.npy")), tensors, {});
        QVERIFY(readAll(dir.filePath(QStringLiteral("a.npy"))).startsWith("\x93NUMPY"));
        writeTensorFile(dir.filePath(QStringLiteral("a.CSV")), tensors, {});
        QVERIFY(readAll(dir.filePath(QStringLiteral("a.CSV"))).startsWith("dim0,dim1,attentions"));
        QVERIFY_THROWS_EXCEPTION(InputError, writeTensorFile(dir.filePath(QStringLiteral("a.xlsx")), tensors, {}));
        QVERIFY_THROWS_EXCEPTION(InputError, writeNpy(dir.filePath(QStringLiteral("missing/a.npy")), torch::ones({1})));
    }
};

QTEST_GUILESS_MAIN(TestTensorExport)
#include "test_tensor_export.moc"
