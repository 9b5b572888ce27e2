// The token view shows exactly the record's row (attention from a query) or column
// (attention to a key) of the chosen head, as bars (the strongest 48 on long inputs, every
// label shown in full, "<s>" too) and as the input text coloured by weight in the very colours
// the head map gives the same cells, absolute or per row.
#include <QtTest>

#include <QCheckBox>

#include <torch/torch.h>

#include "color_scale_check.h"
#include "snapshot.h"
#include "core/capture/attention_record.h"
#include "ui/views/colored_tokens.h"
#include "ui/views/head_view.h"
#include "ui/views/token_bar_chart.h"
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
        names << QStringLiteral("t%1<").arg(i); // a label is text, never markup
    return names;
}

// Every token's colour, as painted on screen, is the head map's colour of the same cell:
// (query, each key) or (each query, key).
QString colourMismatch(const TokenView &tokens, HeadView &head, int token, bool fromQuery)
{
    ColoredTokens &text = *tokens.coloredTokensWidget();
    const QImage painted = text.grab().toImage();
    const QImage map = head.grab().toImage();
    for (int i = 0; i < int(text.tokens().size()); ++i) {
        const QPointF cell = fromQuery ? head.cellCenter(token, i) : head.cellCenter(i, token);
        const QPoint corner = text.tokenRect(i).topLeft().toPoint() + QPoint(1, 1); // background, not glyphs or frame
        if (i == token)
            continue; // framed
        if (map.pixel(cell.toPoint()) != painted.pixel(corner))
            return QStringLiteral("token %1: text %2, map %3").arg(i).arg(QColor(painted.pixel(corner)).name(),
                                                                         QColor(map.pixel(cell.toPoint())).name());
    }
    return text.tokens().empty() ? QStringLiteral("no coloured tokens") : QString();
}

} // namespace

class TestTokenView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rowAndColumnOfTheHead()
    {
        const auto record = randomRecord(10);
        TokenView view;
        view.resize(800, 300);
        view.show(); // the chart elides its labels to the room it is given
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
        QCOMPARE(view.coloredTokens().at(4).text, QStringLiteral("t4<"));
        QCOMPARE(view.barChart()->paintedLabels().at(4), QStringLiteral("t4<"));

        view.setDirection(TokenView::Direction::ToKey);
        const torch::Tensor column = record->column(1, 2, 4).to(torch::kFloat64);
        for (int64_t q = 0; q < 10; ++q)
            QCOMPARE(view.weights()[size_t(q)], column[q].item<double>());
    }

    void repeatedTokensKeepOneBarEach()
    {
        // "the cat saw the cat": five bars, each under its own word, each apart from the others.
        const QStringList words{QStringLiteral("the"), QStringLiteral("cat"), QStringLiteral("saw"),
                                QStringLiteral("the"), QStringLiteral("cat")};
        TokenView view;
        view.resize(800, 300);
        view.show();
        view.setAttention(randomRecord(5), words);
        const TokenBarChart &chart = *view.barChart();
        QCOMPARE(chart.paintedLabels(), words);
        for (int i = 1; i < 5; ++i)
            QVERIFY(chart.barRect(i).left() > chart.barRect(i - 1).right());
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

    // A "<s>" token shows as itself (a rich-text chart once dropped it as a tag).
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
        const QStringList shown = view.barChart()->paintedLabels();
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
