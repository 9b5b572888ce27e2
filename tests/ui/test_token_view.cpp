// The token view shows exactly the record's row (attention from a query) or column
// (attention to a key) of the chosen head, as bars (the strongest 48 on long inputs) and as
// the input text coloured by weight.
#include <QtTest>

#include <QBarCategoryAxis>
#include <QChartView>

#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "ui/views/token_view.h"

using namespace attnscope;

namespace {

std::shared_ptr<AttentionRecord> randomRecord(int64_t tokens)
{
    torch::manual_seed(4);
    const torch::Tensor scores = torch::randn({2, 3, tokens, tokens}, torch::kFloat64) * 2;
    return AttentionRecord::fromProbabilities(scores.softmax(-1));
}

QStringList tokenNames(int count)
{
    QStringList names;
    for (int i = 0; i < count; ++i)
        names << QStringLiteral("t%1<").arg(i); // '<' must be escaped in the coloured text
    return names;
}

} // namespace

class TestTokenView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rowAndColumnOfTheHead()
    {
        const auto record = randomRecord(10);
        TokenView view;
        view.setAttention(record, tokenNames(10));
        view.showHead(1, 2);
        view.selectToken(4);
        std::vector<double> expected;
        const torch::Tensor row = record->row(1, 2, 4).to(torch::kFloat64);
        for (int64_t k = 0; k < 10; ++k)
            expected.push_back(row[k].item<double>());
        QCOMPARE(view.weights(), expected);
        QCOMPARE(view.bars().size(), size_t(10));
        QCOMPARE(view.bars()[7], std::make_pair(7, expected[7]));
        QVERIFY(view.coloredText().contains(QStringLiteral("t4&lt;")));
        QVERIFY(!view.coloredText().contains(QStringLiteral("t4<")));

        view.setDirection(TokenView::Direction::ToKey);
        const torch::Tensor column = record->column(1, 2, 4).to(torch::kFloat64);
        for (int64_t q = 0; q < 10; ++q)
            QCOMPARE(view.weights()[size_t(q)], column[q].item<double>());
    }

    void repeatedTokensKeepOneBarEach()
    {
        // "the cat saw the cat": a category axis would merge the repeated names into one.
        const QStringList words{QStringLiteral("the"), QStringLiteral("cat"), QStringLiteral("saw"),
                                QStringLiteral("the"), QStringLiteral("cat")};
        TokenView view;
        view.setAttention(randomRecord(5), words);
        const auto *chartView = view.findChild<QChartView *>();
        QVERIFY(chartView && chartView->chart());
        const auto axes = chartView->chart()->axes(Qt::Horizontal);
        QCOMPARE(axes.size(), 1);
        const auto *categories = qobject_cast<QBarCategoryAxis *>(axes.first());
        QVERIFY(categories);
        QCOMPARE(categories->count(), 5 + 2); // and a blank slot at each end
        for (int i = 0; i < 5; ++i)
            QCOMPARE(categories->at(i + 1).remove(QChar(0x200B)), words[i]);
    }

    void longInputsKeepTheStrongestBars()
    {
        const auto record = randomRecord(100);
        TokenView view;
        view.setAttention(record, tokenNames(100));
        view.showHead(0, 1);
        view.selectToken(60);
        const auto bars = view.bars();
        QCOMPARE(bars.size(), size_t(48));
        for (size_t i = 1; i < bars.size(); ++i)
            QVERIFY(bars[i - 1].second >= bars[i].second);
        std::vector<double> sorted = view.weights();
        std::sort(sorted.rbegin(), sorted.rend());
        QCOMPARE(bars.back().second, sorted[47]);
    }
};

QTEST_MAIN(TestTokenView)
#include "test_token_view.moc"
