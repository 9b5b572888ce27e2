// The built-in demos as shipped under resources/demos: the catalog reads, every model loads
// with its tokenizer or preprocessor, and each advertised property holds when measured by
// our own analyses. The Examples menu and the tour drive the window.

#include <QMenu>
#include <QMenuBar>
#include <QtTest>
#include <torch/torch.h>

#include "core/analysis/analysis.h"
#include "core/analysis/analysis_registry.h"
#include "core/models/model.h"
#include "core/tokenize/tokenizer.h"
#include "core/training/grammar_demo.h"
#include "core/training/shapes_demo.h"
#include "ui/attention_selection.h"
#include "ui/attention_workspace.h"
#include "ui/demo_catalog.h"
#include "ui/demo_launcher.h"
#include "ui/mainwindow.h"
#include "ui/panels/tour_panel.h"
#include "viz/shape_images.h"

using namespace attnscope;

namespace {

const DemoEntry &demoNamed(const QList<DemoEntry> &demos, const QString &name)
{
    for (const DemoEntry &demo : demos)
        if (demo.name == name)
            return demo;
    throw std::runtime_error("no demo " + name.toStdString());
}

} // namespace

class ShippedDemosTest : public QObject {
    Q_OBJECT
private:
    QList<DemoEntry> m_demos;

private Q_SLOTS:
    void initTestCase()
    {
        const QString directory = demosDirectory();
        QVERIFY2(!directory.isEmpty(), "resources/demos/demos.json not found");
        m_demos = loadDemoCatalog(directory);
        QStringList names;
        for (const DemoEntry &demo : m_demos)
            names << demo.name;
        QVERIFY2(names == (QStringList{"induction", "grammar", "shapes"}), qPrintable(names.join(QLatin1Char(' '))));
    }

    void everyDemoLoadsWithItsExamplesAndTour()
    {
        for (const DemoEntry &demo : m_demos) {
            const auto model = loadModel(demo.folder);
            const ModelInfo &info = model->info();
            for (const DemoExample &example : demo.examples) {
                if (info.vision) {
                    QVERIFY2(QFileInfo::exists(example.imagePath), qPrintable(example.imagePath));
                } else {
                    const auto tokenizer = tokenize::loadTokenizer(demo.folder);
                    const auto encoding = tokenizer->encode(example.text);
                    QVERIFY(int(encoding.tokens.size()) <= info.maxPositions);
                    for (const auto &token : encoding.tokens) // every word of a sample is in the vocabulary
                        QVERIFY2(token.token != QLatin1String("[UNK]"), qPrintable(example.text));
                }
            }
            for (const DemoTourStep &step : demo.tour) {
                QVERIFY(step.layer < info.layers && step.head < info.heads);
                QVERIFY(step.view.isEmpty() || workspaceViewNames().contains(step.view));
            }
            QVERIFY(QFileInfo::exists(QDir(demo.folder).filePath(QStringLiteral("README.md"))));
        }
    }

    void inductionDemoHasAnInductionAndAPreviousTokenHead()
    {
        const DemoEntry &demo = demoNamed(m_demos, QStringLiteral("induction"));
        // The heads its tour shows: layer 0's is the previous-token head, layer 1's the induction head.
        int previousHead = -1;
        int inductionHead = -1;
        for (const DemoTourStep &step : demo.tour) {
            if (step.layer == 0)
                previousHead = step.head;
            else if (step.layer == 1)
                inductionHead = step.head;
        }
        QVERIFY(previousHead >= 0 && inductionHead >= 0);
        const auto model = loadModel(demo.folder);
        const Analysis *induction = findAnalysis(QStringLiteral("induction"));
        AnalysisContext context;
        context.model = model.get();
        const AnalysisResult result = induction->run(context, AnalysisOptions(induction->name(), induction->options(),
                                                                                {{QStringLiteral("seed"), QStringLiteral("11")}}));
        const double score = result.tensors.at("induction")[1][inductionHead].item<double>();
        QVERIFY2(score >= 0.9, qPrintable(QStringLiteral("induction score of layer 1 head %1: %2").arg(inductionHead).arg(score)));
        const double previous = result.tensors.at("previous_token")[0][previousHead].item<double>();
        QVERIFY2(previous >= 0.9,
                 qPrintable(QStringLiteral("previous-token score of layer 0 head %1: %2").arg(previousHead).arg(previous)));
        // The behaviour those heads implement: the repeat is predicted from the first copy.
        const double firstCopy = result.summary[QStringLiteral("loss_first_copy")].toDouble();
        const double secondCopy = result.summary[QStringLiteral("loss_second_copy")].toDouble();
        QVERIFY2(secondCopy < 0.2 * firstCopy, qPrintable(QStringLiteral("%1 → %2 nats").arg(firstCopy).arg(secondCopy)));
    }

    void grammarDemoLinksVerbsToTheirSubjects()
    {
        const auto model = loadModel(demoNamed(m_demos, QStringLiteral("grammar")).folder);
        const AgreementMeasure measure = measureAgreement(*model, 12345, 300);
        QVERIFY2(measure.accuracy >= 0.95, qPrintable(QString::number(measure.accuracy)));
        QVERIFY2(measure.verbToSubject >= 4 * measure.uniform,
                 qPrintable(QStringLiteral("%1 vs uniform %2").arg(measure.verbToSubject).arg(measure.uniform)));
    }

    void shapesDemoNamesFreshShapesAndLooksAtThem()
    {
        const auto model = loadModel(demoNamed(m_demos, QStringLiteral("shapes")).folder);
        const ShapesMeasure measure = measureShapes(*model, shapesDemoData(), 424242, 300);
        QVERIFY2(measure.accuracy >= 0.95, qPrintable(QString::number(measure.accuracy)));
        QVERIFY2(measure.clsOnShape >= 1.5 * measure.shapeArea,
                 qPrintable(QStringLiteral("%1 on %2 of the patches").arg(measure.clsOnShape).arg(measure.shapeArea)));
    }

    void examplesMenuOpensADemoAndTheTourSelectsHeads()
    {
        MainWindow window;
        QMenu *examples = nullptr;
        for (QAction *action : window.menuBar()->actions())
            if (action->text().remove(QLatin1Char('&')) == QLatin1String("Examples"))
                examples = action->menu();
        QVERIFY(examples);
        QCOMPARE(examples->actions().size(), m_demos.size());
        QString error;
        const DemoEntry &first = m_demos.first();
        QVERIFY2(window.demos()->startDemo(first.name, &error), qPrintable(error));
        AttentionWorkspace *workspace = window.workspace();
        QVERIFY(workspace);
        QTRY_VERIFY_WITH_TIMEOUT(workspace->isReady(), 30000);
        TourPanel *tour = window.demos()->tour();
        QVERIFY(tour);
        const QList<DemoTourStep> steps = first.tour;
        for (int i = 0; i < steps.size(); ++i) {
            tour->showStep(i);
            if (steps[i].layer >= 0) {
                QCOMPARE(workspace->selection()->layer(), steps[i].layer);
                QCOMPARE(workspace->selection()->head(), steps[i].head);
            }
        }
    }
};

QTEST_MAIN(ShippedDemosTest)
#include "test_shipped_demos.moc"
