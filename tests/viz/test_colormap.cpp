// Colormaps: the published endpoints, matplotlib's index convention, reversal, the neutral
// middle of the diverging map, and clear errors for unknown names.
#include <QTest>

#include "core/io/input_error.h"
#include "viz/colormap.h"

using namespace attnscope;

class TestColormap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void listsEveryMap()
    {
        QCOMPARE(Colormap::names(), QStringList({"viridis", "magma", "inferno", "cividis",
                                                 "grays", "rdbu"}));
    }

    void endpointsMatchPublishedColors_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("last");
        QTest::newRow("viridis") << "viridis" << "#440154" << "#fde725";
        QTest::newRow("magma") << "magma" << "#000004" << "#fcfdbf";
        QTest::newRow("inferno") << "inferno" << "#000004" << "#fcffa4";
        QTest::newRow("cividis") << "cividis" << "#00224e" << "#fee838";
        QTest::newRow("grays") << "grays" << "#000000" << "#ffffff";
        QTest::newRow("rdbu") << "rdbu" << "#67001f" << "#053061";
        QTest::newRow("rdbu reversed") << "RdBu_r" << "#053061" << "#67001f";
    }
    void endpointsMatchPublishedColors()
    {
        QFETCH(QString, name);
        QFETCH(QString, first);
        QFETCH(QString, last);
        const Colormap map = Colormap::byName(name);
        QCOMPARE(QColor(map.color(0.0)).name(), first);
        QCOMPARE(QColor(map.color(1.0)).name(), last);
    }

    // A slip in a transcribed table shows as a jump between neighbours.
    void tablesAreSmooth_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString &name : Colormap::names())
            QTest::newRow(qPrintable(name)) << name;
    }
    void tablesAreSmooth()
    {
        QFETCH(QString, name);
        const Colormap map = Colormap::byName(name);
        for (int i = 1; i < map.size(); ++i) {
            const QRgb a = map.entry(i - 1), b = map.entry(i);
            const int jump = std::max({std::abs(qRed(a) - qRed(b)), std::abs(qGreen(a) - qGreen(b)),
                                       std::abs(qBlue(a) - qBlue(b))});
            QVERIFY2(jump <= 5, qPrintable(QStringLiteral("entry %1 jumps by %2").arg(i).arg(jump)));
        }
    }

    void indexFollowsMatplotlib_data()
    {
        QTest::addColumn<double>("t");
        QTest::addColumn<int>("index");
        QTest::newRow("below") << -0.5 << 0;
        QTest::newRow("zero") << 0.0 << 0;
        QTest::newRow("first bin end") << 0.9999 / 256 << 0;
        QTest::newRow("second bin") << 1.0 / 256 << 1;
        QTest::newRow("half") << 0.5 << 128;
        QTest::newRow("just under one") << 0.99999 << 255;
        QTest::newRow("one") << 1.0 << 255;
        QTest::newRow("above") << 7.0 << 255;
    }
    void indexFollowsMatplotlib()
    {
        QFETCH(double, t);
        QFETCH(int, index);
        const Colormap map = Colormap::byName(QStringLiteral("magma"));
        QCOMPARE(map.indexOf(t), index);
        QCOMPARE(map.color(t), map.entry(index));
    }

    void nanHasItsOwnColor()
    {
        Colormap map = Colormap::byName(QStringLiteral("viridis"));
        QCOMPARE(qAlpha(map.color(std::nan(""))), 0);
        map.setNanColor(qRgb(255, 0, 255));
        QCOMPARE(map.color(std::nan("")), qRgb(255, 0, 255));
        QCOMPARE(map.reversed().nanColor(), qRgb(255, 0, 255));
    }

    void divergingMiddleIsNeutral()
    {
        const Colormap map = Colormap::byName(QStringLiteral("rdbu"));
        QVERIFY(map.isDiverging());
        QVERIFY(!Colormap::byName(QStringLiteral("viridis")).isDiverging());
        QCOMPARE(map.size() % 2, 1);
        QCOMPARE(QColor(map.color(0.5)).name(), QStringLiteral("#f7f7f7"));
        QCOMPARE(QColor(map.reversed().color(0.5)).name(), QStringLiteral("#f7f7f7"));
    }

    void reversalRoundTrips()
    {
        const Colormap map = Colormap::byName(QStringLiteral("Viridis"));
        const Colormap flipped = map.reversed();
        QCOMPARE(flipped.name(), QStringLiteral("viridis_r"));
        QCOMPARE(flipped.entry(0), map.entry(255));
        QCOMPARE(flipped.reversed().name(), QStringLiteral("viridis"));
        QCOMPARE(Colormap::byName(QStringLiteral("gray")).name(), QStringLiteral("grays"));
        for (int i = 0; i < 256; i += 51)
            QCOMPARE(Colormap::byName(QStringLiteral("grays")).entry(i), qRgb(i, i, i));
    }

    void unknownNameIsAClearError()
    {
        QVERIFY(!Colormap::find(QStringLiteral("jet")).has_value());
        try {
            Colormap::byName(QStringLiteral("jet"));
            QFAIL("no error for an unknown colormap");
        } catch (const InputError &error) {
            const QString message = QString::fromStdString(error.what());
            QVERIFY(message.contains(QStringLiteral("'jet'")));
            QVERIFY(message.contains(QStringLiteral("viridis")));
        }
    }
};

QTEST_APPLESS_MAIN(TestColormap)
#include "test_colormap.moc"
