#include "ui/attention_workspace.h"

#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>
#include <torch/torch.h>

#include "core/capture/attention_record.h"
#include "ui/attention_run.h"
#include "ui/views/head_view.h"
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
    std::shared_ptr<TilePyramid> pyramid;
    bool ready = false;
};

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
    form->addWidget(new QLabel(tr("Input text"), controls));
    d->text = new QPlainTextEdit(controls);
    d->text->setObjectName(QStringLiteral("inputText"));
    d->text->setPlaceholderText(tr("Type a text, then Run (Ctrl+Return)"));
    form->addWidget(d->text, 1);
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

    d->headView = new HeadView(this);
    auto *splitter = new QSplitter(this);
    splitter->addWidget(controls);
    splitter->addWidget(d->headView);
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
    const auto showSelected = [this] { showHead(d->layer->value(), d->head->value()); };
    connect(d->layer, &QSpinBox::valueChanged, this, showSelected);
    connect(d->head, &QSpinBox::valueChanged, this, showSelected);
    connect(d->headView, &HeadView::overviewReady, this, [this] {
        if (!d->ready) {
            d->ready = true;
            Q_EMIT ready();
        }
    });
}

AttentionWorkspace::~AttentionWorkspace() = default;

void AttentionWorkspace::setText(const QString &text) { d->text->setPlainText(text); }
QString AttentionWorkspace::text() const { return d->text->toPlainText(); }
int AttentionWorkspace::layer() const { return d->layer->value(); }
int AttentionWorkspace::head() const { return d->head->value(); }
AttentionRun *AttentionWorkspace::run() const { return d->run; }
HeadView *AttentionWorkspace::headView() const { return d->headView; }
bool AttentionWorkspace::isReady() const { return d->ready; }

void AttentionWorkspace::startRun()
{
    d->ready = false;
    setRunning(true);
    d->progress->setRange(0, 0); // busy until the first layer reports
    d->status->setText(tr("Running…"));
    d->run->start(d->modelDir, text());
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
    d->status->setText(tr("%n token(s), %1 layers × %2 heads", nullptr, int(record->queries()))
                           .arg(record->layers()).arg(record->heads()));
    const QSignalBlocker blockLayer(d->layer), blockHead(d->head);
    d->layer->setRange(0, int(record->layers()) - 1);
    d->head->setRange(0, int(record->heads()) - 1);
    d->layer->setEnabled(true);
    d->head->setEnabled(true);
    showHead(d->layer->value(), d->head->value());
}

void AttentionWorkspace::showHead(int layer, int head)
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
    d->pyramid = std::make_shared<TilePyramid>(recordTileSource(record, layer, head), record->queries(),
                                               record->keys(), options);
    const QStringList tokens = d->run->tokens();
    d->headView->setHead(d->pyramid, tokens, tokens);
    Q_EMIT headShown(layer, head);
}

} // namespace attnscope
