#include "ui/attention_workspace.h"
#include "ui/attention_workspace_private.h"

#include <optional>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>
#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "core/capture/generation_steps.h"
#include "core/io/input_error.h"
#include "core/io/model_config.h"
#include "core/models/model.h"
#include "ui/attention_run.h"
#include "ui/attention_selection.h"
#include "ui/generation/generation_studio.h"
#include "ui/panels/analysis_panel.h"
#include "ui/panels/analysis_result_view.h"
#include "ui/panels/comparison_panel.h"
#include "ui/panels/image_input.h"
#include "ui/panels/variant_picker.h"
#include "ui/session_file.h"
#include "ui/views/head_view.h"
#include "ui/views/lines_view.h"
#include "ui/views/model_view.h"
#include "ui/views/neuron_view.h"
#include "ui/views/token_graph_view.h"
#include "ui/views/token_view.h"
#include "ui/views/view_frame.h"
#include "ui/views/vision_view.h"
#include "viz/tile_pyramid.h"

namespace attnscope {

namespace {

std::optional<ModelConfig> configOf(const QString &modelDir)
{
    try {
        return ModelConfig::load(modelDir);
    } catch (const InputError &) {
        return std::nullopt; // the run reports the problem
    }
}

} // namespace

AttentionWorkspace::AttentionWorkspace(const QString &modelDir, const QString &summary, QWidget *parent)
    : QWidget(parent), d(std::make_unique<Private>())
{
    d->modelDir = modelDir;
    d->run = new AttentionRun(this);
    d->shown = new ShownRun(this);
    if (const std::optional<ModelConfig> config = configOf(modelDir)) {
        d->vision = isVisionModelType(config->modelType());
        // BERT-style models embed a sentence type: they read pairs (the A→B filters).
        d->pairs = !d->vision && config->integer(QStringLiteral("type_vocab_size"), 0) >= 2;
    }
    QWidget *controls = buildControls();
    auto *modelLabel = new QLabel(tr("<b>%1</b><br>%2").arg(QFileInfo(modelDir).fileName().toHtmlEscaped(), summary.toHtmlEscaped()), controls);
    modelLabel->setWordWrap(true);
    modelLabel->setToolTip(QDir::toNativeSeparators(modelDir));
    static_cast<QVBoxLayout *>(controls->layout())->insertWidget(0, modelLabel);
    auto *splitter = new QSplitter(this);
    splitter->addWidget(controls);
    splitter->addWidget(buildViews());
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({260, 900});
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    setRunning(false);
    d->layer->setEnabled(false);
    d->head->setEnabled(false);
    connect(d->runButton, &QPushButton::clicked, this, &AttentionWorkspace::startRun);
    connect(d->cancelButton, &QPushButton::clicked, this, &AttentionWorkspace::cancelRun);
    connect(d->run, &AttentionRun::progress, this, [this](int done, int total) {
        d->progress->setRange(0, total);
        d->progress->setValue(done);
    });
    connect(d->run, &AttentionRun::finished, this, &AttentionWorkspace::onRunFinished);
    connect(d->run, &AttentionRun::failed, this, [this](const QString &message) {
        setRunning(false);
        d->status->setText(message);
    });
    connect(d->run, &AttentionRun::cancelled, this, [this] {
        setRunning(false);
        d->status->setText(tr("Cancelled."));
    });
    connect(d->compare, &QCheckBox::toggled, d->picker, &QWidget::setEnabled);
    connect(d->comparedMap, &QComboBox::currentIndexChanged, this,
            [this](int index) { d->shown->setMap(ComparedMap(index)); });
    for (QComboBox *box : {d->colormap, d->scale})
        connect(box, &QComboBox::currentIndexChanged, this, [this] { displayHead(d->selection->layer(), d->selection->head()); });
    connect(d->comparison, &ComparisonPanel::headChosen, this, &AttentionWorkspace::showHead);
    connect(d->analyses, &AnalysisPanel::headChosen, this, &AttentionWorkspace::showHead);
    const auto showSelected = [this] { showHead(d->layer->value(), d->head->value()); };
    connect(d->layer, &QSpinBox::valueChanged, this, showSelected);
    connect(d->head, &QSpinBox::valueChanged, this, showSelected);
    connect(d->shown, &ShownRun::shownChanged, this, &AttentionWorkspace::showShownRun);
    connectSelection();
    connectStaleness();
    connect(d->headView, &HeadView::overviewReady, this, [this] {
        if (!d->ready && !d->runInFlight) {
            d->ready = true;
            Q_EMIT ready();
        }
    });
    updateCaptions();
}

AttentionWorkspace::~AttentionWorkspace() = default;

QWidget *AttentionWorkspace::buildControls()
{
    auto *controls = new QWidget(this);
    auto *form = new QVBoxLayout(controls);
    form->addWidget(new QLabel(d->vision ? tr("Input image") : d->pairs ? tr("Input text (sentence A)") : tr("Input text"), controls));
    d->text = new QPlainTextEdit(controls);
    d->text->setObjectName(QStringLiteral("inputText"));
    d->text->setPlaceholderText(tr("Type a text, then Run (Ctrl+Return)"));
    form->addWidget(d->text, 1);
    d->textPair = new QPlainTextEdit(controls);
    d->textPair->setObjectName(QStringLiteral("inputTextPair"));
    d->textPair->setPlaceholderText(tr("Sentence B (optional): the model reads the two as a pair"));
    form->addWidget(d->textPair, 1);
    d->imageInput = new ImageInput(controls);
    form->addWidget(d->imageInput, 1);
    d->text->setVisible(!d->vision);
    d->textPair->setVisible(d->pairs);
    d->imageInput->setVisible(d->vision);
    connect(d->imageInput, &ImageInput::pathChosen, this, &AttentionWorkspace::startRun);
    auto *buttons = new QHBoxLayout;
    d->runButton = new QPushButton(tr("&Run"), controls);
    d->runButton->setObjectName(QStringLiteral("runButton"));
    d->runButton->setShortcut(QKeySequence(tr("Ctrl+Return")));
    d->cancelButton = new QPushButton(tr("Cancel"), controls);
    buttons->addWidget(d->runButton);
    buttons->addWidget(d->cancelButton);
    form->addLayout(buttons);
    d->progress = new QProgressBar(controls);
    form->addWidget(d->progress);
    d->status = new QLabel(controls);
    d->status->setObjectName(QStringLiteral("status"));
    d->status->setWordWrap(true);
    d->status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addWidget(d->status);
    auto *selection = new QFormLayout;
    d->layer = new QSpinBox(controls);
    d->layer->setObjectName(QStringLiteral("layer"));
    d->head = new QSpinBox(controls);
    d->head->setObjectName(QStringLiteral("head"));
    selection->addRow(tr("&Layer"), d->layer);
    selection->addRow(tr("&Head"), d->head);
    form->addLayout(selection);
    d->compare = new QCheckBox(tr("Compare with a &variant"), controls);
    form->addWidget(d->compare);
    d->picker = new VariantPicker(controls);
    d->picker->setEnabled(false);
    form->addWidget(d->picker);
    d->comparedMap = new QComboBox(controls);
    d->comparedMap->setObjectName(QStringLiteral("comparedMap"));
    d->comparedMap->addItems({tr("Reference"), tr("Variant"), tr("Variant − reference")});
    d->comparedMap->setCurrentIndex(int(ComparedMap::Variant));
    d->comparedMap->setToolTip(tr("What every view shows after a comparison"));
    d->comparedMap->setEnabled(false);
    d->colormap = new QComboBox(controls);
    d->colormap->setObjectName(QStringLiteral("colormap"));
    d->colormap->addItems(Colormap::names());
    d->scale = new QComboBox(controls);
    d->scale->setObjectName(QStringLiteral("scale"));
    d->scale->addItems(scaleKindNames());
    d->scale->setToolTip(tr("log and gamma lift the small weights"));
    auto *colors = new QHBoxLayout;
    colors->addWidget(d->colormap, 1);
    colors->addWidget(d->scale, 1);
    selection = new QFormLayout;
    selection->addRow(tr("&Show"), d->comparedMap);
    auto *colorsLabel = new QLabel(tr("C&olors"), controls);
    colorsLabel->setBuddy(d->colormap);
    selection->addRow(colorsLabel, colors);
    form->addLayout(selection);
    return controls;
}

QWidget *AttentionWorkspace::buildViews()
{
    d->headView = new HeadView(this);
    d->referenceView = new HeadView(this);
    d->referenceView->setObjectName(QStringLiteral("referenceView"));
    d->referenceView->setToolTip(tr("The reference (softmax) attention of the same head"));
    d->referenceView->hide();
    auto *maps = new QSplitter(this);
    maps->addWidget(d->referenceView);
    maps->addWidget(d->headView);
    d->maps = maps;
    d->comparison = new ComparisonPanel(this);
    d->analyses = new AnalysisPanel(d->run, this);
    d->tokenView = new TokenView(this);
    d->neuronView = new NeuronView(this);
    d->modelView = new ModelView(this);
    d->linesView = new LinesView(this);
    d->graphView = new TokenGraphView(this);
    d->visionView = new VisionView(this);
    d->lowerTabs = new QTabWidget(this);
    d->lowerTabs->addTab(d->addFrame(QStringLiteral("token"), d->tokenView, this), tr("Token"));
    d->lowerTabs->addTab(d->addFrame(QStringLiteral("neuron"), d->neuronView, this), tr("Neuron"));
    d->lowerTabs->addTab(d->addFrame(QStringLiteral("analyses"), d->analyses, this), tr("Analyses"));
    d->lowerTabs->addTab(d->comparison, tr("Variant comparison"));
    d->lowerTabs->hide();
    d->upperTabs = new QTabWidget(this);
    d->upperTabs->addTab(d->addFrame(QStringLiteral("head"), maps, this), tr("&Head"));
    d->upperTabs->addTab(d->addFrame(QStringLiteral("model"), d->modelView, this), tr("&Model"));
    d->upperTabs->addTab(d->addFrame(QStringLiteral("lines"), d->linesView, this), tr("Li&nes"));
    d->upperTabs->addTab(d->addFrame(QStringLiteral("graph"), d->graphView, this), tr("&Graph"));
    ViewFrame *image = d->addFrame(QStringLiteral("image"), d->visionView, this);
    if (d->vision) {
        d->upperTabs->insertTab(0, image, tr("&Image"));
        d->upperTabs->setCurrentIndex(0);
        d->compare->setEnabled(false); // variants compare next-token outputs of text models
    } else {
        image->hide();
    }
    if (!d->vision && generatesText(d->modelDir))
        addGenerationTab(d->modelDir);
    d->frontView = d->vision ? QStringLiteral("image") : QStringLiteral("head");
    for (QTabWidget *tabs : {d->upperTabs, d->lowerTabs})
        connect(tabs, &QTabWidget::currentChanged, this, [this, tabs] {
            const QString name = d->viewNameOf(tabs->currentWidget());
            if (!name.isEmpty())
                d->frontView = name;
            if (d->behind.contains(name))
                followSelection(name, true);
        });
    auto *views = new QSplitter(Qt::Vertical, this);
    views->addWidget(d->upperTabs);
    views->addWidget(d->lowerTabs);
    views->setStretchFactor(0, 2);
    views->setStretchFactor(1, 1);
    views->setSizes({560, 320}); // the maps first; the tables and charts below
    return views;
}

// Every view follows the one selection and changes it: picking a layer, head or token
// anywhere updates all of them.
void AttentionWorkspace::connectSelection()
{
    d->selection = new AttentionSelection(this);
    AttentionSelection *selection = d->selection;
    connect(selection, &AttentionSelection::headChanged, this, &AttentionWorkspace::displayHead);
    connect(selection, &AttentionSelection::tokenChanged, this, [this](int query, int key) {
        d->headView->setSelectedCell(query, key);
        d->referenceView->setSelectedCell(query, key);
        for (const char *view : {"token", "neuron", "lines", "graph"})
            followSelection(QLatin1String(view), false);
        updateCaptions();
    });
    for (HeadView *view : {d->headView, d->referenceView}) {
        connect(view, &HeadView::cellClicked, selection, [selection](qint64 row, qint64 col) {
            selection->selectCell(int(row), int(col));
        });
        connect(view, &HeadView::stepRequested, selection, &AttentionSelection::step);
    }
    connect(d->modelView, &ModelView::stepRequested, selection, &AttentionSelection::step);
    connect(d->modelView, &ModelView::headClicked, this, [this](int layer, int head) {
        showHead(layer, head);
        showView(QStringLiteral("head"));
        d->headView->setFocus();
    });
    connect(d->tokenView, &TokenView::tokenPicked, selection, [this, selection](int token) {
        if (d->tokenView->direction() == TokenView::Direction::FromQuery)
            selection->selectQuery(token);
        else
            selection->selectKey(token);
    });
    connect(d->neuronView, &NeuronView::pairPicked, selection, &AttentionSelection::selectCell);
    connect(d->analyses, &AnalysisPanel::scoreShown, d->modelView, &ModelView::setBadges);
    connect(selection, &AttentionSelection::headChanged, d->analyses->resultView(), &AnalysisResultView::followHead);
    connect(d->graphView, &TokenGraphView::ready, this, &AttentionWorkspace::updateCaptions); // drawing or edges changed
    // One palette per quantity: the token text takes the head map's colours and per-row choice.
    connect(d->headView, &HeadView::colorsChanged, this, [this] {
        if (!d->shown->isDifference())
            d->tokenView->setColors(d->headView->style(), d->headView->isRowNormalized());
    });
    connect(d->headView, &HeadView::rowNormalizationChanged, d->tokenView, &TokenView::setRowNormalized);
    connect(d->headView, &HeadView::rowNormalizationChanged, d->referenceView, &HeadView::setRowNormalized);
    connect(d->tokenView, &TokenView::rowNormalizationChanged, d->headView, &HeadView::setRowNormalized);
}

// Editing the input or the variant after a run makes every view say so until the next run.
void AttentionWorkspace::connectStaleness()
{
    const auto inputChanged = [this] { d->shown->setCurrentInput(currentInput()); };
    connect(d->text, &QPlainTextEdit::textChanged, this, inputChanged);
    connect(d->textPair, &QPlainTextEdit::textChanged, this, inputChanged);
    connect(d->compare, &QCheckBox::toggled, this, inputChanged);
    connect(d->picker, &VariantPicker::specChanged, this, inputChanged);
    connect(d->imageInput, &ImageInput::pathChosen, this, inputChanged);
    connect(d->shown, &ShownRun::staleChanged, this, [this](bool stale) {
        // The Run button stands out while the views are out of date.
        d->runButton->setStyleSheet(stale ? QStringLiteral("QPushButton { background: #ffe08a; font-weight: bold; }") : QString());
        updateCaptions();
    });
}

RunInput AttentionWorkspace::currentInput() const
{
    RunInput input;
    if (!d->attentionFile.isEmpty()) {
        input.attentionFile = d->attentionFile;
        return input;
    }
    if (d->vision)
        input.image = imagePath();
    else
        input.text = text();
    if (d->pairs)
        input.textPair = textPair();
    if (d->compare->isChecked())
        input.variantSpec = d->picker->spec();
    return input;
}

QStringList workspaceViewNames()
{
    return {QStringLiteral("head"), QStringLiteral("model"), QStringLiteral("lines"), QStringLiteral("graph"),
            QStringLiteral("image"), QStringLiteral("token"), QStringLiteral("neuron"), QStringLiteral("analyses"),
            QStringLiteral("generation")};
}

void AttentionWorkspace::showView(const QString &name)
{
    ViewFrame *frame = d->frameOf(name);
    if (!frame)
        return;
    for (QTabWidget *tabs : {d->upperTabs, d->lowerTabs})
        if (tabs->indexOf(frame) >= 0)
            tabs->setCurrentWidget(frame);
    d->frontView = name;
}

QString AttentionWorkspace::frontViewName() const { return d->frontView; }
AttentionSelection *AttentionWorkspace::selection() const { return d->selection; }
ShownRun *AttentionWorkspace::shownRun() const { return d->shown; }
ViewFrame *AttentionWorkspace::frame(const QString &view) const { return d->frameOf(view); }
ModelView *AttentionWorkspace::modelView() const { return d->modelView; }
LinesView *AttentionWorkspace::linesView() const { return d->linesView; }
TokenGraphView *AttentionWorkspace::graphView() const { return d->graphView; }
VisionView *AttentionWorkspace::visionView() const { return d->visionView; }
NeuronView *AttentionWorkspace::neuronView() const { return d->neuronView; }
bool AttentionWorkspace::isVision() const { return d->vision; }
void AttentionWorkspace::setImage(const QString &path)
{
    d->imageInput->setPath(path);
    d->shown->setCurrentInput(currentInput());
}
QString AttentionWorkspace::imagePath() const { return d->imageInput->path(); }
void AttentionWorkspace::setText(const QString &text) { d->text->setPlainText(text); }
QString AttentionWorkspace::text() const { return d->text->toPlainText(); }
void AttentionWorkspace::setTextPair(const QString &text) { d->textPair->setPlainText(text); }
QString AttentionWorkspace::textPair() const { return d->pairs ? d->textPair->toPlainText() : QString(); }
bool AttentionWorkspace::readsPairs() const { return d->pairs; }
int AttentionWorkspace::layer() const { return d->layer->value(); }
int AttentionWorkspace::head() const { return d->head->value(); }
AttentionRun *AttentionWorkspace::run() const { return d->run; }
HeadView *AttentionWorkspace::headView() const { return d->headView; }
HeadView *AttentionWorkspace::referenceView() const { return d->referenceView; }
AnalysisPanel *AttentionWorkspace::analysisPanel() const { return d->analyses; }
TokenView *AttentionWorkspace::tokenView() const { return d->tokenView; }
bool AttentionWorkspace::isReady() const { return d->ready; }
VariantPicker *AttentionWorkspace::variantPicker() const { return d->picker; }
void AttentionWorkspace::setComparing(bool compare) { d->compare->setChecked(compare); }
double AttentionWorkspace::tableDivergence(int layer, int head) const { return d->comparison->tableDivergence(layer, head); }
QString AttentionWorkspace::outputsText() const { return d->comparison->outputsText(); }

void AttentionWorkspace::showAttention(std::shared_ptr<const AttentionRecord> record, const QStringList &warnings)
{
    for (QWidget *input : std::initializer_list<QWidget *>{d->text, d->textPair, d->imageInput, d->runButton,
                                                           d->cancelButton, d->compare, d->picker, d->comparedMap})
        input->hide();
    d->fileWarnings = warnings;
    d->attentionFile = d->modelDir;
    d->runningInput = currentInput();
    d->run->showRecord(std::move(record));
    if (isGenerationFile(d->modelDir)) { // written by generate --out: its steps in the Generate tab
        try {
            auto steps = std::make_shared<const GenerationSteps>(loadGenerationFile(d->modelDir));
            addGenerationTab(QFileInfo(steps->model).isDir() ? steps->model : QString());
            d->studio->showSteps(std::move(steps), d->modelDir);
            showView(QStringLiteral("generation"));
        } catch (const InputError &problem) {
            d->fileWarnings << QString::fromUtf8(problem.what());
        }
    }
}

void AttentionWorkspace::addGenerationTab(const QString &modelDir)
{
    d->studio = new GenerationStudio(modelDir, this);
    // Scrolls rather than asking the other views' room for its own least size.
    auto *scroll = new QScrollArea(this);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(d->studio);
    ViewFrame *frame = d->addFrame(QStringLiteral("generation"), scroll, this);
    d->upperTabs->addTab(frame, tr("Ge&nerate"));
    // The studio has its own prompt: the input column folds away while it is in front.
    connect(d->upperTabs, &QTabWidget::currentChanged, this, [this, frame] {
        const bool front = d->upperTabs->currentWidget() == frame;
        if (front == d->studioInFront)
            return;
        d->studioInFront = front;
        if (front)
            d->sidePanelBeforeStudio = isSidePanelShown();
        setSidePanelShown(front ? false : d->sidePanelBeforeStudio);
    });
}

GenerationStudio *AttentionWorkspace::generationStudio() const { return d->studio; }

void AttentionWorkspace::setComparedMap(ComparedMap map)
{
    d->comparedMap->setCurrentIndex(int(map)); // the shown run follows through currentIndexChanged
}

void AttentionWorkspace::startRun()
{
    d->ready = false;
    setRunning(true);
    d->progress->setRange(0, 0); // busy until the first layer reports
    if (d->compare->isChecked() && !d->picker->isValid()) {
        setRunning(false);
        d->status->setText(d->picker->problem());
        return;
    }
    d->runningInput = currentInput();
    if (d->vision) {
        if (d->imageInput->path().isEmpty()) {
            setRunning(false);
            d->status->setText(tr("Open an image first."));
            return;
        }
        d->status->setText(tr("Running…"));
        d->run->startImage(d->modelDir, d->imageInput->path());
        return;
    }
    const QString variant = d->runningInput.variantSpec;
    d->status->setText(variant.isEmpty() ? tr("Running…") : tr("Running the reference and %1…").arg(variant));
    d->run->start(d->modelDir, text(), variant.isEmpty() ? QStringList() : QStringList{variant}, textPair());
}

void AttentionWorkspace::cancelRun()
{
    d->run->cancel();
}

void AttentionWorkspace::setRunning(bool running)
{
    d->runInFlight = running;
    d->runButton->setEnabled(!running);
    d->cancelButton->setEnabled(running);
    d->progress->setVisible(running);
}

} // namespace attnscope
