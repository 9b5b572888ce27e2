#include "ui/attention_workspace.h"

#include <optional>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <torch/torch.h>

#include "core/analysis/token_graph_weights.h"
#include "core/capture/attention_record.h"
#include "core/io/input_error.h"
#include "core/io/model_config.h"
#include "core/models/model.h"
#include "ui/attention_run.h"
#include "ui/attention_selection.h"
#include "ui/session_file.h"
#include "ui/panels/analysis_panel.h"
#include "ui/panels/image_input.h"
#include "ui/panels/variant_picker.h"
#include "ui/views/head_table.h"
#include "ui/views/head_view.h"
#include "ui/views/lines_view.h"
#include "ui/views/model_view.h"
#include "ui/views/neuron_view.h"
#include "ui/views/token_graph_view.h"
#include "ui/views/token_view.h"
#include "ui/views/vision_view.h"
#include "viz/tile_pyramid.h"

namespace attnscope {

struct AttentionWorkspace::Private {
    QString modelDir;
    AttentionRun *run = nullptr;
    QPlainTextEdit *text = nullptr;
    QPushButton *runButton = nullptr;
    QPushButton *cancelButton = nullptr;
    QProgressBar *progress = nullptr;
    QLabel *status = nullptr;
    QSpinBox *layer = nullptr;
    QSpinBox *head = nullptr;
    HeadView *headView = nullptr;
    HeadView *referenceView = nullptr; // beside headView after a comparison
    std::shared_ptr<TilePyramid> referencePyramid;
    QCheckBox *compare = nullptr;
    VariantPicker *picker = nullptr;
    QComboBox *comparedMap = nullptr;
    QComboBox *colormap = nullptr;   // the head view's colors
    QComboBox *scale = nullptr;      // and their value scale
    QTableWidget *divergence = nullptr;
    QLabel *outputs = nullptr;
    QWidget *comparison = nullptr;
    QTabWidget *lowerTabs = nullptr;
    AnalysisPanel *analyses = nullptr;
    TokenView *tokenView = nullptr;
    NeuronView *neuronView = nullptr;
    QTabWidget *upperTabs = nullptr;
    QWidget *maps = nullptr;
    ModelView *modelView = nullptr;
    LinesView *linesView = nullptr;
    TokenGraphView *graphView = nullptr;
    VisionView *visionView = nullptr;
    ImageInput *imageInput = nullptr;
    bool vision = false;
    QStringList fileWarnings; // of an attention file, kept on the status line
    bool fromFile = false;    // shows an attention file: nothing to run
    std::optional<std::pair<int, int>> pendingCell; // a session's query and key, set after the run

    // The widget of a view in workspaceViewNames(); null for an unknown name.
    QWidget *viewWidget(const QString &name) const
    {
        const std::pair<const char *, QWidget *> views[] = {{"head", maps},      {"model", modelView}, {"lines", linesView},
                                                            {"graph", graphView}, {"image", visionView}, {"token", tokenView},
                                                            {"neuron", neuronView}, {"analyses", analyses}};
        for (const auto &[viewName, widget] : views)
            if (name == QLatin1String(viewName))
                return widget;
        return nullptr;
    }
    QString viewNameOf(const QWidget *widget) const
    {
        for (const QString &name : workspaceViewNames())
            if (widget && viewWidget(name) == widget)
                return name;
        return {};
    }
    QString frontView; // the view last brought forward, in either row of tabs
    AttentionSelection *selection = nullptr;
    std::shared_ptr<TilePyramid> pyramid;
    bool ready = false;
};

namespace {

// The folder holds a model that takes images (decided by its config.json's model_type).
bool isVisionFolder(const QString &modelDir)
{
    try {
        return isVisionModelType(ModelConfig::load(modelDir).modelType());
    } catch (const InputError &) {
        return false; // the run reports the problem
    }
}

} // namespace

AttentionWorkspace::AttentionWorkspace(const QString &modelDir, const QString &summary, QWidget *parent)
    : QWidget(parent), d(std::make_unique<Private>())
{
    d->modelDir = modelDir;
    d->run = new AttentionRun(this);

    auto *controls = new QWidget(this);
    auto *form = new QVBoxLayout(controls);
    auto *model = new QLabel(tr("<b>%1</b><br>%2").arg(QFileInfo(modelDir).fileName().toHtmlEscaped(), summary.toHtmlEscaped()), controls);
    model->setWordWrap(true);
    model->setToolTip(QDir::toNativeSeparators(modelDir));
    form->addWidget(model);
    d->vision = isVisionFolder(modelDir);
    form->addWidget(new QLabel(d->vision ? tr("Input image") : tr("Input text"), controls));
    d->text = new QPlainTextEdit(controls);
    d->text->setObjectName(QStringLiteral("inputText"));
    d->text->setPlaceholderText(tr("Type a text, then Run (Ctrl+Return)"));
    form->addWidget(d->text, 1);
    d->imageInput = new ImageInput(controls);
    form->addWidget(d->imageInput, 1);
    d->text->setVisible(!d->vision);
    d->imageInput->setVisible(d->vision);
    connect(d->imageInput, &ImageInput::pathChosen, this, &AttentionWorkspace::startRun);
    auto *buttons = new QHBoxLayout;
    d->runButton = new QPushButton(tr("&Run"), controls);
    d->runButton->setShortcut(QKeySequence(tr("Ctrl+Return")));
    d->cancelButton = new QPushButton(tr("Cancel"), controls);
    buttons->addWidget(d->runButton);
    buttons->addWidget(d->cancelButton);
    form->addLayout(buttons);
    d->progress = new QProgressBar(controls);
    form->addWidget(d->progress);
    d->status = new QLabel(controls);
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
    d->comparedMap->addItems({tr("Reference"), tr("Variant"), tr("Variant − reference")});
    d->comparedMap->setCurrentIndex(int(ComparedMap::Variant));
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

    d->headView = new HeadView(this);
    d->comparison = new QWidget(this);
    auto *comparisonLayout = new QHBoxLayout(d->comparison);
    d->divergence = new QTableWidget(d->comparison);
    d->divergence->setToolTip(tr("Jensen–Shannon divergence from the reference (bits), per layer and head; click to show the head"));
    d->divergence->setEditTriggers(QAbstractItemView::NoEditTriggers);
    d->outputs = new QLabel(d->comparison);
    d->outputs->setObjectName(QStringLiteral("outputs"));
    d->outputs->setWordWrap(true);
    d->outputs->setTextInteractionFlags(Qt::TextSelectableByMouse);
    d->outputs->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    comparisonLayout->addWidget(d->divergence, 1);
    comparisonLayout->addWidget(d->outputs, 1);
    d->analyses = new AnalysisPanel(d->run, this);
    d->lowerTabs = new QTabWidget(this);
    d->tokenView = new TokenView(this);
    d->neuronView = new NeuronView(this);
    d->lowerTabs->addTab(d->tokenView, tr("Token"));
    d->lowerTabs->addTab(d->neuronView, tr("Neuron"));
    d->lowerTabs->addTab(d->analyses, tr("Analyses"));
    d->lowerTabs->addTab(d->comparison, tr("Variant comparison"));
    d->lowerTabs->hide();
    auto *views = new QSplitter(Qt::Vertical, this);
    d->referenceView = new HeadView(this);
    d->referenceView->setObjectName(QStringLiteral("referenceView"));
    d->referenceView->setToolTip(tr("The reference (softmax) attention of the same head"));
    d->referenceView->hide();
    auto *maps = new QSplitter(this);
    maps->addWidget(d->referenceView);
    maps->addWidget(d->headView);
    d->maps = maps;
    d->modelView = new ModelView(this);
    d->linesView = new LinesView(this);
    d->upperTabs = new QTabWidget(this);
    d->upperTabs->addTab(maps, tr("&Head"));
    d->upperTabs->addTab(d->modelView, tr("&Model"));
    d->upperTabs->addTab(d->linesView, tr("Li&nes"));
    d->graphView = new TokenGraphView(this);
    d->upperTabs->addTab(d->graphView, tr("&Graph"));
    d->visionView = new VisionView(this);
    if (d->vision) {
        d->upperTabs->insertTab(0, d->visionView, tr("&Image"));
        d->upperTabs->setCurrentIndex(0);
        d->compare->setEnabled(false); // variants compare next-token outputs of text models
    } else {
        d->visionView->hide();
    }
    d->frontView = d->vision ? QStringLiteral("image") : QStringLiteral("head");
    for (QTabWidget *tabs : {d->upperTabs, d->lowerTabs})
        connect(tabs, &QTabWidget::currentChanged, this, [this, tabs] {
            const QString name = d->viewNameOf(tabs->currentWidget());
            if (!name.isEmpty())
                d->frontView = name;
        });
    views->addWidget(d->upperTabs);
    views->addWidget(d->lowerTabs);
    views->setStretchFactor(0, 2);
    views->setStretchFactor(1, 1);
    views->setSizes({560, 320}); // the maps first; the tables and charts below
    auto *splitter = new QSplitter(this);
    splitter->addWidget(controls);
    splitter->addWidget(views);
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
            [this](int index) { setComparedMap(ComparedMap(index)); });
    for (QComboBox *box : {d->colormap, d->scale})
        connect(box, &QComboBox::currentIndexChanged, this, [this] { displayHead(d->selection->layer(), d->selection->head()); });
    connect(d->divergence, &QTableWidget::cellClicked, this, [this](int row, int column) { showHead(row, column); });
    connect(d->analyses, &AnalysisPanel::headChosen, this, &AttentionWorkspace::showHead);
    const auto showSelected = [this] { showHead(d->layer->value(), d->head->value()); };
    connect(d->layer, &QSpinBox::valueChanged, this, showSelected);
    connect(d->head, &QSpinBox::valueChanged, this, showSelected);
    connectSelection();
    connect(d->headView, &HeadView::overviewReady, this, [this] {
        if (!d->ready) {
            d->ready = true;
            Q_EMIT ready();
        }
    });
}

AttentionWorkspace::~AttentionWorkspace() = default;

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
        d->tokenView->selectToken(d->tokenView->direction() == TokenView::Direction::FromQuery ? query : key);
        d->neuronView->showPair(query, key);
        d->graphView->setOutputToken(query);
    });
    connect(d->headView, &HeadView::cellClicked, selection, [selection](qint64 row, qint64 col) {
        selection->selectCell(int(row), int(col));
    });
    connect(d->referenceView, &HeadView::cellClicked, selection, [selection](qint64 row, qint64 col) {
        selection->selectCell(int(row), int(col));
    });
    for (HeadView *view : {d->headView, d->referenceView})
        connect(view, &HeadView::stepRequested, selection, &AttentionSelection::step);
    connect(d->modelView, &ModelView::stepRequested, selection, &AttentionSelection::step);
    connect(d->modelView, &ModelView::headClicked, this, [this](int layer, int head) {
        showHead(layer, head);
        d->upperTabs->setCurrentWidget(d->maps);
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
}

QStringList workspaceViewNames()
{
    return {QStringLiteral("head"), QStringLiteral("model"), QStringLiteral("lines"), QStringLiteral("graph"),
            QStringLiteral("image"), QStringLiteral("token"), QStringLiteral("neuron"), QStringLiteral("analyses")};
}

void AttentionWorkspace::showView(const QString &name)
{
    QWidget *widget = d->viewWidget(name);
    if (!widget)
        return;
    for (QTabWidget *tabs : {d->upperTabs, d->lowerTabs})
        if (tabs->indexOf(widget) >= 0)
            tabs->setCurrentWidget(widget);
    d->frontView = name;
}

AttentionSelection *AttentionWorkspace::selection() const { return d->selection; }
ModelView *AttentionWorkspace::modelView() const { return d->modelView; }
LinesView *AttentionWorkspace::linesView() const { return d->linesView; }
TokenGraphView *AttentionWorkspace::graphView() const { return d->graphView; }
VisionView *AttentionWorkspace::visionView() const { return d->visionView; }
bool AttentionWorkspace::isVision() const { return d->vision; }
void AttentionWorkspace::setImage(const QString &path) { d->imageInput->setPath(path); }
QString AttentionWorkspace::imagePath() const { return d->imageInput->path(); }

void AttentionWorkspace::showAttention(std::shared_ptr<const AttentionRecord> record, const QStringList &warnings)
{
    for (QWidget *input : std::initializer_list<QWidget *>{d->text, d->imageInput, d->runButton, d->cancelButton, d->compare,
                                                           d->picker, d->comparedMap})
        input->hide();
    d->fileWarnings = warnings;
    d->fromFile = true;
    d->run->showRecord(std::move(record));
}
NeuronView *AttentionWorkspace::neuronView() const { return d->neuronView; }

void AttentionWorkspace::setText(const QString &text) { d->text->setPlainText(text); }
QString AttentionWorkspace::text() const { return d->text->toPlainText(); }
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
QString AttentionWorkspace::outputsText() const { return d->outputs->text(); }

void AttentionWorkspace::setComparedMap(ComparedMap map)
{
    const QSignalBlocker block(d->comparedMap);
    d->comparedMap->setCurrentIndex(int(map));
    showHead(d->layer->value(), d->head->value());
}

double AttentionWorkspace::tableDivergence(int layer, int head) const
{
    const QTableWidgetItem *item = d->divergence->item(layer, head);
    return item ? item->data(Qt::UserRole).toDouble() : -1;
}

void AttentionWorkspace::startRun()
{
    d->ready = false;
    setRunning(true);
    d->progress->setRange(0, 0); // busy until the first layer reports
    QStringList variants;
    if (d->compare->isChecked()) {
        if (!d->picker->isValid()) {
            setRunning(false);
            d->status->setText(d->picker->problem());
            return;
        }
        variants << d->picker->spec();
    }
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
    d->status->setText(variants.isEmpty() ? tr("Running…") : tr("Running the reference and %1…").arg(variants.first()));
    d->run->start(d->modelDir, text(), variants);
}

void AttentionWorkspace::cancelRun()
{
    d->run->cancel();
}

void AttentionWorkspace::setRunning(bool running)
{
    d->runButton->setEnabled(!running);
    d->cancelButton->setEnabled(running);
    d->progress->setVisible(running);
}

void AttentionWorkspace::onRunFinished()
{
    setRunning(false);
    const std::shared_ptr<const AttentionRecord> record = d->run->record();
    const QString shape = tr("%n token(s), %1 layers × %2 heads", nullptr, int(record->queries()))
                              .arg(record->layers()).arg(record->heads());
    d->status->setText((QStringList{shape} + d->fileWarnings).join(QLatin1Char('\n')));
    const QSignalBlocker blockLayer(d->layer), blockHead(d->head);
    d->layer->setRange(0, int(record->layers()) - 1);
    d->head->setRange(0, int(record->heads()) - 1);
    d->layer->setEnabled(true);
    d->head->setEnabled(true);
    const QStringList tokens = d->run->tokens();
    d->tokenView->setAttention(record, tokens);
    d->neuronView->setAttention(record, tokens);
    std::vector<int> segments;
    for (const RecordedToken &token : record->tokens)
        segments.push_back(token.typeId);
    d->linesView->setAttention(record, tokens, segments);
    d->graphView->setAttention(record, tokens, segments);
    if (d->vision)
        d->visionView->setRun(d->run);
    d->modelView->setRecord(record, d->run->causal());
    showComparison();
    d->selection->setShape(int(record->layers()), int(record->heads()), int(record->queries()));
    if (d->pendingCell) {
        d->selection->selectCell(d->pendingCell->first, d->pendingCell->second);
        d->pendingCell.reset();
    }
}

Session AttentionWorkspace::captureSession() const
{
    Session session;
    session.source = d->modelDir;
    session.text = d->vision || d->fromFile ? QString() : text();
    session.image = d->vision ? imagePath() : QString();
    session.compare = d->compare->isChecked();
    session.variant = d->picker->spec();
    session.layer = d->selection->layer();
    session.head = d->selection->head();
    session.query = d->selection->query();
    session.key = d->selection->key();
    session.view = d->frontView;
    session.viewSettings = QJsonObject{{QStringLiteral("head"), QJsonObject{{QStringLiteral("colormap"), d->colormap->currentText()},
                                                                         {QStringLiteral("scale"), d->scale->currentText()}}},
                                       {QStringLiteral("model"), d->modelView->settings()},
                                       {QStringLiteral("lines"), d->linesView->settings()},
                                       {QStringLiteral("graph"), d->graphView->settings()},
                                       {QStringLiteral("token"), d->tokenView->settings()}};
    return session;
}

FigureRequest AttentionWorkspace::figureRequest() const
{
    FigureRequest request;
    request.view = figureViewNames().contains(d->frontView) ? d->frontView : QStringLiteral("head");
    const QString score = d->frontView == QLatin1String("analyses")
                              ? figureScoreFor(d->analyses->shownMethod(), d->analyses->shownScore()) : QString();
    if (!score.isEmpty()) {
        request.view = QStringLiteral("charts");
        request.score = score;
        return request;
    }
    const bool oneHead = request.view != QLatin1String("model");
    request.layer = oneHead ? d->selection->layer() : -1;
    request.head = oneHead ? d->selection->head() : -1;
    if (request.view == QLatin1String("token") || request.view == QLatin1String("neuron"))
        request.token = d->selection->query();
    if (request.view == QLatin1String("neuron"))
        request.key = d->selection->key();
    if (request.view == QLatin1String("token") && d->tokenView->direction() == TokenView::Direction::ToKey)
        request.direction = QStringLiteral("key");
    if (request.view == QLatin1String("lines")) {
        const std::vector<int> heads = d->linesView->chosenHeads();
        request.head = heads.size() == 1 ? heads.front() : -1;
    }
    if (request.view == QLatin1String("graph")) {
        static const QStringList drawings{QStringLiteral("layered"), QStringLiteral("arcs"), QStringLiteral("bipartite")};
        request.drawing = drawings.at(int(d->graphView->drawing()));
        request.edges = d->graphView->edgeSource();
        request.threshold = d->graphView->threshold();
        if (request.drawing == QLatin1String("layered")) {
            const EdgeSource edges = *edgeSourceFromName(request.edges);
            request.layer = -1;
            if (edges != EdgeSource::Head)
                request.head = -1;
            if (edgeSourceNeedsOutput(edges))
                request.token = d->selection->query();
        }
    }
    const bool difference = d->run->referenceRecord() && ComparedMap(d->comparedMap->currentIndex()) == ComparedMap::Difference;
    if (request.view == QLatin1String("head") && !difference && d->colormap->currentText() != HeatmapStyle().colormap.name())
        request.colormap = d->colormap->currentText();
    if (request.view == QLatin1String("head") && d->scale->currentIndex() != int(ScaleKind::Linear))
        request.scale = d->scale->currentText();
    if (request.view == QLatin1String("head") && d->run->referenceRecord()) {
        const auto map = ComparedMap(d->comparedMap->currentIndex());
        if (map != ComparedMap::Variant)
            request.compared = comparedMapNames().at(int(map) == int(ComparedMap::Reference) ? 1 : 2);
    }
    return request;
}

FigureSource AttentionWorkspace::figureSource() const
{
    const std::shared_ptr<const AttentionRecord> record = d->run->record();
    if (!record)
        return {};
    FigureSource source = figureSourceOf(record, d->run->causal());
    source.reference = d->run->referenceRecord();
    return source;
}

QStringList AttentionWorkspace::figureInputArguments() const
{
    if (d->fromFile || d->vision)
        return {};
    QStringList arguments{QStringLiteral("--text"), text()};
    if (d->compare->isChecked() && !d->picker->spec().isEmpty())
        arguments << QStringLiteral("--variant") << d->picker->spec();
    return arguments;
}

void AttentionWorkspace::applySession(const Session &session)
{
    if (!session.text.isEmpty())
        setText(session.text);
    if (!session.image.isEmpty())
        setImage(session.image);
    if (!session.variant.isEmpty())
        d->picker->setSpec(session.variant);
    d->compare->setChecked(session.compare && !d->vision && !d->fromFile);
    d->selection->selectHead(session.layer, session.head);
    if (session.query >= 0 && session.key >= 0)
        d->pendingCell = std::pair{session.query, session.key};
    const QJsonObject &settings = session.viewSettings;
    const QJsonObject head = settings.value(QStringLiteral("head")).toObject();
    if (Colormap::names().contains(head.value(QStringLiteral("colormap")).toString()))
        d->colormap->setCurrentText(head.value(QStringLiteral("colormap")).toString());
    if (scaleKindNames().contains(head.value(QStringLiteral("scale")).toString()))
        d->scale->setCurrentText(head.value(QStringLiteral("scale")).toString());
    d->modelView->applySettings(settings.value(QStringLiteral("model")).toObject());
    d->linesView->applySettings(settings.value(QStringLiteral("lines")).toObject());
    d->graphView->applySettings(settings.value(QStringLiteral("graph")).toObject());
    d->tokenView->applySettings(settings.value(QStringLiteral("token")).toObject());
    if (!session.view.isEmpty())
        showView(session.view);
    const bool hasInput = d->vision ? !imagePath().isEmpty() : !text().isEmpty();
    if (!d->fromFile && hasInput)
        startRun();
}

void AttentionWorkspace::showComparison()
{
    const QJsonObject json = d->run->comparison();
    const bool compared = !json.isEmpty();
    d->lowerTabs->show();
    d->lowerTabs->setTabVisible(d->lowerTabs->indexOf(d->comparison), compared);
    if (compared)
        d->lowerTabs->setCurrentWidget(d->comparison);
    d->referenceView->setVisible(compared);
    d->comparedMap->setEnabled(compared);
    if (!compared)
        return;
    std::vector<std::vector<double>> divergence;
    for (const QJsonValue &layer : json.value(QStringLiteral("layers")).toArray()) {
        divergence.emplace_back();
        for (const QJsonValue &head : layer.toObject().value(QStringLiteral("heads")).toArray())
            divergence.back().push_back(head.toObject().value(QStringLiteral("js_divergence")).toDouble());
    }
    fillHeadTable(d->divergence, divergence);

    const QJsonObject outputs = json.value(QStringLiteral("outputs")).toObject();
    const auto topFive = [&](const char *key) {
        QStringList entries;
        for (const QJsonValue &entry : outputs.value(QLatin1String(key)).toArray()) {
            const QJsonObject prediction = entry.toObject();
            entries << QStringLiteral("%1 %2").arg(prediction.value(QStringLiteral("token")).toString().toHtmlEscaped())
                           .arg(prediction.value(QStringLiteral("probability")).toDouble(), 0, 'f', 3);
        }
        return entries.join(QStringLiteral(", "));
    };
    QString html = tr("<b>%1</b><br>").arg(json.value(QStringLiteral("variants")).toArray().first().toString().toHtmlEscaped());
    if (!outputs.isEmpty()) {
        html += tr("KL(reference ‖ variant): %1 nats<br>top-1 agreement: %2<br>")
                    .arg(outputs.value(QStringLiteral("kl_divergence")).toDouble(), 0, 'g', 4)
                    .arg(outputs.value(QStringLiteral("top1_agreement")).toDouble(), 0, 'f', 3);
        for (const char *loss : {"perplexity", "mlm_loss"}) {
            const QJsonObject values = outputs.value(QLatin1String(loss)).toObject();
            if (!values.isEmpty())
                html += tr("%1: %2 → %3<br>").arg(QLatin1String(loss))
                            .arg(values.value(QStringLiteral("reference")).toDouble(), 0, 'g', 5)
                            .arg(values.value(QStringLiteral("variant")).toDouble(), 0, 'g', 5);
        }
        html += tr("top-5 before: %1<br>top-5 after: %2<br>").arg(topFive("top5_reference"), topFive("top5_variant"));
    }
    const QJsonObject cost = json.value(QStringLiteral("cost")).toObject();
    const auto costLine = [&](const char *which) {
        const QJsonObject c = cost.value(QLatin1String(which)).toObject();
        return tr("%1 MFLOP, %2 kB").arg(c.value(QStringLiteral("flops")).toDouble() / 1e6, 0, 'f', 2)
            .arg(c.value(QStringLiteral("peak_bytes")).toDouble() / 1e3, 0, 'f', 1);
    };
    if (!cost.isEmpty())
        html += tr("attention cost: %1 → %2").arg(costLine("reference"), costLine("variant"));
    d->outputs->setText(html);
}

void AttentionWorkspace::showHead(int layer, int head)
{
    if (layer == d->selection->layer() && head == d->selection->head())
        displayHead(layer, head); // the same head in another map (reference, variant, difference)
    else
        d->selection->selectHead(layer, head);
}

void AttentionWorkspace::displayHead(int layer, int head)
{
    const std::shared_ptr<const AttentionRecord> record = d->run->record();
    if (!record || layer < 0 || layer >= record->layers() || head < 0 || head >= record->heads())
        return;
    const QSignalBlocker blockLayer(d->layer), blockHead(d->head);
    d->layer->setValue(layer);
    d->head->setValue(head);
    PyramidOptions options;
    if (d->run->causal())
        options.mask = CellMask::causal(record->queries(), record->keys());
    const std::shared_ptr<const AttentionRecord> reference = d->run->referenceRecord();
    const auto map = ComparedMap(d->comparedMap->currentIndex());
    TileSource source = recordTileSource(record, layer, head);
    HeatmapStyle style;
    style.colormap = Colormap::byName(d->colormap->currentText());
    style.scale.kind = ScaleKind(d->scale->currentIndex());
    if (reference && map == ComparedMap::Reference) {
        source = recordTileSource(reference, layer, head);
    } else if (reference && map == ComparedMap::Difference) {
        source = [record, reference, layer, head](int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
            return record->tile(layer, head, r0, r1, c0, c1) - reference->tile(layer, head, r0, r1, c0, c1);
        };
        style.colormap = Colormap::byName(QStringLiteral("rdbu"));
        options.pooling = Pooling::Mean; // signed values: a max would hide every decrease
    }
    d->headView->setStyle(style);
    d->pyramid = std::make_shared<TilePyramid>(source, record->queries(), record->keys(), options);
    const QStringList tokens = d->run->tokens();
    d->headView->setHead(d->pyramid, tokens, tokens);
    if (reference) {
        PyramidOptions referenceOptions;
        referenceOptions.mask = options.mask;
        d->referencePyramid = std::make_shared<TilePyramid>(recordTileSource(reference, layer, head), reference->queries(),
                                                            reference->keys(), referenceOptions);
        d->referenceView->setHead(d->referencePyramid, tokens, tokens);
    }
    d->headView->setSelectedCell(d->selection->query(), d->selection->key());
    d->referenceView->setSelectedCell(d->selection->query(), d->selection->key());
    d->tokenView->showHead(layer, head);
    d->neuronView->showHead(layer, head);
    d->linesView->showHead(layer, head);
    d->graphView->showHead(layer, head);
    d->visionView->showHead(layer, head);
    d->modelView->setSelectedHead(layer, head);
    Q_EMIT headShown(layer, head);
}

} // namespace attnscope
