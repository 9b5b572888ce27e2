// Clark et al. head statistics on hand-built heads and against plain loops, plus token roles.
#include <cmath>

#include <QtTest>

#include "core/analysis/head_statistics.h"
#include "core/analysis/random_attention.h"
#include "core/io/input_error.h"

using namespace attnscope;

namespace {

RecordedToken token(const QString &text, bool special = false)
{
    RecordedToken t;
    t.text = text;
    t.special = special;
    return t;
}

// [CLS] the cat , sat . [SEP]
std::vector<RecordedToken> sentence()
{
    return {token(QStringLiteral("[CLS]"), true), token(QStringLiteral("the")), token(QStringLiteral("cat")),
            token(QStringLiteral(",")), token(QStringLiteral("sat")), token(QStringLiteral(".")),
            token(QStringLiteral("[SEP]"), true)};
}

double reference(const QString &statistic, const Matrix &a, const TokenRoles &roles)
{
    const auto t = int64_t(a.size());
    double total = 0;
    int64_t rows = 0;
    for (int64_t i = 0; i < t; ++i) {
        double value = 0;
        bool counted = true;
        for (int64_t j = 0; j < t; ++j) {
            const double p = a[size_t(i)][size_t(j)];
            if (statistic == QLatin1String("to_cls") && roles.cls[j].item<bool>())
                value += p;
            else if (statistic == QLatin1String("to_separator") && roles.separator[j].item<bool>())
                value += p;
            else if (statistic == QLatin1String("to_punctuation") && roles.punctuation[j].item<bool>())
                value += p;
            else if (statistic == QLatin1String("entropy") && p > 0)
                value -= p * std::log2(p); // bits
            else if (statistic == QLatin1String("distance"))
                value += p * double(std::abs(i - j));
        }
        if (statistic == QLatin1String("self"))
            value = a[size_t(i)][size_t(i)];
        if (statistic == QLatin1String("previous")) {
            counted = i >= 1;
            value = counted ? a[size_t(i)][size_t(i - 1)] : 0;
        }
        if (statistic == QLatin1String("next")) {
            counted = i + 1 < t;
            value = counted ? a[size_t(i)][size_t(i + 1)] : 0;
        }
        if (counted) {
            total += value;
            ++rows;
        }
    }
    return total / double(rows);
}

} // namespace

class TestHeadStatistics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roles()
    {
        const TokenRoles roles = tokenRoles(sentence());
        QVERIFY(torch::equal(roles.cls, torch::tensor({1, 0, 0, 0, 0, 0, 0}).to(torch::kBool)));
        QVERIFY(torch::equal(roles.separator, torch::tensor({0, 0, 0, 0, 0, 0, 1}).to(torch::kBool)));
        QVERIFY(torch::equal(roles.punctuation, torch::tensor({0, 0, 0, 1, 0, 1, 0}).to(torch::kBool)));
        const TokenRoles bpe = tokenRoles({token(QStringLiteral("<s>"), true), token(QStringLiteral("\u0120Hi")),
                                           token(QStringLiteral("\u0120!")), token(QStringLiteral("<pad>"), true)});
        QVERIFY(torch::equal(bpe.punctuation, torch::tensor({0, 0, 1, 0}).to(torch::kBool)));
        QVERIFY(!bpe.separator.any().item<bool>()); // padding is not a separator
    }

    void handBuiltHeads()
    {
        const int64_t t = 7;
        torch::Tensor attention = torch::zeros({1, 3, t, t}, torch::kFloat64);
        for (int64_t i = 0; i < t; ++i) {
            attention[0][0][i][std::max<int64_t>(i - 1, 0)] = 1; // previous-token head
            attention[0][1][i][0] = 1;                           // CLS head
            attention[0][2][i] = 1.0 / double(t);                // uniform head
        }
        const auto stats = headStatistics(attention, tokenRoles(sentence()));
        QCOMPARE(stats.at("previous")[0][0].item<double>(), 1.0);
        QCOMPARE(stats.at("next")[0][0].item<double>(), 0.0);
        QCOMPARE(stats.at("self")[0][0].item<double>(), 1.0 / 7);
        QCOMPARE(stats.at("distance")[0][0].item<double>(), 6.0 / 7);
        QCOMPARE(stats.at("to_cls")[0][1].item<double>(), 1.0);
        QCOMPARE(stats.at("entropy")[0][1].item<double>(), 0.0);
        // A uniform row over 7 keys holds log2 7 ≈ 2.807 bits (not ln 7 ≈ 1.946 nats).
        QVERIFY(std::abs(stats.at("entropy")[0][2].item<double>() - std::log2(7.0)) < 1e-12);
        QVERIFY(std::abs(stats.at("cls_entropy")[0][2].item<double>() - std::log2(7.0)) < 1e-12);
        QVERIFY(std::abs(stats.at("to_punctuation")[0][2].item<double>() - 2.0 / 7) < 1e-12);
        QVERIFY(std::abs(stats.at("to_separator")[0][2].item<double>() - 1.0 / 7) < 1e-12);
    }

    // H = −Σ p log2 p: two equal choices are one bit, four are two, a certain one none.
    void entropyIsInBits()
    {
        const torch::Tensor rows = torch::tensor({0.5, 0.5, 0.0, 0.0, 0.25, 0.25, 0.25, 0.25, 1.0, 0.0, 0.0, 0.0},
                                                 torch::kFloat64).view({3, 4});
        const torch::Tensor bits = rowEntropy(rows);
        QCOMPARE(bits[0].item<double>(), 1.0);
        QCOMPARE(bits[1].item<double>(), 2.0);
        QCOMPARE(bits[2].item<double>(), 0.0);
    }

    void matchesLoops_data()
    {
        QTest::addColumn<QString>("statistic");
        for (const char *name : {"to_cls", "to_separator", "to_punctuation", "self", "previous", "next",
                                 "entropy", "distance"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }
    void matchesLoops()
    {
        QFETCH(QString, statistic);
        const torch::Tensor attention = randomAttention(2, 3, 7, false, 21);
        const TokenRoles roles = tokenRoles(sentence());
        const torch::Tensor actual = headStatistics(attention, roles).at(statistic.toStdString());
        QCOMPARE(actual.sizes(), (std::vector<int64_t>{2, 3}));
        for (int64_t l = 0; l < 2; ++l)
            for (int64_t h = 0; h < 3; ++h)
                QVERIFY(std::abs(actual[l][h].item<double>() - reference(statistic, toMatrix(attention[l][h]), roles)) < 1e-12);
    }

    void rejectsMismatchedTokens()
    {
        QVERIFY_THROWS_EXCEPTION(InputError, headStatistics(randomAttention(1, 1, 5, false, 1), tokenRoles(sentence())));
    }
};

QTEST_GUILESS_MAIN(TestHeadStatistics)
#include "test_head_statistics.moc"
