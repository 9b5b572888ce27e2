// One truth per view: after a comparison, Show (reference, variant, variant − reference)
// drives every view, and what each view draws equals the run its caption names, compared
// with the engine's own records (computed here independently of the workspace). Editing the
// input marks every view out of date; a new run keeps the layer, head and Lines heads.
#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

#include <torch/torch.h>

#include "core/analysis/token_graph.h"
#include "core/attention/variant_report.h"
#include "core/attention/variant_spec.h"
#include "core/capture/attention_record.h"
#include "core/capture/neuron_breakdown.h"
#include "core/models/model.h"
#include "core/tokenize/tokenizer.h"
#include "ui/attention_run.h"
#include "ui/attention_selection.h"
#include "ui/attention_workspace.h"
#include "ui/panels/variant_picker.h"
#include "ui/session_file.h"
#include "ui/shown_run.h"
#include "ui/views/head_view.h"
#include "ui/views/lines_view.h"
#include "ui/views/model_view.h"
#include "ui/views/neuron_view.h"
#include "ui/views/token_graph_view.h"
#include "ui/views/token_view.h"
#include "ui/views/view_frame.h"
#include "viz/graph_scene.h"
#include "viz/model_thumbnails.h"

using namespace attnscope;

namespace {

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
const QString kText = QStringLiteral("Once upon a time, there was a little girl named Lily. She loved to play.");
const QString kSpec = QStringLiteral("topk:k=2@layers=1-2");
constexpr int kLayer = 2, kHead = 3;

// The engine's records for the same input, made without the workspace.
struct Expected {
    std::shared_ptr<const AttentionRecord> reference, variant;
    torch::Tensor of(ComparedMap map) const
    {
        const torch::Tensor r = reference->all().to(torch::kFloat64), v = variant->all().to(torch::kFloat64);
        return map == ComparedMap::Reference ? r : map == ComparedMap::Variant ? v : v - r;
    }
};

Expected expectedRecords()
{
    const auto model = loadModel(kStories);
    const auto tokenizer = tokenize::loadTokenizer(kStories);
    const tokenize::Encoding encoding = tokenizer->encode(kText.toUtf8());
    const VariantReport report = compareVariant(*model, comparisonInputOf(encoding, false, *tokenizer), parsePlan({kSpec}));
    return {report.referenceRecord, report.variantRecord};
}

QString runNameOf(ComparedMap map)
{
    switch (map) {
    case ComparedMap::Reference: return QStringLiteral("reference ·");
    case ComparedMap::Variant: return QStringLiteral("variant ") + kSpec + QStringLiteral(" ·");
    case ComparedMap::Difference: return QStringLiteral("variant − reference (") + kSpec + QStringLiteral(")");
    }
    return {};
}

} // namespace

class TestShownRun : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo::exists(kStories + QStringLiteral("/tokenizer.json")))
            QSKIP("shared test data absent: no ../shared/models/stories260K");
        torch::NoGradGuard noGradients;
        m_expected = expectedRecords();
        // The variant really changes the shown head, so every comparison below can fail.
        QVERIFY(m_expected.of(ComparedMap::Difference)[kLayer][kHead].abs().max().item<double>() > 1e-3);
    }

    void everyViewDrawsTheRunItsCaptionNames_data()
    {
        QTest::addColumn<int>("map");
        QTest::newRow("reference") << int(ComparedMap::Reference);
        QTest::newRow("variant") << int(ComparedMap::Variant);
        QTest::newRow("difference") << int(ComparedMap::Difference);
    }

    void everyViewDrawsTheRunItsCaptionNames()
    {
        QFETCH(int, map);
        const auto shownMap = ComparedMap(map);
        AttentionWorkspace workspace(kStories, QStringLiteral("llama"));
        workspace.resize(1100, 760);
        workspace.show();
        workspace.setText(kText);
        workspace.setComparing(true);
        workspace.variantPicker()->setSpec(kSpec);
        workspace.startRun();
        QTRY_VERIFY_WITH_TIMEOUT(workspace.isReady(), 60000);
        workspace.showHead(kLayer, kHead);
        workspace.setComparedMap(shownMap);
        QCOMPARE(workspace.shownRun()->map(), shownMap);
        const torch::Tensor expected = m_expected.of(shownMap);
        const torch::Tensor head = expected[kLayer][kHead];
        const bool difference = shownMap == ComparedMap::Difference;

        for (const QString &view : {QStringLiteral("head"), QStringLiteral("model"), QStringLiteral("lines"), QStringLiteral("graph"),
                                    QStringLiteral("token"), QStringLiteral("neuron"), QStringLiteral("analyses")}) {
            const QString caption = workspace.frame(view)->caption();
            QVERIFY2(caption.startsWith(runNameOf(shownMap)), qPrintable(view + QStringLiteral(": ") + caption));
            QVERIFY2(caption.contains(QStringLiteral("“Once upon a time")), qPrintable(caption));
        }
        QVERIFY(workspace.frame(QStringLiteral("head"))->caption().contains(QStringLiteral("layer 2, head 3")));

        // Head: every probed cell is the shown map's value; a difference on the diverging map.
        HeadView *headView = workspace.headView();
        QTRY_VERIFY_WITH_TIMEOUT(headView->hasOverview(), 30000);
        QCOMPARE(headView->style().colormap.isDiverging(), difference);
        for (const auto &[row, col] : {std::pair<qint64, qint64>{9, 3}, {14, 14}, {16, 0}, {20, 7}})
            QVERIFY(std::abs(headView->cellAt(headView->cellCenter(row, col)).weight - head[row][col].item<double>()) < 1e-6);

        // Model: the thumbnails of the shown map (level 0 at this length: the cells themselves).
        ModelView *model = workspace.modelView();
        QVERIFY(workspace.frame(QStringLiteral("model"))->isViewShown());
        QTRY_VERIFY_WITH_TIMEOUT(model->isReady(), 30000);
        QCOMPARE(model->thumbnails().level, 0);
        QVERIFY(torch::allclose(model->thumbnails().heads.to(torch::kFloat64), expected, 1e-6, 1e-6));

        if (difference) {
            // Views of one run's weights say so instead of drawing the variant.
            for (const QString &view : {QStringLiteral("lines"), QStringLiteral("graph"), QStringLiteral("token"),
                                        QStringLiteral("neuron"), QStringLiteral("analyses")}) {
                QVERIFY2(!workspace.frame(view)->isViewShown(), qPrintable(view));
                QVERIFY(workspace.frame(view)->unavailableReason().contains(QStringLiteral("Reference or Variant")));
            }
            return;
        }
        // Lines: every drawn line carries the shown run's weight.
        workspace.showView(QStringLiteral("lines"));
        workspace.linesView()->setChosenHeads({kHead});
        const auto lines = workspace.linesView()->drawnLines();
        QVERIFY(!lines.empty());
        for (const auto &[lineHead, query, key, weight] : lines) {
            QCOMPARE(lineHead, kHead);
            QVERIFY(std::abs(weight - head[query][key].item<double>()) < 1e-6);
        }
        // Graph: the one-head drawing's edges are the shown run's weights.
        TokenGraphView *graph = workspace.graphView();
        workspace.showView(QStringLiteral("graph"));
        graph->setEdgeSource(QStringLiteral("head"));
        graph->setDrawing(TokenGraphView::Drawing::Arcs);
        QTRY_VERIFY_WITH_TIMEOUT(graph->isReady(), 30000);
        QVERIFY(workspace.frame(QStringLiteral("graph"))->caption().contains(QStringLiteral("layer 2, head 3 edges")));
        QVERIFY(!graph->scene().graph.edges().empty());
        for (const GraphEdge &edge : graph->scene().graph.edges())
            QVERIFY2(std::abs(edge.weight - head[edge.from][edge.to].item<double>()) < 1e-6,
                     qPrintable(QStringLiteral("%1 %2 %3 %4 %5").arg(edge.layer).arg(edge.from).arg(edge.to).arg(edge.weight).arg(head[edge.from][edge.to].item<double>())));
        // Token: the selected query's row.
        workspace.showView(QStringLiteral("token"));
        const int query = workspace.selection()->query();
        const std::vector<double> weights = workspace.tokenView()->weights();
        QCOMPARE(int(weights.size()), int(head.size(1)));
        for (size_t key = 0; key < weights.size(); ++key)
            QVERIFY(std::abs(weights[key] - head[query][int64_t(key)].item<double>()) < 1e-6);
        // Neuron: the selected pair's weight and the shown run's own q and k.
        workspace.showView(QStringLiteral("neuron"));
        workspace.selection()->selectCell(query, 2);
        const NeuronBreakdown *neuron = workspace.neuronView()->breakdown();
        QVERIFY(neuron);
        QVERIFY(std::abs(neuron->weight - head[query][2].item<double>()) < 1e-6);
        const auto &record = shownMap == ComparedMap::Reference ? m_expected.reference : m_expected.variant;
        const NeuronBreakdown engine = neuronBreakdown(*record, kLayer, kHead, query, 2);
        QVERIFY(std::abs(neuron->score - engine.score) < 1e-6);
    }

    // Editing the text after a run: every caption says "out of date", Run stands out, and
    // after the next run the layer, head and Lines heads chosen before are still there.
    void editingMarksEveryViewOutOfDateUntilTheNextRun()
    {
        AttentionWorkspace workspace(kStories, QStringLiteral("llama"));
        workspace.resize(1100, 760);
        workspace.show();
        QVERIFY(workspace.frame(QStringLiteral("head"))->caption().contains(QStringLiteral("No run yet")));
        workspace.setText(kText);
        workspace.startRun();
        QTRY_VERIFY_WITH_TIMEOUT(workspace.isReady(), 60000);
        workspace.showHead(kLayer, kHead);
        workspace.linesView()->setChosenHeads({1, 5});
        QVERIFY(!workspace.shownRun()->isStale());
        QVERIFY(!workspace.frame(QStringLiteral("head"))->isStale());

        workspace.setText(QStringLiteral("A different story about a dog."));
        QVERIFY(workspace.shownRun()->isStale());
        for (const QString &view : {QStringLiteral("head"), QStringLiteral("model"), QStringLiteral("lines"), QStringLiteral("graph"),
                                    QStringLiteral("token"), QStringLiteral("neuron"), QStringLiteral("analyses")}) {
            QVERIFY(workspace.frame(view)->isStale());
            QVERIFY2(workspace.frame(view)->caption().startsWith(QStringLiteral("Out of date (the text changed)")),
                     qPrintable(workspace.frame(view)->caption()));
            // Still named by the input it was made from, never by the new text.
            QVERIFY(workspace.frame(view)->caption().contains(QStringLiteral("“Once upon a time")));
        }
        QVERIFY(!workspace.findChild<QPushButton *>(QStringLiteral("runButton"))->styleSheet().isEmpty());
        // Typing the old text back: current again.
        workspace.setText(kText);
        QVERIFY2(!workspace.shownRun()->isStale(), qPrintable(workspace.shownRun()->staleReason()));
        workspace.setText(QStringLiteral("A different story about a dog."));

        workspace.startRun();
        QTRY_VERIFY_WITH_TIMEOUT(workspace.isReady(), 60000);
        QVERIFY(!workspace.shownRun()->isStale());
        QVERIFY(workspace.frame(QStringLiteral("head"))->caption().contains(QStringLiteral("“A different story")));
        QVERIFY(workspace.findChild<QPushButton *>(QStringLiteral("runButton"))->styleSheet().isEmpty());
        QCOMPARE(workspace.selection()->layer(), kLayer);
        QCOMPARE(workspace.selection()->head(), kHead);
        QCOMPARE(workspace.linesView()->chosenHeads(), (std::vector<int>{1, 5}));

        // Turning a variant on is a change of input too.
        workspace.setComparing(true);
        workspace.variantPicker()->setSpec(kSpec);
        QVERIFY(workspace.frame(QStringLiteral("model"))->caption().startsWith(QStringLiteral("Out of date (a variant was turned on)")));
    }

    // A session keeps what Show picks: reopened, every view shows the difference again.
    void aSessionKeepsTheShownMap()
    {
        Session session;
        {
            AttentionWorkspace workspace(kStories, QStringLiteral("llama"));
            workspace.setText(kText);
            workspace.setComparing(true);
            workspace.variantPicker()->setSpec(kSpec);
            workspace.setComparedMap(ComparedMap::Difference);
            session = workspace.captureSession();
        }
        AttentionWorkspace reopened(kStories, QStringLiteral("llama"));
        reopened.resize(1100, 760);
        reopened.show();
        reopened.applySession(session);
        QTRY_VERIFY_WITH_TIMEOUT(reopened.isReady(), 60000);
        QCOMPARE(reopened.shownRun()->map(), ComparedMap::Difference);
        QVERIFY(reopened.headView()->style().colormap.isDiverging());
        QVERIFY(reopened.frame(QStringLiteral("model"))->caption().startsWith(runNameOf(ComparedMap::Difference)));
    }

private:
    Expected m_expected;
};

QTEST_MAIN(TestShownRun)
#include "test_shown_run.moc"
