// The linked views: clicking a model-view thumbnail selects that head everywhere, arrows step
// through layers and heads, a head-view click picks the query–key pair the neuron view
// breaks down, and the lines view draws exactly the kept weights (hover isolates a token,
// pair filters keep one direction), keeps its chosen heads across runs and draws a window
// around the selected query of an input too long to draw whole.

#include <QLabel>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "core/capture/neuron_breakdown.h"
#include "ui/attention_run.h"
#include "ui/attention_selection.h"
#include "ui/attention_workspace.h"
#include "ui/views/head_view.h"
#include "ui/views/lines_view.h"
#include "ui/views/model_view.h"
#include "ui/views/neuron_view.h"
#include "viz/model_thumbnails.h"

using namespace attnscope;

namespace {

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");

std::shared_ptr<AttentionRecord> randomRecord(int64_t layers, int64_t heads, int64_t tokens)
{
    torch::manual_seed(9);
    return AttentionRecord::fromProbabilities(torch::softmax(torch::randn({layers, heads, tokens, tokens}) * 3, -1));
}

QStringList tokenNames(int count)
{
    QStringList names;
    for (int i = 0; i < count; ++i)
        names << QStringLiteral("t%1").arg(i);
    return names;
}

} // namespace

class TestLinkedViews : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void modelViewClicksAndSteps()
    {
        ModelView view;
        view.resize(800, 600);
        view.show();
        view.setRecord(randomRecord(3, 4, 40), false);
        QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 20000);
        QCOMPARE(view.thumbnails().heads.size(0), int64_t(3));
        QSignalSpy clicked(&view, &ModelView::headClicked);
        QSignalSpy stepped(&view, &ModelView::stepRequested);
        QTest::mouseClick(view.canvas(), Qt::LeftButton, {}, view.cellRect(2, 1).center().toPoint());
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.first().at(0).toInt(), 2);
        QCOMPARE(clicked.first().at(1).toInt(), 1);
        // The aggregates are not heads to open.
        QTest::mouseClick(view.canvas(), Qt::LeftButton, {}, view.cellRect(3, 4).center().toPoint());
        QCOMPARE(clicked.count(), 1);
        view.canvas()->setFocus();
        QTest::keyClick(view.canvas(), Qt::Key_Right);
        QTest::keyClick(view.canvas(), Qt::Key_Up);
        QCOMPARE(stepped.count(), 2);
        QCOMPARE(stepped.at(0).at(1).toInt(), 1);
        QCOMPARE(stepped.at(1).at(0).toInt(), -1);
    }

    void selectionClampsAndAnnounces()
    {
        AttentionSelection selection;
        QSignalSpy heads(&selection, &AttentionSelection::headChanged);
        QSignalSpy tokens(&selection, &AttentionSelection::tokenChanged);
        selection.setShape(5, 8, 12);
        QCOMPARE(selection.query(), 11);
        QCOMPARE(selection.key(), 0);
        selection.step(10, -3);
        QCOMPARE(selection.layer(), 4);
        QCOMPARE(selection.head(), 0);
        selection.selectCell(3, 99);
        QCOMPARE(selection.query(), 3);
        QCOMPARE(selection.key(), 11);
        QVERIFY(heads.count() >= 2);
        QCOMPARE(tokens.last().at(1).toInt(), 11);
    }

    void linesViewDrawsTheKeptWeights()
    {
        const auto record = randomRecord(2, 3, 12);
        LinesView view;
        view.resize(700, 500);
        view.show();
        view.setAttention(record, tokenNames(12), {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1});
        view.showHead(1, 2);
        QCOMPARE(view.chosenHeads(), std::vector<int>{2});
        const torch::Tensor weights = record->layer(1)[2];
        int kept = 0;
        for (const auto &[head, query, key, weight] : view.drawnLines()) {
            QCOMPARE(head, 2);
            QCOMPARE(weight, weights[query][key].item<float>());
            QVERIFY(weight >= 0.01f);
            ++kept;
        }
        QCOMPARE(kept, int((weights >= 0.01).sum().item<int64_t>()));

        // Hovering query 4 keeps only its lines.
        QTest::mouseMove(view.canvas(), view.tokenPosition(1, 4).toPoint());
        QTRY_VERIFY(!view.drawnLines().empty());
        for (const auto &line : view.drawnLines())
            QCOMPARE(std::get<1>(line), 4);
        QCOMPARE(int(view.drawnLines().size()), int((weights[4] >= 0.01).sum().item<int64_t>()));
        QTest::mouseMove(view.canvas(), QPoint(1, view.canvas()->height() - 2));

        // Two heads; the A→B filter keeps queries of sentence A looking at sentence B.
        view.setChosenHeads({0, 2});
        view.setPairFilter(int(2));
        QVERIFY(!view.drawnLines().empty());
        for (const auto &[head, query, key, weight] : view.drawnLines()) {
            QVERIFY(head == 0 || head == 2);
            QVERIFY(query < 6 && key >= 6);
        }
    }

    // A new run keeps the chosen heads that still exist; none left: head 0.
    void linesViewKeepsItsHeadsAcrossRuns()
    {
        LinesView view;
        view.setAttention(randomRecord(2, 4, 8), tokenNames(8), {});
        view.setChosenHeads({1, 3});
        view.setAttention(randomRecord(2, 4, 9), tokenNames(9), {});
        QCOMPARE(view.chosenHeads(), (std::vector<int>{1, 3}));
        view.showHead(1, 0); // several heads chosen: the shown head does not replace them
        QCOMPARE(view.chosenHeads(), (std::vector<int>{1, 3}));
        view.setAttention(randomRecord(2, 2, 9), tokenNames(9), {});
        QCOMPARE(view.chosenHeads(), (std::vector<int>{1}));
        view.setChosenHeads({1});
        view.setAttention(randomRecord(2, 1, 9), tokenNames(9), {});
        QCOMPARE(view.chosenHeads(), (std::vector<int>{0}));
    }

    // Beyond kMostTokens: the kWindowTokens around the selected query (by default the last),
    // queries and keys alike, with a note naming them. Every query attends to its previous token.
    void linesViewWindowsLongInputs()
    {
        const int count = LinesView::kMostTokens + 76, window = LinesView::kWindowTokens;
        torch::Tensor previous = torch::zeros({1, 1, count, count});
        previous[0][0][0][0] = 1;
        for (int q = 1; q < count; ++q)
            previous[0][0][q][q - 1] = 1;
        LinesView view;
        view.resize(700, 500);
        view.show();
        view.setAttention(AttentionRecord::fromProbabilities(previous), tokenNames(count), {});
        view.showHead(0, 0);
        const auto expectLines = [&](int first, int last) {
            std::vector<std::tuple<int, int, int, float>> expected;
            for (int q = first + 1; q < last; ++q) // the first query's key lies before the window
                expected.emplace_back(0, q, q - 1, 1.0f);
            auto drawn = view.drawnLines();
            std::sort(drawn.begin(), drawn.end());
            QCOMPARE(drawn, expected);
        };
        auto *note = view.findChild<QLabel *>(QStringLiteral("linesNote"));
        QVERIFY(note && note->isVisible());

        QCOMPARE(view.shownTokens(), std::pair(count - window, count));
        expectLines(count - window, count);
        QVERIFY2(note->text().contains(QStringLiteral("%1–%2").arg(count - window).arg(count - 1)), qPrintable(note->text()));

        view.setQuery(500);
        QCOMPARE(view.shownTokens(), std::pair(500 - window / 2, 500 + window / 2));
        expectLines(500 - window / 2, 500 + window / 2);
        QVERIFY2(note->text().contains(QStringLiteral("%1–%2").arg(500 - window / 2).arg(500 + window / 2 - 1))
                     && note->text().contains(QStringLiteral("token 500")),
                 qPrintable(note->text()));

        // The query's row scrolls into sight; hovering it keeps its one line.
        QTRY_VERIFY(view.canvas()->visibleRegion().contains(view.tokenPosition(1, 500).toPoint()));
        QTest::mouseMove(view.canvas(), view.tokenPosition(1, 500).toPoint());
        QTRY_COMPARE(view.drawnLines(), (std::vector<std::tuple<int, int, int, float>>{{0, 500, 499, 1.0f}}));

        view.setQuery(3); // near the start the window stops at token 0
        QCOMPARE(view.shownTokens(), std::pair(0, window));

        // Exactly kMostTokens tokens: every token, no note.
        view.setAttention(randomRecord(1, 1, LinesView::kMostTokens), tokenNames(LinesView::kMostTokens), {});
        QCOMPARE(view.shownTokens(), std::pair(0, LinesView::kMostTokens));
        QVERIFY(!note->isVisible());
    }

    void workspaceLinksEveryView()
    {
        if (!QFileInfo::exists(kStories + QStringLiteral("/tokenizer.json")))
            QSKIP("shared test data absent: no ../shared/models/stories260K");
        AttentionWorkspace workspace(kStories, QStringLiteral("llama"));
        workspace.resize(1200, 800);
        workspace.show();
        workspace.setText(QStringLiteral("Once upon a time, there was a little girl named Lily."));
        workspace.startRun();
        QTRY_VERIFY_WITH_TIMEOUT(workspace.isReady(), 30000);
        ModelView *model = workspace.modelView();
        QTRY_VERIFY_WITH_TIMEOUT(model->isReady(), 30000);
        workspace.showView(QStringLiteral("model"));
        QVERIFY(model->isVisible());
        QTest::mouseClick(model->canvas(), Qt::LeftButton, {}, model->cellRect(3, 6).center().toPoint());
        QCOMPARE(workspace.layer(), 3);
        QCOMPARE(workspace.head(), 6);
        QCOMPARE(workspace.selection()->layer(), 3);
        QCOMPARE(workspace.selection()->head(), 6);
        QCOMPARE(workspace.frontViewName(), QStringLiteral("head"));
        QVERIFY(workspace.headView()->isVisible());

        // Arrow keys in the head view step the head; every view follows.
        HeadView *head = workspace.headView();
        head->setFocus();
        QTest::keyClick(head, Qt::Key_Right);
        QCOMPARE(workspace.head(), 7);
        QTest::keyClick(head, Qt::Key_Down);
        QCOMPARE(workspace.layer(), 4);
        QCOMPARE(workspace.findChild<QSpinBox *>(QStringLiteral("head"))->value(), 7);

        // A click on a cell selects that pair; the neuron view breaks down exactly that score.
        QTRY_VERIFY_WITH_TIMEOUT(head->hasOverview(), 30000);
        QTest::mouseClick(head, Qt::LeftButton, {}, head->cellCenter(9, 4).toPoint());
        QCOMPARE(workspace.selection()->query(), 9);
        QCOMPARE(workspace.selection()->key(), 4);
        workspace.showView(QStringLiteral("neuron")); // hidden views catch up when they come forward
        const NeuronBreakdown *shown = workspace.neuronView()->breakdown();
        QVERIFY(shown);
        const NeuronBreakdown expected = neuronBreakdown(*workspace.run()->record(), 4, 7, 9, 4);
        QCOMPARE(shown->score, expected.score);
        QCOMPARE(shown->weight, expected.weight);
        QCOMPARE(shown->weight, workspace.run()->record()->tile(4, 7, 9, 10, 4, 5).item<double>());
    }
};

QTEST_MAIN(TestLinkedViews)
#include "test_linked_views.moc"
