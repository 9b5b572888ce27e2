// Value scales: linear, log with a floor and gamma map onto [0, 1] exactly; ranges from data
// skip masked and non-finite cells; per-row normalization divides by the row's peak.
#include <QTest>

#include <torch/torch.h>

#include "viz/value_range.h"

using namespace attnscope;

class TestValueScale : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void maps_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<double>("low");
        QTest::addColumn<double>("high");
        QTest::addColumn<double>("value");
        QTest::addColumn<double>("t");
        QTest::newRow("linear middle") << int(ScaleKind::Linear) << 0.0 << 0.5 << 0.125 << 0.25;
        QTest::newRow("linear below") << int(ScaleKind::Linear) << 0.2 << 0.4 << 0.0 << 0.0;
        QTest::newRow("linear above") << int(ScaleKind::Linear) << 0.2 << 0.4 << 9.0 << 1.0;
        QTest::newRow("linear empty range") << int(ScaleKind::Linear) << 0.3 << 0.3 << 0.3 << 0.0;
        QTest::newRow("log decade") << int(ScaleKind::Log) << 1e-4 << 1.0 << 1e-2 << 0.5;
        QTest::newRow("log zero uses floor") << int(ScaleKind::Log) << 0.0 << 1.0 << 0.0 << 0.0;
        QTest::newRow("log floor decade") << int(ScaleKind::Log) << 0.0 << 1.0 << 1e-3 << 0.5;
        QTest::newRow("gamma square root") << int(ScaleKind::Gamma) << 0.0 << 1.0 << 0.25 << 0.5;
        QTest::newRow("gamma clamps") << int(ScaleKind::Gamma) << 0.0 << 1.0 << -1.0 << 0.0;
    }
    void maps()
    {
        QFETCH(int, kind);
        QFETCH(double, low);
        QFETCH(double, high);
        QFETCH(double, value);
        QFETCH(double, t);
        ValueScale scale;
        scale.kind = ScaleKind(kind);
        scale.range = {low, high};
        scale.gamma = 0.5;
        QVERIFY(std::abs(scale.map(value) - t) < 1e-12);
    }

    void nanStaysNan()
    {
        ValueScale scale;
        QVERIFY(std::isnan(scale.map(std::nan(""))));
    }

    void namesRoundTrip()
    {
        for (const QString &name : scaleKindNames())
            QCOMPARE(scaleKindName(*scaleKindFromName(name)), name);
        QCOMPARE(*scaleKindFromName(QStringLiteral(" Log ")), ScaleKind::Log);
        QVERIFY(!scaleKindFromName(QStringLiteral("sqrt")).has_value());
    }

    void rangeSkipsMaskedAndNonFinite()
    {
        const auto values = torch::tensor({{0.1f, 0.9f}, {-3.0f, std::nanf("")}});
        const auto masked = torch::tensor({{false, false}, {true, false}});
        const ValueRange range = dataRange(values, masked);
        QCOMPARE(range.low, double(0.1f));
        QCOMPARE(range.high, double(0.9f));
        const ValueRange all = dataRange(values);
        QCOMPARE(all.low, -3.0);
        const ValueRange symmetric = symmetricRange(values);
        QCOMPARE(symmetric.low, -3.0);
        QCOMPARE(symmetric.high, 3.0);
        const ValueRange nothing = dataRange(values, torch::ones({2, 2}, torch::kBool));
        QCOMPARE(nothing.low, 0.0);
        QCOMPARE(nothing.high, 1.0);
    }

    void rowsDivideByTheirPeak()
    {
        const auto values = torch::tensor({{0.2f, 0.4f, 0.9f}, {0.0f, 0.0f, 0.0f}, {-0.5f, 0.25f, 2.0f}});
        const auto masked = torch::tensor({{false, false, true}, {false, false, false},
                                           {false, false, false}});
        const auto rows = normalizeRows(values, masked);
        QVERIFY(torch::allclose(rows[0].slice(0, 0, 2), torch::tensor({0.5f, 1.0f})));
        QVERIFY(torch::equal(rows[1], torch::zeros({3})));
        QVERIFY(torch::allclose(rows[2], torch::tensor({-0.25f, 0.125f, 1.0f})));
        QCOMPARE(normalizeRows(torch::zeros({0, 0})).numel(), 0);
    }
};

QTEST_APPLESS_MAIN(TestValueScale)
#include "test_value_scale.moc"
