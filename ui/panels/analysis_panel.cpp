#include "ui/panels/analysis_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "core/analysis/analysis.h"
#include "core/analysis/analysis_registry.h"
#include "core/capture/attention_record.h"
#include "ui/attention_run.h"
#include "ui/panels/analysis_result_view.h"
#include "viz/analysis_pictures.h"

namespace attnscope {

namespace {

constexpr int kAllTokensFlowUpTo = 48; // tokens: flow of every output token is still quick

} // namespace

struct AnalysisPanel::Private {
    AttentionRun *run = nullptr;
    QComboBox *method = nullptr;
    QFormLayout *options = nullptr;
    std::vector<std::pair<QString, QWidget *>> editors;
    QLabel *summary = nullptr;
    QStackedWidget *area = nullptr; // the message, or the result
    QLabel *message = nullptr;
    AnalysisResultView *view = nullptr;
    QString pending; // the method being computed
    std::map<QString, QString> pendingOptions, shownOptions;
};

AnalysisPanel::AnalysisPanel(AttentionRun *run, QWidget *parent) : QWidget(parent), d(std::make_unique<Private>())
{
    d->run = run;

    auto *controls = new QVBoxLayout;
    d->method = new QComboBox(this);
    d->method->setObjectName(QStringLiteral("method"));
    for (const QString &name : analysisNames()) {
        d->method->addItem(name);
        d->method->setItemData(d->method->count() - 1, findAnalysis(name)->description(), Qt::ToolTipRole);
    }
    controls->addWidget(d->method);
    d->options = new QFormLayout;
    controls->addLayout(d->options);
    auto *start = new QPushButton(tr("Run &analysis"), this);
    controls->addWidget(start);
    d->summary = new QLabel(this);
    d->summary->setWordWrap(true);
    d->summary->setTextFormat(Qt::PlainText); // token texts such as <s> are no markup
    d->summary->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    d->summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *summaryScroll = new QScrollArea(this);
    summaryScroll->setWidget(d->summary);
    summaryScroll->setWidgetResizable(true);
    summaryScroll->setFrameShape(QFrame::NoFrame);
    summaryScroll->viewport()->setAutoFillBackground(false);
    d->summary->setAutoFillBackground(false);
    controls->addWidget(summaryScroll, 1);

    d->message = new QLabel(this);
    d->message->setAlignment(Qt::AlignCenter);
    d->message->setWordWrap(true);
    d->message->setTextFormat(Qt::PlainText);
    d->message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    d->view = new AnalysisResultView(this);
    d->area = new QStackedWidget(this);
    d->area->addWidget(d->message);
    d->area->addWidget(d->view);

    auto *body = new QHBoxLayout;
    body->addLayout(controls, 1);
    body->addWidget(d->area, 4);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(body, 1);

    connect(d->method, &QComboBox::currentTextChanged, this, &AnalysisPanel::rebuildOptions);
    connect(d->method, &QComboBox::activated, this, &AnalysisPanel::startAnalysis); // picked by the user
    connect(start, &QPushButton::clicked, this, &AnalysisPanel::startAnalysis);
    connect(d->view, &AnalysisResultView::headChosen, this, &AnalysisPanel::headChosen);
    connect(d->view, &AnalysisResultView::scoreShown, this, &AnalysisPanel::scoreShown);
    connect(d->run, &AttentionRun::analysisFinished, this, &AnalysisPanel::showResult);
    connect(d->run, &AttentionRun::failed, this, [this](const QString &error) {
        if (!d->pending.isEmpty()) {
            d->pending.clear();
            showMessage(error);
        }
    });
    connect(d->run, &AttentionRun::cancelled, this, [this] {
        if (!d->pending.isEmpty()) {
            d->pending.clear();
            showMessage(tr("The analysis was cancelled."));
        }
    });
    // A model run replaced the analysis that was computing (its result will never come).
    connect(d->run, &AttentionRun::finished, this, [this] {
        if (!d->pending.isEmpty())
            clear();
    });
    rebuildOptions();
}

AnalysisPanel::~AnalysisPanel() = default;

void AnalysisPanel::chooseMethod(const QString &name) { d->method->setCurrentText(name); }

void AnalysisPanel::setOption(const QString &name, const QString &value)
{
    for (const auto &[option, editor] : d->editors)
        if (option == name) {
            if (auto *box = qobject_cast<QCheckBox *>(editor))
                box->setChecked(value == QLatin1String("true"));
            else if (auto *combo = qobject_cast<QComboBox *>(editor))
                combo->setCurrentText(value);
            else
                qobject_cast<QLineEdit *>(editor)->setText(value);
        }
}

void AnalysisPanel::clear()
{
    d->pending.clear();
    showMessage(tr("Press Run analysis to analyse this input."));
}

void AnalysisPanel::rebuildOptions()
{
    while (d->options->rowCount() > 0)
        d->options->removeRow(0);
    d->editors.clear();
    const Analysis *analysis = findAnalysis(d->method->currentText());
    if (!analysis)
        return;
    d->method->setToolTip(analysis->description());
    const auto record = d->run->record();
    for (const AnalysisOption &option : analysis->options()) {
        QWidget *editor = nullptr;
        if (option.kind == AnalysisOption::Kind::Flag) {
            auto *box = new QCheckBox(this);
            // Flow of every output token gives the same token × token map as rollout.
            box->setChecked(option.name == QLatin1String("all-tokens") && record && record->queries() <= kAllTokensFlowUpTo);
            editor = box;
        } else if (option.kind == AnalysisOption::Kind::Choice) {
            auto *combo = new QComboBox(this);
            combo->addItems(option.choices);
            editor = combo;
        } else {
            auto *line = new QLineEdit(this);
            // 0.1, not the 17 digits of its exact spelling.
            line->setPlaceholderText(option.kind == AnalysisOption::Kind::Real
                                         ? QString::number(option.defaultValue.toDouble(), 'g', 10) : option.defaultValue);
            editor = line;
        }
        editor->setToolTip(option.description);
        d->options->addRow(option.name, editor);
        d->editors.emplace_back(option.name, editor);
    }
    // The shown result is another method's: it goes now, not when the new one arrives.
    d->pending.clear();
    showMessage(tr("Press Run analysis to compute %1.").arg(analysis->name()));
}

void AnalysisPanel::startAnalysis()
{
    if (!d->run->record()) {
        showMessage(tr("Run the model on an input first."));
        return;
    }
    std::map<QString, QString> given;
    for (const auto &[name, editor] : d->editors) {
        if (const auto *box = qobject_cast<QCheckBox *>(editor)) {
            if (box->isChecked())
                given[name] = QStringLiteral("true");
        } else if (const auto *combo = qobject_cast<QComboBox *>(editor)) {
            given[name] = combo->currentText();
        } else if (const QString text = qobject_cast<QLineEdit *>(editor)->text().trimmed(); !text.isEmpty()) {
            given[name] = text;
        }
    }
    d->pending = d->method->currentText();
    d->pendingOptions = given;
    showMessage(tr("Computing %1…").arg(d->pending));
    d->run->startAnalysis(d->pending, given);
}

// The shown result goes with everything drawn of it; `text` stands in its place.
void AnalysisPanel::showMessage(const QString &text)
{
    d->view->clear();
    d->summary->clear();
    d->message->setText(text);
    d->area->setCurrentIndex(0);
}

void AnalysisPanel::showResult(const QString &finished)
{
    if (d->pending.isEmpty() || finished != d->pending)
        return; // not asked for here (the image view's relevance)
    const QString method = d->pending;
    d->pending.clear();
    const std::shared_ptr<const AnalysisResult> result = d->run->analysisResult();
    const auto record = d->run->record();
    if (!result || !record) {
        showMessage(tr("%1 gave no result.").arg(method));
        return;
    }
    const RecordShape shape{record->layers(), record->heads(), record->queries()};
    if (drawableTensors(method, *result, shape).isEmpty()) {
        showMessage(tr("%1 gave nothing to draw.").arg(method));
        return;
    }
    d->shownOptions = d->pendingOptions;
    d->summary->setText(summaryText(result->summary));
    d->area->setCurrentIndex(1);
    d->view->setResult(method, result, shape, d->run->tokens(), d->run->causal());
    Q_EMIT shown();
}

void AnalysisPanel::showScore(const QString &tensor) { d->view->showScore(tensor); }
double AnalysisPanel::tableValue(int layer, int head) const { return d->view->tableValue(layer, head); }
QString AnalysisPanel::shownMethod() const { return d->view->method(); }
QString AnalysisPanel::shownScore() const { return d->view->score(); }
std::map<QString, QString> AnalysisPanel::shownOptions() const { return d->shownOptions; }
QString AnalysisPanel::message() const { return d->area->currentIndex() == 0 ? d->message->text() : QString(); }
QChart *AnalysisPanel::chart() const { return d->view->chart(); }
AnalysisResultView *AnalysisPanel::resultView() const { return d->view; }

} // namespace attnscope
