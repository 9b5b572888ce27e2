#include "ui/generation/generation_studio.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

#include "core/capture/generation_steps.h"
#include "core/io/input_error.h"
#include "core/io/model_config.h"
#include "core/tokenize/tokenizer.h"
#include "ui/generation/generation_run.h"
#include "ui/generation/generation_steps_model.h"
#include "ui/generation/sampling_panel.h"
#include "ui/generation/step_candidates_chart.h"
#include "ui/generation/step_row_grid.h"
#include "ui/views/color_scale_bar.h"
#include "ui/views/colored_tokens.h"
#include "viz/generation_step_painter.h"

namespace attnscope {

bool generatesText(const QString &modelDir)
{
    try {
        const ModelConfig config = ModelConfig::load(modelDir);
        for (const QString &architecture : config.architectures())
            if (architecture.endsWith(QLatin1String("ForCausalLM")) || architecture.endsWith(QLatin1String("LMHeadModel")))
                return true;
        return config.modelType() == QLatin1String("gpt2");
    } catch (const InputError &) {
        return false;
    }
}

GenerationStudio::GenerationStudio(const QString &modelDir, QWidget *parent)
    : QWidget(parent), m_modelDir(modelDir), m_run(new GenerationRun(this)), m_model(new GenerationStepsModel(this))
{
    setObjectName(QStringLiteral("generationStudio"));
    QWidget *controls = buildControls();
    m_candidates = new StepCandidatesChart(m_model, this);
    m_grid = new StepRowGrid(m_model, this);
    m_text = new ColoredTokens;
    m_text->setObjectName(QStringLiteral("generatedText"));
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(m_text);
    m_textScale = new ColorScaleBar(this);
    auto *textRow = new QWidget(this);
    auto *textLayout = new QHBoxLayout(textRow);
    textLayout->setContentsMargins(0, 0, 0, 0);
    textLayout->addWidget(scroll, 1);
    textLayout->addWidget(m_textScale);
    textRow->setMinimumHeight(fontMetrics().height() * 7); // room for a few lines and a legible scale
    auto *upper = new QSplitter(Qt::Horizontal, this);
    upper->addWidget(m_candidates);
    upper->addWidget(m_grid);
    upper->setSizes({420, 520});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(controls);
    layout->addWidget(upper, 5); // the step first; the text below wraps and scrolls
    layout->addWidget(textRow, 2);

    connect(m_run, &GenerationRun::progress, this, [this](int written, int budget) {
        m_progress->setRange(0, budget);
        m_progress->setValue(written);
        m_status->setText(tr("%1 of at most %2 tokens written…").arg(written).arg(budget));
    });
    connect(m_run, &GenerationRun::finished, this, &GenerationStudio::onFinished);
    connect(m_run, &GenerationRun::failed, this, [this](const QString &message) {
        setGenerating(false);
        m_status->setText(message);
        Q_EMIT failed(message);
    });
    connect(m_sampling, &SamplingPanel::settingsChanged, this,
            [this] { m_model->setShownSettings(m_sampling->settings()); });
    connect(m_slider, &QSlider::valueChanged, m_model, &GenerationStepsModel::setStep);
    connect(m_model, &GenerationStepsModel::pictureChanged, this, &GenerationStudio::refreshStep);
    connect(m_model, &GenerationStepsModel::headChanged, this, &GenerationStudio::refreshText);
    connect(m_model, &GenerationStepsModel::pickedChanged, this, &GenerationStudio::refreshStep);
    connect(m_candidates, &StepCandidatesChart::candidatePicked, m_model, &GenerationStepsModel::setPicked);
    for (const auto &[key, delta] : {std::pair{Qt::Key_Left, -1}, std::pair{Qt::Key_Right, 1}}) {
        auto *shortcut = new QShortcut(QKeySequence(key), this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, [this, d = delta] {
            if (m_model->hasSteps())
                m_model->setStep(m_model->step() + d);
        });
    }
    m_model->setShownSettings(m_sampling->settings());
    setGenerating(false);
    refreshStep();
}

GenerationStudio::~GenerationStudio() = default;

QWidget *GenerationStudio::buildControls()
{
    auto *controls = new QWidget(this);
    auto *rows = new QVBoxLayout(controls);
    rows->setContentsMargins(0, 0, 0, 0);
    auto *first = new QHBoxLayout;
    m_prompt = new QLineEdit(controls);
    m_prompt->setObjectName(QStringLiteral("generationPrompt"));
    m_prompt->setPlaceholderText(tr("A prompt to continue, e.g. Once upon a time"));
    auto *promptLabel = new QLabel(tr("P&rompt"), controls);
    promptLabel->setBuddy(m_prompt);
    m_budget = new QSpinBox(controls);
    m_budget->setObjectName(QStringLiteral("maxNewTokens"));
    m_budget->setRange(1, 1024);
    m_budget->setValue(20);
    m_budget->setToolTip(tr("Tokens to write at most (fewer when the model writes its end-of-text token)"));
    auto *budgetLabel = new QLabel(tr("ne&w tokens"), controls);
    budgetLabel->setBuddy(m_budget);
    m_generate = new QPushButton(tr("&Generate"), controls);
    m_generate->setObjectName(QStringLiteral("generateButton"));
    m_stop = new QPushButton(tr("S&top"), controls);
    m_stop->setToolTip(tr("End after the token being written; the steps so far stay"));
    first->addWidget(promptLabel);
    first->addWidget(m_prompt, 1);
    first->addWidget(budgetLabel);
    first->addWidget(m_budget);
    first->addWidget(m_generate);
    first->addWidget(m_stop);
    rows->addLayout(first);

    auto *second = new QHBoxLayout;
    m_sampling = new SamplingPanel(controls);
    m_export = new QPushButton(tr("E&xport…"), controls);
    m_export->setToolTip(tr("This step as a figure (PNG, SVG, PDF), with the attnscope-cli line that draws it"));
    second->addWidget(m_sampling);
    second->addStretch(1);
    second->addWidget(m_export);
    rows->addLayout(second);

    auto *third = new QHBoxLayout;
    m_slider = new QSlider(Qt::Horizontal, controls);
    m_slider->setObjectName(QStringLiteral("stepSlider"));
    m_slider->setPageStep(1);
    m_slider->setToolTip(tr("The step shown (← and → step through them)"));
    m_stepLabel = new QLabel(controls);
    m_stepLabel->setObjectName(QStringLiteral("stepLabel"));
    m_stepLabel->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("Step 888 of 888")));
    m_continue = new QPushButton(tr("&Continue from here"), controls);
    m_continue->setObjectName(QStringLiteral("continueButton"));
    m_continue->setToolTip(tr("Write the candidate you clicked at this step instead, and generate on from there"));
    auto *stepLabel = new QLabel(tr("Step"), controls);
    third->addWidget(stepLabel);
    third->addWidget(m_slider, 1);
    third->addWidget(m_stepLabel);
    third->addWidget(m_continue);
    rows->addLayout(third);

    m_progress = new QProgressBar(controls);
    m_status = new QLabel(controls);
    m_status->setObjectName(QStringLiteral("generationStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *fourth = new QHBoxLayout;
    fourth->addWidget(m_progress);
    fourth->addWidget(m_status, 1);
    rows->addLayout(fourth);

    connect(m_generate, &QPushButton::clicked, this, &GenerationStudio::generate);
    connect(m_prompt, &QLineEdit::returnPressed, this, &GenerationStudio::generate);
    connect(m_stop, &QPushButton::clicked, this, &GenerationStudio::stop);
    connect(m_continue, &QPushButton::clicked, this, &GenerationStudio::continueFromHere);
    connect(m_export, &QPushButton::clicked, this, &GenerationStudio::exportFigure);
    return controls;
}

void GenerationStudio::setPrompt(const QString &prompt) { m_prompt->setText(prompt); }
QString GenerationStudio::prompt() const { return m_prompt->text(); }
void GenerationStudio::setMaxNewTokens(int tokens) { m_budget->setValue(tokens); }
int GenerationStudio::maxNewTokens() const { return m_budget->value(); }
bool GenerationStudio::isGenerating() const { return m_run->isRunning() || m_stop->isEnabled(); }
QString GenerationStudio::status() const { return m_status->text(); }

void GenerationStudio::generate()
{
    if (m_modelDir.isEmpty()) {
        m_status->setText(tr("Open the model folder to generate; a steps file only shows its steps."));
        return;
    }
    if (m_prompt->text().isEmpty()) {
        m_status->setText(tr("Type a prompt first."));
        return;
    }
    m_branching = false;
    m_generatedPrompt = m_prompt->text();
    m_generatedBudget = m_budget->value();
    setGenerating(true);
    m_status->setText(tr("Loading the model…"));
    m_run->start(m_modelDir, m_generatedPrompt, m_generatedBudget, m_sampling->settings());
}

void GenerationStudio::stop()
{
    m_run->stop();
}

void GenerationStudio::continueFromHere()
{
    const std::shared_ptr<const GenerationSteps> steps = m_model->steps();
    if (!steps || m_model->picked() < 0 || steps->model.isEmpty() || isGenerating())
        return;
    m_branching = true;
    m_generatedBudget = m_budget->value();
    setGenerating(true);
    m_status->setText(tr("Writing %1 at step %2 and generating on…")
                          .arg(steps->tokenText(m_model->picked())).arg(m_model->step() + 1));
    m_run->branch(steps, m_model->step(), m_model->picked(), m_generatedBudget, m_sampling->settings());
}

void GenerationStudio::setGenerating(bool generating)
{
    m_generate->setEnabled(!generating);
    m_stop->setEnabled(generating);
    m_progress->setVisible(generating);
    if (generating)
        m_progress->setRange(0, 0);
    m_continue->setEnabled(!generating && m_model->picked() >= 0 && !m_modelDir.isEmpty());
}

void GenerationStudio::onFinished()
{
    setGenerating(false);
    const std::shared_ptr<const GenerationSteps> steps = m_run->result();
    if (!steps)
        return;
    m_file.clear();
    // A branch opens at the step written by hand; a new generation at its first step.
    m_model->setSteps(steps, m_branching ? steps->branchedAt : 0);
    const std::vector<int64_t> added(steps->ids.begin() + steps->promptTokens, steps->ids.end());
    m_status->setText(tr("%1 tokens written (%2)%3.").arg(steps->steps()).arg(samplingCaption(steps->sampling))
                          .arg(steps->steps() < m_generatedBudget && !m_branching ? tr(", ended early") : QString()));
    Q_EMIT generated();
}

void GenerationStudio::showSteps(std::shared_ptr<const GenerationSteps> steps, const QString &file)
{
    m_file = file;
    m_branching = false;
    m_generatedBudget = steps->steps();
    m_budget->setValue(std::max(1, steps->steps()));
    m_generatedPrompt.clear();
    if (steps->tokenizer && m_prompt->text().isEmpty()) { // the file's prompt, ready to generate again
        const std::vector<int64_t> prompt(steps->ids.begin(), steps->ids.begin() + steps->promptTokens);
        m_prompt->setText(steps->tokenizer->decode(prompt));
    }
    {
        const QSignalBlocker block(m_sampling); // the file's settings, without a redraw at each field
        m_sampling->setSettings(steps->sampling);
    }
    m_model->setShownSettings(m_sampling->settings());
    m_model->setSteps(std::move(steps), 0);
    m_status->setText(tr("%1 steps from %2 (%3).").arg(m_model->stepCount()).arg(file, samplingCaption(m_model->steps()->sampling)));
    Q_EMIT generated();
}

void GenerationStudio::refreshStep()
{
    const bool has = m_model->hasSteps();
    {
        const QSignalBlocker block(m_slider);
        m_slider->setRange(0, std::max(0, m_model->stepCount() - 1));
        m_slider->setValue(has ? m_model->step() : 0);
    }
    m_slider->setEnabled(has);
    m_export->setEnabled(has);
    m_stepLabel->setText(has ? tr("Step %1 of %2").arg(m_model->step() + 1).arg(m_model->stepCount()) : tr("no steps"));
    const int64_t picked = m_model->picked();
    m_continue->setEnabled(has && picked >= 0 && !m_modelDir.isEmpty() && !m_stop->isEnabled());
    m_continue->setText(picked >= 0 && has ? tr("&Continue with %1").arg(m_model->steps()->tokenText(picked))
                                           : tr("&Continue from here"));
    refreshText();
}

void GenerationStudio::refreshText()
{
    if (!m_model->hasSteps()) {
        m_text->setTokens({}, -1, tr("The text, coloured by the row of the step shown: generate first"));
        m_textScale->hide();
        return;
    }
    const StepPicture &picture = m_model->picture();
    const HeatmapStyle &style = m_grid->style();
    const float *row = picture.row(m_model->layer(), m_model->head());
    std::vector<ColoredToken> tokens;
    tokens.reserve(size_t(picture.keys()) + 1);
    for (int key = 0; key < picture.keys(); ++key)
        tokens.push_back({picture.keyLabels[key], style.colorOf(row[key]),
                          tr("position %1: weight %2").arg(key).arg(row[key], 0, 'g', 4)});
    tokens.push_back({picture.written, kWrittenTokenColor, tr("written at step %1").arg(picture.step + 1)});
    m_text->setTokens(std::move(tokens), int(picture.query),
                      tr("Layer %1, head %2: what position %3 (framed) attended to when writing %4 (orange)")
                          .arg(m_model->layer()).arg(m_model->head()).arg(picture.query).arg(picture.written));
    m_textScale->setScale(style, tr("attention weight"));
    m_textScale->show();
}

} // namespace attnscope
