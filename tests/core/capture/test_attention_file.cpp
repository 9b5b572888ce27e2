// Attention files from any framework: every accepted shape becomes [L, H, T, T] with the
// same values and the tokens of the metadata; bad files get one line naming the file; rows
// that do not sum to 1 are kept with a warning.

#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

#include "core/capture/attention_file.h"
#include "core/capture/attention_record.h"
#include "core/io/input_error.h"
#include "core/io/safetensors_writer.h"

Q_DECLARE_METATYPE(torch::Tensor)

using namespace attnscope;

namespace {

torch::Tensor attention(std::vector<int64_t> shape)
{
    torch::manual_seed(2);
    return torch::softmax(torch::randn(shape), -1).contiguous();
}

QString errorOf(const QString &path)
{
    try {
        loadAttentionFile(path);
    } catch (const InputError &error) {
        return QString::fromUtf8(error.what());
    }
    return {};
}

} // namespace

class TestAttentionFile : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void acceptsEveryShape_data()
    {
        QTest::addColumn<QList<qint64>>("shape");
        QTest::addColumn<QList<qint64>>("layersHeads");
        QTest::newRow("[L,H,T,T]") << QList<qint64>{3, 2, 5, 5} << QList<qint64>{3, 2};
        QTest::newRow("[H,T,T]") << QList<qint64>{4, 5, 5} << QList<qint64>{1, 4};
        QTest::newRow("[T,T]") << QList<qint64>{5, 5} << QList<qint64>{1, 1};
        QTest::newRow("[1,L,H,T,T]") << QList<qint64>{1, 3, 2, 5, 5} << QList<qint64>{3, 2};
        QTest::newRow("HF stacked [L,1,H,T,T]") << QList<qint64>{3, 1, 2, 5, 5} << QList<qint64>{3, 2};
    }

    void acceptsEveryShape()
    {
        QFETCH(QList<qint64>, shape);
        QFETCH(QList<qint64>, layersHeads);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a.safetensors"));
        const torch::Tensor values = attention(std::vector<int64_t>(shape.begin(), shape.end()));
        writeSafetensors(path, {{"attentions", values.to(torch::kFloat16)}},
                         {{QStringLiteral("tokens"), QStringLiteral(R"(["a","b","c","d","e"])")}});
        const AttentionFile loaded = loadAttentionFile(path);
        QCOMPARE(loaded.record->layers(), layersHeads[0]);
        QCOMPARE(loaded.record->heads(), layersHeads[1]);
        QCOMPARE(loaded.record->queries(), int64_t(5));
        const torch::Tensor expected = values.to(torch::kFloat16).to(torch::kFloat32).reshape({layersHeads[0], layersHeads[1], 5, 5});
        QCOMPARE((loaded.record->all() - expected).abs().max().item<float>(), 0.0f);
        QCOMPARE(loaded.record->tokens[3].text, QStringLiteral("d"));
        QVERIFY(loaded.warnings.isEmpty()); // F16 rounding stays within the row-sum tolerance
    }

    void badFilesGetOneLine_data()
    {
        QTest::addColumn<torch::Tensor>("values");
        QTest::addColumn<QString>("tokens");
        QTest::addColumn<QString>("problem");
        QTest::newRow("rank") << attention({2, 2, 2, 2, 4, 4}) << QString() << QStringLiteral("expected [L, H, T, T]");
        QTest::newRow("not square") << torch::full({2, 3, 4}, 0.25) << QString() << QStringLiteral("must be equal");
        torch::Tensor withNan = attention({2, 4, 4});
        withNan[1][2][3] = NAN;
        QTest::newRow("nan") << withNan << QString() << QStringLiteral("NaN or infinite");
        QTest::newRow("negative") << torch::randn({2, 4, 4}) << QString() << QStringLiteral("negative values");
        QTest::newRow("tokens") << attention({2, 4, 4}) << QStringLiteral(R"(["a","b"])")
                                << QStringLiteral("lists 2 tokens but the attention is 4 × 4");
        QTest::newRow("tokens json") << attention({2, 4, 4}) << QStringLiteral("a b c d") << QStringLiteral("not a JSON list");
        QTest::newRow("integers") << torch::ones({4, 4}, torch::kInt64) << QString() << QStringLiteral("holds integers");
    }

    void badFilesGetOneLine()
    {
        QFETCH(torch::Tensor, values);
        QFETCH(QString, tokens);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.safetensors"));
        QMap<QString, QString> metadata;
        if (!tokens.isEmpty())
            metadata[QStringLiteral("tokens")] = tokens;
        writeSafetensors(path, {{"attentions", values.contiguous()}}, metadata);
        const QString error = errorOf(path);
        QVERIFY2(error.contains(path) && error.contains(problem) && !error.contains(QLatin1Char('\n')), qPrintable(error));
    }

    void unnormalizedRowsAreWarnedAbout()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("scaled.safetensors"));
        torch::Tensor values = attention({2, 3, 3});
        values[0][1] *= 2;
        writeSafetensors(path, {{"weights", values}}, {}); // the only tensor, whatever its name
        const AttentionFile loaded = loadAttentionFile(path);
        QCOMPARE(loaded.warnings.size(), 1);
        QVERIFY(loaded.warnings.first().contains(QStringLiteral("1 of 6 rows do not sum to 1")));
        QCOMPARE(loaded.record->tokens[2].text, QStringLiteral("2")); // positions without metadata
    }
};

QTEST_GUILESS_MAIN(TestAttentionFile)
#include "test_attention_file.moc"
