// Variant SPEC parsing and the registry: canonical specs, scopes, and one-line errors that
// name the unknown variant, parameter or scope.

#include <QtTest>

#include "core/attention/variant_registry.h"
#include "core/attention/variant_spec.h"

using namespace attnscope;

class TestVariantSpec : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parsesValidSpecs_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("canonical");
        QTest::addColumn<QString>("layers");
        QTest::addColumn<QString>("heads");
        QTest::newRow("plain") << "topk" << "topk" << "" << "";
        QTest::newRow("default value dropped") << "topk:k=8" << "topk" << "" << "";
        QTest::newRow("value normalized") << "topk:k=016" << "topk:k=16" << "" << "";
        QTest::newRow("layers") << "window:size=32@layers=0-3" << "window:size=32@layers=0-3"
                                << "0,1,2,3" << "";
        QTest::newRow("layers and heads") << "ablate@layers=2@heads=5" << "ablate@layers=2@heads=5"
                                          << "2" << "5";
        QTest::newRow("heads before layers") << "ablate:mode=mean@heads=1,3-4@layers=0"
                                             << "ablate:mode=mean@layers=0@heads=1,3-4" << "0"
                                             << "1,3,4";
        QTest::newRow("list parameter with commas") << "steer:highlight=3-5,9,alpha=0.1"
                                                    << "steer:highlight=3-5,9,alpha=0.1" << "" << "";
        QTest::newRow("two parameters") << "sinks:sinks=2,window=8" << "sinks:sinks=2,window=8"
                                        << "" << "";
        QTest::newRow("real value") << "softmax:temperature=0.5" << "softmax:temperature=0.5"
                                    << "" << "";
        QTest::newRow("unsorted duplicate range") << "relu@layers=3,1-2,2"
                                                  << "relu@layers=1-3" << "1,2,3" << "";
    }

    void parsesValidSpecs()
    {
        QFETCH(QString, spec);
        QFETCH(QString, canonical);
        QFETCH(QString, layers);
        QFETCH(QString, heads);
        const VariantScope scope = parseVariantSpec(spec);
        QCOMPARE(scopeSpec(scope), canonical);
        const auto joined = [](const std::vector<int> &indices) {
            QStringList text;
            for (int index : indices)
                text << QString::number(index);
            return text.join(QLatin1Char(','));
        };
        QCOMPARE(joined(scope.layers), layers);
        QCOMPARE(joined(scope.heads), heads);
        // The canonical spec parses back to itself.
        QCOMPARE(scopeSpec(parseVariantSpec(canonical)), canonical);
    }

    void rejectsBadSpecs_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("named");
        QTest::newRow("unknown variant") << "topq:k=3" << "unknown variant 'topq'";
        QTest::newRow("empty") << "" << "unknown variant ''";
        QTest::newRow("unknown parameter") << "topk:q=3" << "unknown parameter 'q' for variant 'topk'";
        QTest::newRow("parameter of no-parameter variant") << "sparsemax:k=2"
                                                           << "unknown parameter 'k' for variant 'sparsemax'";
        QTest::newRow("not an integer") << "topk:k=three" << "parameter 'k'";
        QTest::newRow("fraction for integer") << "topk:k=2.5" << "parameter 'k'";
        QTest::newRow("out of range") << "topk:k=0" << "parameter 'k'";
        QTest::newRow("nan") << "topp:p=nan" << "parameter 'p'";
        QTest::newRow("bad choice") << "ablate:mode=half" << "parameter 'mode'";
        QTest::newRow("missing value") << "topk:k=" << "parameter 'k'";
        QTest::newRow("no key") << "topk:8" << "expected key=value";
        QTest::newRow("given twice") << "topk:k=2,k=3" << "'k' given twice";
        QTest::newRow("unknown scope") << "topk@rows=1" << "unknown scope '@rows=1'";
        QTest::newRow("scope twice") << "topk@layers=1@layers=2" << "@layers given twice";
        QTest::newRow("bad range") << "topk@layers=3-1" << "@layers";
        QTest::newRow("not a range") << "topk@heads=a" << "@heads";
        QTest::newRow("empty range") << "topk@heads=" << "@heads";
        QTest::newRow("bad highlight") << "steer:highlight=x" << "parameter 'highlight'";
    }

    void rejectsBadSpecs()
    {
        QFETCH(QString, spec);
        QFETCH(QString, named);
        try {
            parseVariantSpec(spec);
            QFAIL("accepted a bad spec");
        } catch (const VariantSpecError &error) {
            const QString message = QString::fromUtf8(error.what());
            QVERIFY2(message.contains(named), qPrintable(message));
            QVERIFY(!message.contains(QLatin1Char('\n')));
        }
    }

    void planKeepsOrder()
    {
        const AttentionPlan plan = parsePlan({QStringLiteral("topk:k=2@heads=0"), QStringLiteral("relu")});
        QCOMPARE(planSpecs(plan), QStringList({QStringLiteral("topk:k=2@heads=0"), QStringLiteral("relu")}));
    }

    void checksPlanAgainstModel_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<bool>("fits");
        QTest::newRow("inside") << "topk@layers=4@heads=7" << true;
        QTest::newRow("layer beyond") << "topk@layers=5" << false;
        QTest::newRow("head beyond") << "topk@heads=0,8" << false;
    }

    void checksPlanAgainstModel()
    {
        QFETCH(QString, spec);
        QFETCH(bool, fits);
        const AttentionPlan plan = parsePlan({spec});
        bool threw = false;
        try {
            checkPlanFits(plan, 5, 8);
        } catch (const VariantSpecError &error) {
            threw = true;
            QVERIFY(QString::fromUtf8(error.what()).contains(QStringLiteral("does not exist")));
        }
        QCOMPARE(threw, !fits);
    }

    // Every registered variant: a summary, valid defaults, and a spec that recreates it.
    void registryIsComplete()
    {
        QVERIFY(variantRegistry().size() >= 23);
        for (const VariantInfo &info : variantRegistry()) {
            QVERIFY2(!info.summary.isEmpty(), qPrintable(info.name));
            QCOMPARE(variantNames().count(info.name), 1);
            for (const VariantParameter &parameter : info.parameters) {
                QVERIFY(!parameter.description.isEmpty());
                QCOMPARE(parameter.checked(info.name, parameter.defaultValue), parameter.defaultValue);
            }
            QCOMPARE(parseVariantSpec(info.name).variant->spec(), info.name);
            QVERIFY(variantHelpText().contains(info.summary));
        }
    }
};

QTEST_GUILESS_MAIN(TestVariantSpec)
#include "test_variant_spec.moc"
