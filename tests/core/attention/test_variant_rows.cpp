// Properties every registered variant must have on every family's layer shape: nothing on
// masked keys, rows summing to 1 where the variant normalizes, and the same rows whatever
// block of query rows they are computed in.

#include <QtTest>

#include "core/attention/variant_registry.h"
#include "synthetic_attention.h"

using namespace attnscope;
using namespace attnscope::test;

namespace {

// Variants whose rows do not sum to 1, and what they sum to instead.
enum class RowSum { One, AtMostOne, Free };

RowSum rowSumOf(const QString &spec)
{
    if (spec.startsWith(QLatin1String("ablate")) || spec.startsWith(QLatin1String("relu")))
        return RowSum::AtMostOne; // zeroed rows, or rows without a positive score
    if (spec.startsWith(QLatin1String("sigmoid")) || spec.startsWith(QLatin1String("diff")))
        return RowSum::Free;
    return RowSum::One;
}

QStringList specsUnderTest()
{
    QStringList specs = variantNames();
    // Parameters small enough to make every selection bite on 24 keys.
    specs << QStringLiteral("topk:k=3") << QStringLiteral("topp:p=0.5")
          << QStringLiteral("threshold:k=4") << QStringLiteral("window:size=3")
          << QStringLiteral("sinks:sinks=2,window=3") << QStringLiteral("dilated:size=3,dilation=3")
          << QStringLiteral("strided:stride=4") << QStringLiteral("lsg:local=3,stride=5,global=2")
          << QStringLiteral("moba:block=4,blocks=2") << QStringLiteral("loki:rank=2,k=5")
          << QStringLiteral("chunked:chunk=5") << QStringLiteral("performer:features=16,seed=3")
          << QStringLiteral("ablate:mode=mean") << QStringLiteral("steer:highlight=2-4,alpha=0.1")
          << QStringLiteral("nosink:first=1,detect=0.2") << QStringLiteral("diff:partner=3,lambda=0.8");
    return specs;
}

} // namespace

class TestVariantRows : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rowsAreWellFormed_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<bool>("causal");
        QTest::addColumn<int>("kvHeads");
        QTest::addColumn<int>("padded");
        for (const QString &spec : specsUnderTest()) {
            const QByteArray name = spec.toUtf8();
            QTest::newRow((name + " encoder").constData()) << spec << false << 4 << 0;
            QTest::newRow((name + " encoder padded").constData()) << spec << false << 4 << 5;
            QTest::newRow((name + " causal").constData()) << spec << true << 4 << 0;
            QTest::newRow((name + " causal GQA").constData()) << spec << true << 2 << 0;
        }
    }

    void rowsAreWellFormed()
    {
        QFETCH(QString, spec);
        QFETCH(bool, causal);
        QFETCH(int, kvHeads);
        QFETCH(int, padded);
        LayerShape shape;
        shape.causal = causal;
        shape.kvHeads = kvHeads;
        shape.paddedKeys = padded;
        shape.layer = 2;
        const AttentionInputs inputs = makeInputs(shape);
        const torch::Tensor whole = layerProbabilities(spec, inputs);
        QCOMPARE(whole.sizes().vec(), std::vector<int64_t>({4, 24, 24}));
        QVERIFY(whole.isfinite().all().item<bool>());

        // Nothing on a masked key.
        const torch::Tensor masked = layerAllowed(inputs).logical_not().expand_as(whole);
        QCOMPARE(whole.masked_fill(masked.logical_not(), 0).abs().max().item<double>(), 0.0);

        // Padded query rows are garbage in every framework; a window may leave them no key.
        const torch::Tensor sums = whole.narrow(1, 0, whole.size(1) - padded).sum(-1);
        switch (rowSumOf(spec)) {
        case RowSum::One:
            QVERIFY2(torch::allclose(sums, torch::ones_like(sums), 1e-5, 1e-5), qPrintable(spec));
            QVERIFY(whole.min().item<double>() >= 0);
            break;
        case RowSum::AtMostOne:
            QVERIFY(sums.max().item<double>() <= 1 + 1e-5);
            QVERIFY(whole.min().item<double>() >= 0);
            break;
        case RowSum::Free:
            break;
        }

        // The same rows whatever the block split.
        for (int64_t blockRows : {1, 5, 7}) {
            const torch::Tensor split = layerProbabilities(spec, inputs, blockRows);
            QVERIFY2(torch::allclose(split, whole, 1e-5, 1e-6),
                     qPrintable(QStringLiteral("%1 differs with blocks of %2 rows").arg(spec).arg(blockRows)));
        }
    }

    // A query row with no allowed key (all keys padded) gets zeros, not NaN.
    void emptyRowsStayZero_data()
    {
        QTest::addColumn<QString>("spec");
        for (const QString &spec : specsUnderTest())
            QTest::newRow(spec.toUtf8().constData()) << spec;
    }

    void emptyRowsStayZero()
    {
        QFETCH(QString, spec);
        if (spec.startsWith(QLatin1String("steer")))
            QSKIP("steer highlights tokens 2-4, which do not exist in the 2-key layer");
        LayerShape shape;
        shape.keys = 2;
        shape.queries = 3;
        shape.paddedKeys = 2;
        const torch::Tensor probabilities = layerProbabilities(spec, makeInputs(shape));
        QVERIFY(probabilities.isfinite().all().item<bool>());
        QCOMPARE(probabilities.abs().max().item<double>(), 0.0);
    }

    void costsAreOrdered()
    {
        const AttentionShape shape{512, 512, 64, 64, true};
        const auto costOf = [&](const QString &spec) {
            const auto variant = std::dynamic_pointer_cast<const ParameterizedVariant>(
                parseVariantSpec(spec).variant);
            return variant->cost(shape);
        };
        const VariantCost dense = costOf(QStringLiteral("softmax"));
        QVERIFY(dense.flops > 0 && dense.bytes > 0);
        QVERIFY(costOf(QStringLiteral("window:size=16")).flops < dense.flops / 10);
        QVERIFY(costOf(QStringLiteral("window:size=16")).bytes < dense.bytes);
        // Chunked needs a quarter of the dense scores' memory beside q, k, v and the output.
        const double inputsAndOutput = 4.0 * (512 * 64 * 4);
        QVERIFY(costOf(QStringLiteral("chunked:chunk=32")).bytes - inputsAndOutput < (dense.bytes - inputsAndOutput) / 4);
        QVERIFY(costOf(QStringLiteral("performer:features=64")).flops < dense.flops);
        QVERIFY(costOf(QStringLiteral("topk:k=8")).flops < dense.flops);
        QVERIFY(costOf(QStringLiteral("diff")).flops > dense.flops);
        // Causal attention visits the lower triangle only.
        QCOMPARE(shape.visiblePairs(), 512.0 * 513 / 2);
    }
};

QTEST_GUILESS_MAIN(TestVariantRows)
#include "test_variant_rows.moc"
