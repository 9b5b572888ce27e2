// The token view shows exactly the record's row (attention from a query) or column
// (attention to a key) of the chosen head, as bars (the strongest 48 on long inputs, every
// label shown, "<s>" too) and as the input text coloured by weight in the very colours the
// head map gives the same cells, absolute or per row.
#include <QtTest>

#include <QBarCategoryAxis>
#include <QChartView>
#include <QCheckBox>
#include <QGraphicsTextItem>
#include <QRegularExpression>

#include <torch/torch.h>

#include "color_scale_check.h"
#include "snapshot.h"
#include "core/capture/attention_record.h"
#include "ui/views/head_view.h"
#include "ui/views/token_view.h"
#include "viz/tile_pyramid.h"

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

// The background of each token of the coloured text, in order.
std::vector<QRgb> backgrounds(const QString &html)
{
    std::vector<QRgb> colors;
    static const QRegularExpression background(QStringLiteral("background:(#[0-9a-fA-F]{6})"));
    for (auto match = background.globalMatch(html); match.hasNext();)
        colors.push_back(QColor(match.next().captured(1)).rgb());
    return colors;
}

// Every token's colour is the head map's colour of the same cell: (query, each key) or
// (each query, key).
QString colourMismatch(const TokenView &tokens, HeadView &head, int token, bool fromQuery)
{
    const std::vector<QRgb> text = backgrounds(tokens.coloredText());
    const QImage map = head.grab().toImage();
    for (int i = 0; i < int(text.size()); ++i) {
        const QPointF cell = fromQuery ? head.cellCenter(token, i) : head.cellCenter(i, token);
        if (map.pixel(cell.toPoint()) != text[size_t(i)])
            return QStringLiteral("token %1: text %2, map %3").arg(i).arg(QColor(text[size_t(i)]).name(),
                                                                         QColor(map.pixel(cell.toPoint())).name());
    }
    return text.empty() ? QStringLiteral("no coloured tokens") : QString();
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

    // One palette per quantity: the text's colours are the head map's, for the same weights.
    void textColoursAreTheHeadMapsColours()
    {
        const int tokens = 12;
        const auto record = randomRecord(tokens);
        HeadView head;
        head.resize(520, 480);
        HeatmapStyle magma;
        magma.colormap = Colormap::byName(QStringLiteral("magma"));
        magma.scale.kind = ScaleKind::Gamma;
        head.setStyle(magma);
        head.setHead(std::make_shared<TilePyramid>(recordTileSource(record, 1, 2), tokens, tokens), {}, {});
        head.show();
        QVERIFY(QTest::qWaitForWindowExposed(&head));
        QTRY_VERIFY(head.hasOverview());

        TokenView view;
        view.resize(700, 300);
        view.show();
        view.setAttention(record, tokenNames(tokens));
        view.showHead(1, 2);
        view.selectToken(5);
        // Before the workspace hands over the map's colours, the default map's rule holds.
        HeadView plain;
        plain.resize(520, 480);
        plain.setHead(std::make_shared<TilePyramid>(recordTileSource(record, 1, 2), tokens, tokens), {}, {});
        plain.show();
        QTRY_VERIFY(plain.hasOverview());
        QString mismatch = colourMismatch(view, plain, 5, true);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));

        view.setColors(head.style(), head.isRowNormalized());
        for (const bool fromQuery : {true, false}) {
            view.setDirection(fromQuery ? TokenView::Direction::FromQuery : TokenView::Direction::ToKey);
            mismatch = colourMismatch(view, head, 5, fromQuery);
            QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        }
        saveSnapshot(view, QStringLiteral("token_view"));
        saveSnapshot(head, QStringLiteral("head_gamma_magma"));
        auto *scale = view.findChild<ColorScaleBar *>();
        QVERIFY(scale);
        QCOMPARE(scale->style().colormap.name(), QStringLiteral("magma"));
        QCOMPARE(scale->style().scale.range.high, head.style().scale.range.high);
        mismatch = colorScaleMismatch(*scale);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));

        // Per row in both: each weight as a share of its row's peak, in both directions.
        head.setRowNormalized(true);
        QTRY_VERIFY(head.hasOverview());
        view.setColors(head.style(), head.isRowNormalized());
        QVERIFY(view.isRowNormalized());
        for (const bool fromQuery : {true, false}) {
            view.setDirection(fromQuery ? TokenView::Direction::FromQuery : TokenView::Direction::ToKey);
            mismatch = colourMismatch(view, head, 5, fromQuery);
            QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        }
        // Per row is a choice of the user's: the box says so and tells whoever listens.
        QSignalSpy toggled(&view, &TokenView::rowNormalizationChanged);
        view.findChild<QCheckBox *>(QStringLiteral("tokenPerRow"))->click();
        QCOMPARE(toggled.count(), 1);
        QVERIFY(!view.isRowNormalized());
        QCOMPARE(view.colors().scale.range.high, record->layer(1)[2].max().item<double>());
    }

    // Chart labels are rich text: a "<s>" token must show as itself, not vanish as a tag.
    void everyBarKeepsItsLabel()
    {
        QStringList names = tokenNames(6);
        names[0] = QStringLiteral("<s>");
        names[3] = QStringLiteral("a&b");
        TokenView view;
        view.resize(900, 360);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setAttention(randomRecord(6), names);
        auto *chart = view.findChild<QChartView *>();
        QStringList shown;
        QTRY_VERIFY(!chart->scene()->items().isEmpty());
        QApplication::processEvents();
        for (QGraphicsItem *item : chart->scene()->items())
            if (auto *text = dynamic_cast<QGraphicsTextItem *>(item))
                shown << text->toPlainText().remove(QChar(0x200B));
        for (const QString &name : names)
            QVERIFY2(shown.contains(name), qPrintable(QStringLiteral("%1 not among %2").arg(name, shown.join(QLatin1Char('|')))));
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
