// The generation studio on stories260K: Generate writes the steps in a worker; scrubbing shows
// for each step the candidates of samplingDistribution of its saved logits (checked against a
// plain-loop softmax(logits / τ) with the top-k and top-p masks, at the settings and after the
// sampling panel changes them), the row that chose its token equal to the engine's own capture
// in every layer and head, and the text coloured by the head clicked in the grid. "Continue
// from here" keeps the ids before the step, writes the candidate clicked, and generates on;
// Stop ends a long generation early; a steps file opens in the Generate tab.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QPushButton>
#include <QSlider>

#include <torch/torch.h>

#include "core/capture/generation_steps.h"
#include "core/io/model_config.h"
#include "core/io/safetensors_writer.h"
#include "core/models/generation.h"
#include "core/models/model.h"
#include "core/tokenize/tokenizer.h"
#include "ui/attention_workspace.h"
#include "ui/export_figure_dialog.h"
#include "ui/generation/generation_studio.h"
#include "ui/generation/generation_steps_model.h"
#include "ui/generation/sampling_panel.h"
#include "ui/generation/step_candidates_chart.h"
#include "ui/generation/step_row_grid.h"
#include "ui/mainwindow.h"
#include "ui/views/colored_tokens.h"
#include "viz/generation_step_painter.h"

using namespace attnscope;

namespace {

const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
const QString kPrompt = QStringLiteral("Once upon a time");
constexpr int kSteps = 8;

// softmax(logits / τ); then the tokens under the k-th probability dropped; then those past the
// smallest most-likely set reaching p (the most likely always kept); renormalized each time.
std::vector<double> referenceDistribution(const torch::Tensor &logits, double temperature, int64_t topK, double topP)
{
    const torch::Tensor values = logits.to(torch::kFloat64).contiguous();
    const double *l = values.data_ptr<double>();
    const size_t n = size_t(values.numel());
    double peak = l[0];
    for (size_t i = 1; i < n; ++i)
        peak = std::max(peak, l[i]);
    std::vector<double> p(n);
    const auto normalize = [&] {
        double sum = 0;
        for (const double x : p)
            sum += x;
        for (double &x : p)
            x /= sum;
    };
    for (size_t i = 0; i < n; ++i)
        p[i] = std::exp((l[i] - peak) / temperature);
    normalize();
    std::vector<double> sorted = p;
    std::sort(sorted.begin(), sorted.end(), std::greater<double>());
    if (topK > 0 && size_t(topK) < n) {
        const double kth = sorted[size_t(topK) - 1];
        for (double &x : p)
            if (x < kth)
                x = 0;
        normalize();
    }
    if (topP < 1) {
        sorted = p;
        std::sort(sorted.begin(), sorted.end(), std::greater<double>());
        double cumulative = 0, last = sorted[0];
        for (const double x : sorted) { // keep until the kept mass reaches p
            last = x;
            cumulative += x;
            if (cumulative >= topP)
                break;
        }
        for (double &x : p)
            if (x < last)
                x = 0;
        normalize();
    }
    return p;
}

void verifyCandidates(const GenerationStudio &studio, const SamplingSettings &settings)
{
    const GenerationStepsModel &model = *studio.stepsModel();
    const StepPicture &picture = model.picture();
    const std::vector<double> expected = referenceDistribution(model.steps()->stepLogits[picture.step],
                                                               settings.temperature, settings.topK, settings.topP);
    QVERIFY(!picture.candidates.empty());
    // The bars: the most likely tokens in order, then the written token if it ranked below them.
    size_t top = picture.candidates.size();
    if (picture.chosenRank == 0 || picture.chosenRank > int64_t(top))
        --top;
    QCOMPARE(picture.candidates.back().id == picture.writtenId || top == picture.candidates.size(), true);
    for (size_t i = 0; i < picture.candidates.size(); ++i) {
        const StepCandidate &candidate = picture.candidates[i];
        QVERIFY2(std::abs(candidate.probability - expected[size_t(candidate.id)]) < 1e-9,
                 qPrintable(QStringLiteral("step %1, %2: %3 shown, %4 expected").arg(picture.step).arg(candidate.label)
                                .arg(candidate.probability).arg(expected[size_t(candidate.id)])));
        if (i > 0 && i < top)
            QVERIFY(candidate.probability <= picture.candidates[i - 1].probability + 1e-12);
    }
    // No token left out is more likely than the least likely bar.
    int64_t higher = 0;
    for (const double p : expected)
        higher += p > picture.candidates[top - 1].probability + 1e-12;
    QVERIFY(higher < int64_t(top));
    QVERIFY(std::abs(picture.chosenProbability - expected[size_t(picture.writtenId)]) < 1e-9);
    QVERIFY(studio.candidatesChart()->heading().contains(QStringLiteral("step %1 of").arg(picture.step + 1)));
}

bool waitForGenerated(GenerationStudio &studio)
{
    QSignalSpy generated(&studio, &GenerationStudio::generated);
    QSignalSpy failed(&studio, &GenerationStudio::failed);
    return generated.wait(120000) && failed.isEmpty();
}

} // namespace

class TestGenerationStudio : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo::exists(kStories + QStringLiteral("/config.json")))
            QSKIP("shared test data absent: no ../shared/models/stories260K");
        QVERIFY(generatesText(kStories));
        m_studio = std::make_unique<GenerationStudio>(kStories);
        m_studio->resize(1000, 700);
        m_studio->show();
        m_studio->setPrompt(kPrompt);
        m_studio->setMaxNewTokens(kSteps);
        m_studio->generate();
        QVERIFY2(waitForGenerated(*m_studio), qPrintable(m_studio->status()));
    }

    void generatesTheStepsTheEngineWrites()
    {
        const auto model = loadModel(kStories);
        const auto tokenizer = tokenize::loadTokenizer(kStories);
        GenerationRequest request;
        request.promptIds = torch::tensor(tokenizer->encode(kPrompt).ids(), torch::kInt64);
        request.maxNewTokens = kSteps;
        request.stopIds = stopIdsOf(ModelConfig::load(kStories));
        request.captureAttention = true;
        const Generation engine = generate(*model, request, {});
        const GenerationSteps &shown = *m_studio->stepsModel()->steps();
        QVERIFY(shown.ids == engine.ids);
        QCOMPARE(shown.steps(), kSteps);
        // Each step's row as shown, in every layer and head, is the engine's captured row.
        GenerationStepsModel *steps = m_studio->stepsModel();
        for (int step = 0; step < kSteps; ++step) {
            m_studio->stepSlider()->setValue(step);
            const StepPicture &picture = steps->picture();
            QCOMPARE(picture.step, step);
            QCOMPARE(picture.writtenId, engine.ids[size_t(engine.promptTokens + step)]);
            const int64_t query = engine.promptTokens + step - 1;
            QCOMPARE(picture.query, query);
            QCOMPARE(picture.keys(), int(query + 1));
            for (int layer = 0; layer < picture.layers; ++layer)
                for (int head = 0; head < picture.heads; ++head)
                    for (int key = 0; key <= query; ++key)
                        QVERIFY(std::abs(picture.row(layer, head)[key]
                                         - engine.attentions[layer][head][query][key].item<float>()) < 1e-6);
        }
    }

    void scrubbingShowsEachStepsDistribution()
    {
        SamplingSettings greedy;
        QSlider *slider = m_studio->stepSlider();
        slider->setValue(0);
        slider->setFocus();
        for (int step = 0; step < kSteps; ++step) {
            QCOMPARE(m_studio->stepsModel()->step(), step);
            verifyCandidates(*m_studio, greedy);
            QCOMPARE(m_studio->stepsModel()->picture().chosenRank, int64_t(1)); // greedy writes the most likely
            QTest::keyClick(slider, Qt::Key_Right);
        }
        QCOMPARE(m_studio->stepsModel()->step(), kSteps - 1); // → stops at the last step
    }

    void samplingPanelRedrawsTheDistribution_data()
    {
        QTest::addColumn<double>("temperature");
        QTest::addColumn<int>("topK");
        QTest::addColumn<double>("topP");
        QTest::newRow("hot") << 2.5 << 0 << 1.0;
        QTest::newRow("cold") << 0.3 << 0 << 1.0;
        QTest::newRow("top-k") << 1.0 << 5 << 1.0;
        QTest::newRow("top-p") << 1.2 << 0 << 0.8;
        QTest::newRow("all three") << 0.7 << 20 << 0.9;
    }
    void samplingPanelRedrawsTheDistribution()
    {
        QFETCH(double, temperature);
        QFETCH(int, topK);
        QFETCH(double, topP);
        SamplingSettings settings;
        settings.greedy = false;
        settings.temperature = temperature;
        settings.topK = topK;
        settings.topP = topP;
        m_studio->samplingPanel()->setSettings(settings);
        for (const int step : {0, 3, kSteps - 1}) {
            m_studio->stepSlider()->setValue(step);
            verifyCandidates(*m_studio, settings);
        }
        QVERIFY(m_studio->candidatesChart()->heading().contains(QStringLiteral("τ %1").arg(temperature)));
        m_studio->samplingPanel()->setSettings(SamplingSettings());
    }

    // Clicking a strip of the grid colours the text by that layer and head, in the grid's colours.
    void gridClickColoursTheText()
    {
        m_studio->stepSlider()->setValue(4);
        StepRowGrid *grid = m_studio->rowGrid();
        const StepPicture &picture = m_studio->stepsModel()->picture();
        const QRectF cell = rowGridCellRect(grid->gridRect(), picture, grid->font(), 3, 6);
        QTest::mouseClick(grid, Qt::LeftButton, {}, cell.center().toPoint());
        QCOMPARE(m_studio->stepsModel()->layer(), 3);
        QCOMPARE(m_studio->stepsModel()->head(), 6);
        const std::vector<ColoredToken> &tokens = m_studio->coloredText()->tokens();
        QCOMPARE(int(tokens.size()), picture.keys() + 1); // the keys, then the token written
        for (int key = 0; key < picture.keys(); ++key)
            QCOMPARE(tokens[size_t(key)].background, grid->style().colorOf(picture.row(3, 6)[key]));
        QCOMPARE(tokens.back().text, picture.written);
        QVERIFY(m_studio->coloredText()->header().contains(QStringLiteral("Layer 3, head 6")));
    }

    void continueFromHereKeepsThePrefix()
    {
        const auto before = m_studio->stepsModel()->steps();
        const int step = 2;
        m_studio->stepSlider()->setValue(step);
        StepCandidatesChart *chart = m_studio->candidatesChart();
        const StepPicture &picture = m_studio->stepsModel()->picture();
        QVERIFY(picture.candidates.size() >= 2);
        const int64_t second = picture.candidates[1].id; // the runner-up, not the token written
        QTest::mouseClick(chart, Qt::LeftButton, {}, chart->candidateRect(1).center().toPoint());
        QCOMPARE(m_studio->stepsModel()->picked(), second);
        QVERIFY(m_studio->continueButton()->isEnabled());
        m_studio->continueButton()->click();
        QVERIFY2(waitForGenerated(*m_studio), qPrintable(m_studio->status()));
        const auto after = m_studio->stepsModel()->steps();
        const size_t branch = size_t(before->writtenPosition(step));
        QVERIFY(std::equal(before->ids.begin(), before->ids.begin() + long(branch), after->ids.begin()));
        QCOMPARE(after->ids[branch], second);
        QCOMPARE(after->promptTokens, before->promptTokens);
        QCOMPARE(after->steps(), kSteps);
        QCOMPARE(after->branchedAt, step);
        QVERIFY(torch::equal(after->stepLogits.slice(0, 0, step + 1), before->stepLogits.slice(0, 0, step + 1)));
        QCOMPARE(m_studio->stepsModel()->step(), step); // shown at the step written by hand
        QCOMPARE(m_studio->stepsModel()->picture().writtenId, second);
        QVERIFY(m_studio->figureSourcePath().isEmpty()); // no command draws a branch again
    }

    void stopEndsALongGeneration()
    {
        m_studio->setMaxNewTokens(400);
        m_studio->generate();
        m_studio->stop();
        QVERIFY2(waitForGenerated(*m_studio), qPrintable(m_studio->status()));
        QVERIFY(m_studio->stepsModel()->stepCount() < 400);
        m_studio->setMaxNewTokens(kSteps);
    }

    void exportNamesTheStep()
    {
        m_studio->generate();
        QVERIFY2(waitForGenerated(*m_studio), qPrintable(m_studio->status()));
        m_studio->stepSlider()->setValue(3);
        const auto figure = m_studio->figure(m_studio->figureRequest());
        QVERIFY2(figure->title().startsWith(QStringLiteral("stories260K · step 4 of %1 · greedy").arg(kSteps)),
                 qPrintable(figure->title()));
        QVERIFY(figure->colorbar().has_value());
        QCOMPARE(m_studio->figureSourcePath(), kStories);
        QVERIFY(m_studio->figureInputArguments().join(QLatin1Char(' ')).contains(QStringLiteral("--step 4")));
        // The page dialog of Export… draws it and gives the attnscope-cli line that draws it again.
        ExportFigureDialog dialog(m_studio->figureRequest(), [this](const FigureRequest &request) { return m_studio->figure(request); },
                                  m_studio->figureSourcePath(), m_studio->figureInputArguments());
        const QString command = dialog.command(QStringLiteral("step.png"));
        for (const char *part : {"render", "stories260K", "--text 'Once upon a time'", "--max-new-tokens 8", "--greedy",
                                 "--step 4", "--view generation", "--layer", "--out step.png"})
            QVERIFY2(command.contains(QLatin1String(part)), qPrintable(command));
        QTemporaryDir dir;
        QString error;
        QVERIFY2(dialog.exportTo(dir.filePath(QStringLiteral("step.png")), &error), qPrintable(error));
        QVERIFY(!QImage(dir.filePath(QStringLiteral("step.png"))).isNull());
    }

    // A steps file (as generate --out writes it) opens in the Generate tab, its steps as saved.
    void opensAStepsFile()
    {
        const GenerationSteps &steps = *m_studio->stepsModel()->steps();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("steps.safetensors"));
        QJsonArray tokens;
        for (const QString &token : steps.tokens)
            tokens << token;
        SamplingSettings sampled;
        sampled.greedy = false;
        sampled.temperature = 0.8;
        sampled.seed = 5;
        writeSafetensors(path,
                         {{"attentions", steps.attentions},
                          {"step_logits", steps.stepLogits},
                          {"input_ids", torch::tensor(steps.ids, torch::kInt64)}},
                         {{QStringLiteral("tokens"), QString::fromUtf8(QJsonDocument(tokens).toJson(QJsonDocument::Compact))},
                          {QStringLiteral("model"), kStories},
                          {QStringLiteral("prompt_tokens"), QString::number(steps.promptTokens)},
                          {QStringLiteral("sampling"), samplingSettingsJson(sampled)}});
        MainWindow window;
        QString error;
        QVERIFY2(window.openPath(path, &error), qPrintable(error));
        QVERIFY(window.workspace()->generationStudio());
        QCOMPARE(window.workspace()->frontViewName(), QStringLiteral("generation"));
        GenerationStudio &opened = *window.workspace()->generationStudio();
        const GenerationSteps &read = *opened.stepsModel()->steps();
        QVERIFY(read.ids == steps.ids);
        QCOMPARE(read.promptTokens, steps.promptTokens);
        QVERIFY(torch::equal(read.stepLogits, steps.stepLogits));
        QVERIFY(torch::equal(read.attentions, steps.attentions));
        QCOMPARE(read.sampling.temperature, 0.8);
        QCOMPARE(opened.samplingPanel()->settings().temperature, 0.8); // the panel shows the file's settings
        QCOMPARE(opened.prompt(), kPrompt);
        verifyCandidates(opened, sampled);
        QCOMPARE(opened.figureSourcePath(), path);
        QCOMPARE(opened.figureInputArguments(), (QStringList{QStringLiteral("--step"), QStringLiteral("1")}));
    }

    void cleanupTestCase() { m_studio.reset(); }

private:
    std::unique_ptr<GenerationStudio> m_studio;
};

QTEST_MAIN(TestGenerationStudio)
#include "test_generation_studio.moc"
