// The analyses panel on a real run: the per-head table, the per-layer line and the token-role
// bars hold the analysis' own numbers, the head map is a scatter coloured by layer, and clicking a table
// cell or a point of the map opens that head in the workspace.
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QLineSeries>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTableWidget>
#include <QtTest>

#include <torch/torch.h>

#include "core/analysis/analysis.h"
#include "core/analysis/analysis_registry.h"
#include "core/capture/attention_record.h"
#include "ui/attention_run.h"
#include "ui/attention_workspace.h"
#include "ui/panels/analysis_panel.h"

using namespace attnscope;

namespace {

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");

} // namespace

class TestAnalysisPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        if (!QFileInfo::exists(kStories + QStringLiteral("/tokenizer.json")))
            QSKIP("shared test data absent: no ../shared/models/stories260K");
        m_workspace = std::make_unique<AttentionWorkspace>(kStories, QStringLiteral("llama"));
        m_workspace->resize(1200, 800);
        m_workspace->show();
        m_workspace->setText(QStringLiteral("Once upon a time, there was a little girl named Lily. She loved to play."));
        m_workspace->startRun();
        QTRY_VERIFY_WITH_TIMEOUT(m_workspace->isReady(), 30000);
    }

    void headStatisticsTableAndChart()
    {
        AnalysisPanel *panel = m_workspace->analysisPanel();
        QSignalSpy shown(panel, &AnalysisPanel::shown);
        panel->chooseMethod(QStringLiteral("head-stats"));
        panel->startAnalysis();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 30000);
        panel->showScore(QStringLiteral("entropy"));

        const Analysis *analysis = findAnalysis(QStringLiteral("head-stats"));
        AnalysisContext context;
        context.record = m_workspace->run()->record();
        const AnalysisResult expected = analysis->run(context, AnalysisOptions(analysis->name(), analysis->options(), {}));
        const torch::Tensor entropy = expected.tensors.at("entropy").to(torch::kFloat64);
        for (int layer = 0; layer < 5; ++layer)
            for (int head = 0; head < 8; ++head)
                QCOMPARE(panel->tableValue(layer, head), entropy[layer][head].item<double>());
        const auto series = panel->chart()->series();
        QCOMPARE(series.size(), 1);
        const QList<QPointF> points = qobject_cast<QLineSeries *>(series.first())->points();
        QCOMPARE(points.size(), 5);
        for (int layer = 0; layer < 5; ++layer)
            QCOMPARE(points[layer].y(), entropy[layer].mean().item<double>());

        // Where heads attend (Clark et al.): bars per layer for every token role.
        panel->showScore(QStringLiteral("previous"));
        auto *bars = qobject_cast<QBarSeries *>(panel->chart()->series().value(0));
        QVERIFY(bars);
        QCOMPARE(bars->count(), 6);
        const torch::Tensor previous = expected.tensors.at("previous").to(torch::kFloat64).mean(1);
        for (QBarSet *set : bars->barSets())
            if (set->label() == QLatin1String("previous"))
                for (int layer = 0; layer < 5; ++layer)
                    QCOMPARE(set->at(layer), previous[layer].item<double>());

        QSignalSpy opened(m_workspace.get(), &AttentionWorkspace::headShown);
        auto *table = panel->findChild<QTableWidget *>();
        Q_EMIT table->cellClicked(3, 5);
        QCOMPARE(opened.count(), 1);
        QCOMPARE(opened.first().at(0).toInt(), 3);
        QCOMPARE(opened.first().at(1).toInt(), 5);
    }

    void headMapIsAScatterByLayer()
    {
        AnalysisPanel *panel = m_workspace->analysisPanel();
        QSignalSpy shown(panel, &AnalysisPanel::shown);
        panel->chooseMethod(QStringLiteral("head-distances"));
        panel->startAnalysis();
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 30000);
        const auto series = panel->chart()->series();
        QCOMPARE(series.size(), 5); // one per layer
        const torch::Tensor mds = m_workspace->run()->analysisResult()->tensors.at("mds").to(torch::kFloat64);
        auto *layer2 = qobject_cast<QScatterSeries *>(series[2]);
        QVERIFY(layer2);
        QCOMPARE(layer2->points().size(), 8);
        const QPointF head4 = layer2->points()[4];
        QCOMPARE(head4.x(), mds[2 * 8 + 4][0].item<double>());
        QSignalSpy chosen(panel, &AnalysisPanel::headChosen);
        Q_EMIT layer2->clicked(head4 + QPointF(1e-9, 0));
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.first().at(0).toInt(), 2);
        QCOMPARE(chosen.first().at(1).toInt(), 4);
    }

    void cleanup() { m_workspace.reset(); }

private:
    std::unique_ptr<AttentionWorkspace> m_workspace;
};

QTEST_MAIN(TestAnalysisPanel)
#include "test_analysis_panel.moc"
