// The analyses panel on real runs of a decoder (stories260K) and an encoder (the grammar demo,
// BERT): every analysis of the registry draws every tensor it returns — the picture holds the
// result's own numbers (table cells, per-layer means, map tiles, bars, scatter points, the
// pruning curve) — or, where the model cannot have it, a one-line error; changing method drops
// the old picture at once; the MDS axes hold every point at equal aspect; entropies say bits;
// clicking a table cell or a point of the map opens that head in the workspace.
// ATTNSCOPE_PANEL_SNAPSHOTS=DIR saves a PNG of the panel for every picture, to look at.
#include <cmath>

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QComboBox>
#include <QLegend>
#include <QLineSeries>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTableWidget>
#include <QValueAxis>
#include <QtTest>

#include <torch/torch.h>

#include "core/analysis/analysis.h"
#include "core/analysis/analysis_registry.h"
#include "core/capture/attention_record.h"
#include "ui/attention_run.h"
#include "ui/attention_workspace.h"
#include "ui/panels/analysis_panel.h"
#include "ui/panels/analysis_result_view.h"
#include "ui/panels/token_grid_view.h"
#include "ui/views/head_view.h"
#include "viz/tile_pyramid.h"

using namespace attnscope;

namespace {

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
const QString kGrammar = QStringLiteral(ATTNSCOPE_SOURCE_DIR "/resources/demos/grammar");
const QString kStoriesText = QStringLiteral("Once upon a time, there was a little girl named Lily. She loved to play.");
const QString kGrammarText = QStringLiteral("the dogs that the cat sees run .");

// What a masked language model cannot be asked: they need a causal LM or a classifier.
const QStringList kNotForMaskedModels = {QStringLiteral("retrieval"), QStringLiteral("importance"),
                                         QStringLiteral("relevance"), QStringLiteral("direct-logit-attribution")};
// Activation patching's corrupted inputs: one word changed, as many tokens.
const QString kStoriesCorrupted = QStringLiteral("Once upon a time, there was a little girl named Lily. He loved to play.");
const QString kGrammarCorrupted = QStringLiteral("the dog that the cat sees run .");
// Token ids, not values: no picture.
const QStringList kIndexTensors = {QStringLiteral("word_of_token"), QStringLiteral("input_ids"),
                                   QStringLiteral("target_ids"), QStringLiteral("corrupted_input_ids")};

bool storiesPresent() { return QFileInfo::exists(kStories + QStringLiteral("/tokenizer.json")); }

// The chart's series of one type.
template <typename Series>
QList<Series *> seriesOf(QChart *chart)
{
    QList<Series *> found;
    for (QAbstractSeries *series : chart->series())
        if (auto *typed = qobject_cast<Series *>(series))
            found << typed;
    return found;
}

// A bar chart's values and labels without its two empty end slots.
std::vector<double> barValues(QChart *chart)
{
    const QList<QBarSeries *> bars = seriesOf<QBarSeries>(chart);
    std::vector<double> values;
    if (bars.size() != 1 || bars.first()->count() != 1)
        return values;
    const QBarSet *set = bars.first()->barSets().first();
    for (int i = 1; i + 1 < set->count(); ++i)
        values.push_back(set->at(i));
    return values;
}

QStringList barLabels(QChart *chart)
{
    for (QAbstractAxis *axis : chart->axes(Qt::Horizontal))
        if (auto *categories = qobject_cast<QBarCategoryAxis *>(axis)) {
            QStringList labels = categories->categories().mid(1, categories->count() - 2);
            for (QString &label : labels)
                label.remove(QChar(0x200B));
            return labels;
        }
    return {};
}

// Every value axis names what it shows.
void verifyAxisTitles(QChart *chart)
{
    for (QAbstractAxis *axis : chart->axes())
        if (qobject_cast<QValueAxis *>(axis))
            QVERIFY2(!axis->titleText().isEmpty(), qPrintable(chart->title()));
}

void compareValues(const std::vector<double> &drawn, const torch::Tensor &expected, const QString &what)
{
    const torch::Tensor values = expected.to(torch::kFloat64).contiguous().view(-1);
    QCOMPARE(int64_t(drawn.size()), values.numel());
    for (int64_t i = 0; i < values.numel(); ++i)
        QVERIFY2(std::abs(drawn[size_t(i)] - values[i].item<double>()) < 1e-9,
                 qPrintable(QStringLiteral("%1, entry %2: %3 drawn, %4 in the result")
                                .arg(what).arg(i).arg(drawn[size_t(i)]).arg(values[i].item<double>())));
}

// The panel's answer after startAnalysis(): a picture or a message other than "Computing".
bool answered(const AnalysisPanel *panel)
{
    return !panel->shownScore().isEmpty() || (!panel->message().isEmpty() && !panel->message().startsWith(QLatin1String("Computing")));
}

} // namespace

class TestAnalysisPanel : public QObject {
    Q_OBJECT

    // One model run on one input and a panel over it.
    struct Bench {
        std::unique_ptr<AttentionRun> run;
        std::unique_ptr<AnalysisPanel> panel;
    };

    static std::unique_ptr<Bench> makeBench(const QString &model, const QString &text)
    {
        auto bench = std::make_unique<Bench>();
        bench->run = std::make_unique<AttentionRun>();
        QSignalSpy finished(bench->run.get(), &AttentionRun::finished);
        bench->run->start(model, text);
        if (!finished.wait(60000))
            return nullptr;
        bench->panel = std::make_unique<AnalysisPanel>(bench->run.get());
        bench->panel->resize(1200, 420);
        bench->panel->show();
        return bench;
    }

    Bench *benchFor(const QString &model)
    {
        return model == QLatin1String("decoder") ? m_decoder.get() : m_encoder.get();
    }

    void snapshot(AnalysisPanel *panel, const QString &name)
    {
        const QString dir = qEnvironmentVariable("ATTNSCOPE_PANEL_SNAPSHOTS");
        if (dir.isEmpty())
            return;
        QTest::qWait(50); // chart layout and map tiles
        panel->grab().save(QDir(dir).filePath(name + QStringLiteral(".png")));
    }

    // The picture of the shown tensor holds the result's numbers.
    void verifyPicture(AnalysisPanel *panel, const AnalysisResult &result, const AttentionRecord &record, const QString &score)
    {
        torch::Tensor tensor = result.tensors.at(score.toStdString()).to(torch::kFloat64);
        const int64_t layers = record.layers(), heads = record.heads(), tokens = record.queries();
        QChart *chart = panel->chart();
        QVERIFY2(!chart->series().isEmpty(), qPrintable(score));
        verifyAxisTitles(chart);
        if (score == QLatin1String("head_logit"))
            tensor = tensor.select(2, -1); // per head at the last position first
        if (score == QLatin1String("top_ids")) {
            // The grid: a row per stream, the top token of each; bars: the last cell's top-k.
            QCOMPARE(int64_t(panel->resultView()->tokenGrid()->rows()), layers + 1);
            compareValues(barValues(chart), result.tensors.at("top_logprobs")[-1][-1].exp(), score);
        } else if (score == QLatin1String("mds")) {
            const QList<QScatterSeries *> layersDrawn = seriesOf<QScatterSeries>(chart);
            QCOMPARE(int64_t(layersDrawn.size()), layers);
            for (int64_t layer = 0; layer < layers; ++layer) {
                const QList<QPointF> points = layersDrawn[int(layer)]->points();
                QCOMPARE(int64_t(points.size()), heads);
                for (int64_t head = 0; head < heads; ++head) {
                    QCOMPARE(points[int(head)].x(), tensor[layer * heads + head][0].item<double>());
                    QCOMPARE(points[int(head)].y(), tensor[layer * heads + head][1].item<double>());
                }
            }
        } else if (score == QLatin1String("pruning_curve")) {
            const QList<QLineSeries *> lines = seriesOf<QLineSeries>(chart);
            QCOMPARE(lines.size(), 2);
            const QList<QPointF> loss = lines.first()->points();
            QCOMPARE(int64_t(loss.size()), tensor.size(0));
            for (int64_t step = 0; step < tensor.size(0); ++step) {
                QCOMPARE(loss[int(step)].x(), tensor[step][0].item<double>());
                QCOMPARE(loss[int(step)].y(), tensor[step][1].item<double>());
            }
        } else if (tensor.dim() == 2 && tensor.size(0) == layers && tensor.size(1) == heads
                   && !QStringList{"rollout", "flow", "flow_normalized", "relevance"}.contains(score)) {
            for (int64_t layer = 0; layer < layers; ++layer)
                for (int64_t head = 0; head < heads; ++head)
                    QCOMPARE(panel->tableValue(int(layer), int(head)), tensor[layer][head].item<double>());
            const torch::Tensor perLayer = tensor.mean(1);
            if (const QList<QBarSeries *> roles = seriesOf<QBarSeries>(chart); !roles.isEmpty()) {
                bool found = false;
                for (QBarSet *set : roles.first()->barSets())
                    if (set->label() == score) {
                        found = true;
                        for (int64_t layer = 0; layer < layers; ++layer)
                            QCOMPARE(set->at(int(layer)), perLayer[layer].item<double>());
                    }
                QVERIFY2(found, qPrintable(score));
            } else {
                const QList<QLineSeries *> lines = seriesOf<QLineSeries>(chart);
                QCOMPARE(lines.size(), 1);
                const QList<QPointF> means = lines.first()->points();
                QCOMPARE(int64_t(means.size()), layers);
                for (int64_t layer = 0; layer < layers; ++layer)
                    QVERIFY(std::abs(means[int(layer)].y() - perLayer[layer].item<double>()) < 1e-12);
                QCOMPARE(int64_t(seriesOf<QScatterSeries>(chart).first()->count()), layers * heads);
            }
        } else if (tensor.dim() == 1) {
            compareValues(barValues(chart), tensor, score);
            if (tensor.size(0) == tokens) {
                QStringList escaped; // axis labels are HTML
                for (const QString &token : m_benchTokens)
                    escaped << token.toHtmlEscaped();
                QCOMPARE(barLabels(chart), escaped);
            }
        } else {
            // A map of the slice (the last layer; the mean of its heads) and the bars of its last row.
            torch::Tensor slice = tensor;
            if (slice.dim() >= 3)
                slice = slice[slice.size(0) - 1];
            if (slice.dim() == 3)
                slice = slice.mean(0);
            QTRY_VERIFY_WITH_TIMEOUT(panel->resultView()->mapView()->hasOverview(), 10000);
            const std::shared_ptr<TilePyramid> pyramid = panel->resultView()->mapPyramid();
            QVERIFY(pyramid);
            QCOMPARE(pyramid->geometry().rows(), slice.size(0));
            QCOMPARE(pyramid->geometry().cols(), slice.size(1));
            const torch::Tensor cells = pyramid->tile({0, 0, 0}).values.to(torch::kFloat64);
            QVERIFY2(torch::allclose(cells, slice, 1e-6, 1e-7), qPrintable(score));
            QCOMPARE(panel->resultView()->selectedRow(), int(slice.size(0)) - 1);
            compareValues(barValues(chart), slice[-1], score);
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_encoder = makeBench(kGrammar, kGrammarText);
        QVERIFY2(m_encoder, "the grammar demo did not run");
        if (storiesPresent())
            m_decoder = makeBench(kStories, kStoriesText);
    }

    void everyAnalysisDrawsItsResult_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("method");
        for (const char *model : {"decoder", "encoder"})
            for (const QString &method : analysisNames())
                QTest::addRow("%s %s", model, qPrintable(method)) << QString::fromLatin1(model) << method;
    }
    void everyAnalysisDrawsItsResult()
    {
        QFETCH(QString, model);
        QFETCH(QString, method);
        Bench *bench = benchFor(model);
        if (!bench)
            QSKIP("shared test data absent: no stories260K under ATTNSCOPE_SHARED_DIR");
        AnalysisPanel *panel = bench->panel.get();
        m_benchTokens = bench->run->tokens();
        panel->chooseMethod(method);
        if (method == QLatin1String("induction")) { // [BOS] and twice 20 tokens fit the grammar demo's 64 positions
            panel->setOption(QStringLiteral("sequences"), QStringLiteral("2"));
            panel->setOption(QStringLiteral("period"), QStringLiteral("20"));
        }
        if (method == QLatin1String("activation-patching"))
            panel->setOption(QStringLiteral("corrupted-text"), model == QLatin1String("decoder") ? kStoriesCorrupted : kGrammarCorrupted);
        QSignalSpy shown(panel, &AnalysisPanel::shown);
        panel->startAnalysis();
        QCOMPARE(panel->message(), QStringLiteral("Computing %1…").arg(method));
        QTRY_VERIFY_WITH_TIMEOUT(answered(panel), 120000);

        if (model == QLatin1String("encoder") && kNotForMaskedModels.contains(method)) {
            QVERIFY2(!panel->message().isEmpty() && !panel->message().contains(QLatin1Char('\n')), qPrintable(panel->message()));
            QVERIFY(panel->chart()->series().isEmpty());
            QCOMPARE(shown.count(), 0);
            snapshot(panel, QStringLiteral("%1-%2-error").arg(model, method));
            return;
        }
        QVERIFY2(panel->message().isEmpty(), qPrintable(panel->message()));
        QCOMPARE(shown.count(), 1);
        QCOMPARE(panel->shownMethod(), method);
        const std::shared_ptr<const AnalysisResult> result = bench->run->analysisResult();
        const std::shared_ptr<const AttentionRecord> record = bench->run->record();
        // Every tensor but the index ones has a picture.
        QStringList expected;
        for (const auto &[name, tensor] : result->tensors)
            if (!kIndexTensors.contains(QString::fromStdString(name)))
                expected << QString::fromStdString(name);
        QStringList offered = panel->resultView()->scoreNames();
        QCOMPARE(panel->shownScore(), offered.value(0));
        std::sort(offered.begin(), offered.end());
        QCOMPARE(offered, expected);
        for (const QString &score : panel->resultView()->scoreNames()) {
            panel->showScore(score);
            QCOMPARE(panel->shownScore(), score);
            verifyPicture(panel, *result, *record, score);
            if (QTest::currentTestFailed())
                return;
            snapshot(panel, QStringLiteral("%1-%2-%3").arg(model, method, score));
        }
    }

    // Head statistics open on the mean entropy (a CLS row statistic says nothing on a
    // decoder), in bits: a row's entropy is at most log2 of its keys.
    void headStatisticsOpenOnEntropyInBits()
    {
        Bench *bench = m_decoder ? m_decoder.get() : m_encoder.get();
        AnalysisPanel *panel = bench->panel.get();
        panel->chooseMethod(QStringLiteral("head-stats"));
        panel->startAnalysis();
        QTRY_VERIFY_WITH_TIMEOUT(answered(panel), 60000);
        QCOMPARE(panel->shownScore(), QStringLiteral("entropy"));
        bool titled = false;
        for (QAbstractAxis *axis : panel->chart()->axes(Qt::Vertical))
            titled = titled || axis->titleText().replace(QLatin1String("<br>"), QLatin1String(" ")).contains(QLatin1String("entropy (bits)"));
        QVERIFY(titled);
        const torch::Tensor attention = bench->run->record()->tile(0, 0, 0, bench->run->record()->queries(), 0,
                                                                   bench->run->record()->keys()).to(torch::kFloat64);
        const torch::Tensor safe = torch::where(attention > 0, attention, torch::ones_like(attention));
        const double bits = (-(attention * safe.log2()).sum(-1)).mean().item<double>();
        QVERIFY(std::abs(panel->tableValue(0, 0) - bits) < 1e-9);
    }

    // Changing method drops the old picture at once; Computing stands in until the new one.
    void changingMethodReplacesThePicture()
    {
        AnalysisPanel *panel = m_encoder->panel.get();
        panel->chooseMethod(QStringLiteral("rollout"));
        panel->startAnalysis();
        QTRY_VERIFY_WITH_TIMEOUT(answered(panel), 60000);
        QVERIFY(panel->resultView()->mapPyramid());
        QPointer<QChart> rolloutChart = panel->chart();
        QVERIFY(!rolloutChart->series().isEmpty());

        auto *methods = panel->findChild<QComboBox *>(QStringLiteral("method"));
        methods->setCurrentText(QStringLiteral("head-distances")); // as a user picks it
        Q_EMIT methods->activated(methods->currentIndex());
        QVERIFY(!rolloutChart); // gone, with its series
        QVERIFY(panel->chart()->series().isEmpty());
        QVERIFY(!panel->resultView()->mapPyramid());
        QVERIFY(panel->shownScore().isEmpty());
        QCOMPARE(panel->message(), QStringLiteral("Computing head-distances…"));
        QTRY_VERIFY_WITH_TIMEOUT(answered(panel), 60000);
        QCOMPARE(panel->shownMethod(), QStringLiteral("head-distances"));
        QCOMPARE(panel->shownScore(), QStringLiteral("mds"));
        QVERIFY(seriesOf<QBarSeries>(panel->chart()).isEmpty());
        QVERIFY(!seriesOf<QScatterSeries>(panel->chart()).isEmpty());
    }

    // An analysis that fails puts its one line where the picture was: never a stuck Computing.
    void errorReplacesThePicture()
    {
        AnalysisPanel *panel = m_encoder->panel.get();
        panel->chooseMethod(QStringLiteral("flow"));
        panel->setOption(QStringLiteral("all-tokens"), QStringLiteral("false"));
        panel->setOption(QStringLiteral("token"), QStringLiteral("999"));
        panel->startAnalysis();
        QTRY_VERIFY_WITH_TIMEOUT(answered(panel), 60000);
        QVERIFY2(panel->message().contains(QLatin1String("999")), qPrintable(panel->message()));
        QVERIFY(panel->chart()->series().isEmpty());
        QVERIFY(panel->shownScore().isEmpty());
    }

    void clearDropsTheResult()
    {
        AnalysisPanel *panel = m_encoder->panel.get();
        panel->chooseMethod(QStringLiteral("sinks"));
        panel->startAnalysis();
        QTRY_VERIFY_WITH_TIMEOUT(answered(panel), 60000);
        QVERIFY(!panel->chart()->series().isEmpty());
        QSignalSpy badges(panel, &AnalysisPanel::scoreShown);
        panel->clear();
        QVERIFY(panel->chart()->series().isEmpty());
        QVERIFY(panel->shownScore().isEmpty());
        QVERIFY(!panel->message().isEmpty());
        QCOMPARE(badges.count(), 1); // the model view's badges go with the score
        QVERIFY(badges.first().at(0).toString().isEmpty());
    }

    // Flow of one output token: bars over the input, the text coloured by them.
    void flowOfOneTokenIsBars()
    {
        AnalysisPanel *panel = m_encoder->panel.get();
        panel->chooseMethod(QStringLiteral("flow"));
        panel->setOption(QStringLiteral("all-tokens"), QStringLiteral("false"));
        panel->setOption(QStringLiteral("token"), QStringLiteral("2"));
        panel->startAnalysis();
        QTRY_VERIFY_WITH_TIMEOUT(answered(panel), 60000);
        compareValues(barValues(panel->chart()), m_encoder->run->analysisResult()->tensors.at("flow"), QStringLiteral("flow"));
        QVERIFY(panel->chart()->title().contains(m_encoder->run->tokens().at(2)));
        QCOMPARE(panel->resultView()->coloredText().count(QLatin1String("<span")), m_encoder->run->tokens().size());
    }

    // Clicking a row of a map shows that row's bars.
    void mapRowPicksTheBars()
    {
        AnalysisPanel *panel = m_encoder->panel.get();
        panel->chooseMethod(QStringLiteral("rollout"));
        panel->startAnalysis();
        QTRY_VERIFY_WITH_TIMEOUT(answered(panel), 60000);
        const torch::Tensor rollout = m_encoder->run->analysisResult()->tensors.at("rollout");
        Q_EMIT panel->resultView()->mapView()->cellClicked(1, 0);
        QCOMPARE(panel->resultView()->selectedRow(), 1);
        compareValues(barValues(panel->chart()), rollout[1], QStringLiteral("rollout row 1"));
    }

    // The heads' map: every point inside the axes with a margin, equal data length per pixel.
    void headMapAxesHoldEveryPoint()
    {
        Bench *bench = m_decoder ? m_decoder.get() : m_encoder.get();
        AnalysisPanel *panel = bench->panel.get();
        panel->chooseMethod(QStringLiteral("head-distances"));
        panel->startAnalysis();
        QTRY_VERIFY_WITH_TIMEOUT(answered(panel), 60000);
        QTest::qWait(50); // the chart's layout
        QChart *chart = panel->chart();
        auto *x = qobject_cast<QValueAxis *>(chart->axes(Qt::Horizontal).value(0));
        auto *y = qobject_cast<QValueAxis *>(chart->axes(Qt::Vertical).value(0));
        QVERIFY(x && y);
        const torch::Tensor mds = bench->run->analysisResult()->tensors.at("mds");
        const double xLow = mds.select(1, 0).min().item<double>(), xHigh = mds.select(1, 0).max().item<double>();
        const double yLow = mds.select(1, 1).min().item<double>(), yHigh = mds.select(1, 1).max().item<double>();
        QVERIFY2(x->min() < xLow && x->max() > xHigh, qPrintable(QStringLiteral("x axis %1 … %2, points %3 … %4")
                                                                    .arg(x->min()).arg(x->max()).arg(xLow).arg(xHigh)));
        QVERIFY2(y->min() < yLow && y->max() > yHigh, qPrintable(QStringLiteral("y axis %1 … %2, points %3 … %4")
                                                                    .arg(y->min()).arg(y->max()).arg(yLow).arg(yHigh)));
        const QRectF plot = chart->plotArea();
        const double xPerPixel = (x->max() - x->min()) / plot.width(), yPerPixel = (y->max() - y->min()) / plot.height();
        QVERIFY2(std::abs(xPerPixel / yPerPixel - 1) < 0.01, qPrintable(QStringLiteral("%1 vs %2").arg(xPerPixel).arg(yPerPixel)));
        // The legend is wide enough for its longest name.
        const QFontMetricsF metrics(chart->legend()->font());
        QVERIFY(chart->legend()->geometry().width() > metrics.horizontalAdvance(QStringLiteral("layer %1").arg(bench->run->record()->layers() - 1)));
    }

    // In the workspace: a table cell and a point of the heads' map open that head.
    void clickingAHeadOpensIt()
    {
        if (!storiesPresent())
            QSKIP("shared test data absent: no stories260K under ATTNSCOPE_SHARED_DIR");
        AttentionWorkspace workspace(kStories, QStringLiteral("llama"));
        workspace.resize(1200, 800);
        workspace.show();
        workspace.setText(kStoriesText);
        workspace.startRun();
        QTRY_VERIFY_WITH_TIMEOUT(workspace.isReady(), 30000);
        AnalysisPanel *panel = workspace.analysisPanel();
        panel->chooseMethod(QStringLiteral("head-stats"));
        panel->startAnalysis();
        QTRY_VERIFY_WITH_TIMEOUT(answered(panel), 30000);
        QSignalSpy opened(&workspace, &AttentionWorkspace::headShown);
        Q_EMIT panel->findChild<QTableWidget *>()->cellClicked(3, 5);
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.first().at(0).toInt(), 3);
        QCOMPARE(opened.first().at(1).toInt(), 5);

        panel->chooseMethod(QStringLiteral("head-distances"));
        panel->startAnalysis();
        QTRY_VERIFY_WITH_TIMEOUT(answered(panel), 30000);
        auto *layer2 = seriesOf<QScatterSeries>(panel->chart()).value(2);
        QVERIFY(layer2);
        QSignalSpy chosen(panel, &AnalysisPanel::headChosen);
        Q_EMIT layer2->clicked(layer2->points()[4] + QPointF(1e-9, 0));
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.first().at(0).toInt(), 2);
        QCOMPARE(chosen.first().at(1).toInt(), 4);
    }

    void cleanupTestCase()
    {
        m_decoder.reset();
        m_encoder.reset();
    }

private:
    std::unique_ptr<Bench> m_decoder;
    std::unique_ptr<Bench> m_encoder;
    QStringList m_benchTokens;
};

QTEST_MAIN(TestAnalysisPanel)
#include "test_analysis_panel.moc"
