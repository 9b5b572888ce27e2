#include "ui/corpus/corpus_view.h"

#include "ui/corpus/corpus_view_private.h"

#include <cmath>

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QStyledItemDelegate>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/corpus/corpus_figures.h"
#include "ui/views/color_scale_bar.h"
#include "ui/views/view_frame.h"

namespace attnscope {

namespace {

// Cells keep their colour when selected (a selection colour would read as a value); the
// selected head is framed instead.
class FramedSelection : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem plain = option;
        plain.state &= ~(QStyle::State_Selected | QStyle::State_HasFocus);
        QStyledItemDelegate::paint(painter, plain, index);
        if (option.state & QStyle::State_Selected) {
            painter->save();
            painter->setPen(QPen(QColor(215, 25, 28), 3));
            painter->drawRect(QRectF(option.rect).adjusted(1.5, 1.5, -1.5, -1.5));
            painter->restore();
        }
    }
};

QTableWidget *newTable(QWidget *parent, const char *name)
{
    auto *table = new QTableWidget(parent);
    table->setObjectName(QLatin1String(name));
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    return table;
}

} // namespace

CorpusView::CorpusView(QWidget *parent) : QWidget(parent), d(std::make_unique<Private>())
{
    d->scores = new QComboBox(this);
    d->scores->setObjectName(QStringLiteral("corpusScore"));
    d->scores->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    d->summary = new QLabel(this);
    d->summary->setObjectName(QStringLiteral("corpusSummary"));
    d->summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *exportButton = new QToolButton(this);
    exportButton->setText(tr("Export…"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto *exportMenu = new QMenu(exportButton);
    for (const auto &[chart, text] : {std::pair{"table", "Table of Means…"}, std::pair{"distribution", "Distribution…"},
                                      std::pair{"qk", "Query–Key Map…"}})
        connect(exportMenu->addAction(tr(text)), &QAction::triggered, this, [this, chart = QString::fromLatin1(chart)] { exportFigure(chart); });
    exportButton->setMenu(exportMenu);
    exportButton->setToolTip(tr("Save a chart as PNG, SVG or PDF"));
    d->summary->setWordWrap(true);
    auto *header = new QHBoxLayout;
    header->addWidget(new QLabel(tr("Score:"), this));
    header->addWidget(d->scores);
    header->addStretch(1);
    header->addWidget(exportButton);

    d->table = newTable(this, "corpusTable");
    d->table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    d->table->verticalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    d->table->viewport()->installEventFilter(this);
    d->table->setItemDelegate(new FramedSelection(d->table));
    d->scale = new ColorScaleBar(this);
    d->band = new PaintCanvas(this);
    d->band->setObjectName(QStringLiteral("corpusBand"));
    auto *tablePage = new QWidget(this);
    auto *tableRow = new QHBoxLayout(tablePage);
    tableRow->setContentsMargins(0, 0, 0, 0);
    tableRow->addWidget(d->table, 1);
    tableRow->addWidget(d->scale);
    d->tableStack = new QStackedWidget(this);
    d->tableStack->addWidget(tablePage);
    d->tableStack->addWidget(d->band);
    d->tableFrame = new ViewFrame(d->tableStack, this);

    d->top = newTable(this, "corpusTopExamples");
    d->top->setSelectionBehavior(QAbstractItemView::SelectRows);
    d->top->setColumnCount(5);
    d->top->setHorizontalHeaderLabels({tr("value"), tr("example"), tr("line"), tr("tokens"), tr("text")});
    d->top->horizontalHeader()->setStretchLastSection(true);
    d->top->verticalHeader()->setVisible(false);
    d->top->setWordWrap(false);
    d->top->verticalHeader()->setDefaultSectionSize(d->top->fontMetrics().height() + 6);
    d->examplesFrame = new ViewFrame(d->top, this);
    connect(d->top, &QTableWidget::cellDoubleClicked, this, [this](int row) { openTopExample(row); });

    auto *upper = new QSplitter(Qt::Horizontal, this);
    upper->addWidget(d->tableFrame);
    upper->addWidget(buildCharts());
    upper->setStretchFactor(0, 1);
    upper->setStretchFactor(1, 1);
    auto *columns = new QSplitter(Qt::Vertical, this);
    columns->addWidget(upper);
    columns->addWidget(d->examplesFrame);
    columns->setStretchFactor(0, 3);
    columns->setStretchFactor(1, 2);
    d->status = new QLabel(this);
    d->status->setObjectName(QStringLiteral("corpusStatus"));
    d->status->setWordWrap(true);
    d->status->hide();

    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->addWidget(d->summary);
    layout->addLayout(header);
    layout->addWidget(columns, 1);
    layout->addWidget(d->status);
    d->problem = new QLabel(this);
    d->problem->setObjectName(QStringLiteral("corpusProblem"));
    d->problem->setWordWrap(true);
    d->problem->setAlignment(Qt::AlignCenter);
    d->problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    d->problem->setMargin(24);
    d->pages = new QStackedWidget(this);
    d->pages->addWidget(content);
    d->pages->addWidget(d->problem);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(d->pages);
    showProblem(tr("No corpus run is open: File → Open Corpus Run… opens a folder written by attnscope-cli batch."));

    connect(d->scores, &QComboBox::currentIndexChanged, this, [this] { showScore(); });
    connect(d->table, &QTableWidget::currentCellChanged, this, [this](int row, int column) {
        if (row >= 0 && column >= 0 && d->hasRun())
            selectEntry(int64_t(row) * d->scoreSummary().shape[1] + column);
    });
}

CorpusView::~CorpusView() = default;

bool CorpusView::open(const QString &dir, QString *error)
{
    try {
        d->run = std::make_unique<CorpusRunModel>(dir);
    } catch (const std::exception &problem) { // InputError, and a file too large to hold: one line
        d->run.reset();
        ++d->generation; // a count still running is of the run closed
        showProblem(tr("Cannot open this corpus run.\n\n%1").arg(QString::fromUtf8(problem.what())));
        if (error)
            *error = QString::fromUtf8(problem.what());
        return false;
    }
    d->problem->clear();
    d->pages->setCurrentIndex(0);
    const CorpusRunModel &run = *d->run;
    QString summary = tr("%1 · %2 examples of %3").arg(QFileInfo(run.manifest().model).fileName()).arg(run.examples()).arg(run.corpusName());
    if (run.errors() > 0)
        summary += tr(" (%1 skipped)").arg(run.errors());
    if (run.manifest().shardCount > 1)
        summary += tr(" · shard %1/%2").arg(run.manifest().shardIndex).arg(run.manifest().shardCount);
    summary += tr(" · %1% intervals: %2").arg(std::lround(run.level() * 100)).arg(run.intervalMethod());
    d->summary->setText(summary);
    d->summary->setToolTip(tr("%1\nmodel: %2\ncorpus: %3").arg(QDir::toNativeSeparators(run.dir()), run.manifest().model, run.manifest().inputs));
    d->qkLayer = d->qkHead = 0;
    setStatus(QString());
    fillScores();
    return true;
}

const CorpusRunModel *CorpusView::run() const { return d->run.get(); }
QString CorpusView::problem() const { return d->pages->currentIndex() == 1 ? d->problem->text() : QString(); }
QTableWidget *CorpusView::table() const { return d->table; }
QTableWidget *CorpusView::topExamples() const { return d->top; }
const CorpusHistogram &CorpusView::histogram() const { return d->histogram; }
bool CorpusView::distributionReady() const { return d->shownGeneration == d->generation; }
QString CorpusView::statusText() const { return d->status->text(); }

void CorpusView::showProblem(const QString &message)
{
    d->problem->setText(message);
    d->pages->setCurrentIndex(1);
}

void CorpusView::setStatus(const QString &text)
{
    d->status->setText(text);
    d->status->setVisible(!text.isEmpty());
}

QStringList CorpusView::scoreNames() const
{
    QStringList names;
    for (int i = 0; i < d->scores->count(); ++i)
        names << d->scores->itemData(i).toString();
    return names;
}

QString CorpusView::score() const { return d->scores->currentData().toString(); }

void CorpusView::chooseScore(const QString &name)
{
    const int index = d->scores->findData(name);
    if (index >= 0)
        d->scores->setCurrentIndex(index);
}

int64_t CorpusView::selectedEntry() const { return d->entry; }

void CorpusView::fillScores()
{
    const QSignalBlocker blocker(d->scores);
    d->scores->clear();
    for (const CorpusScoreSummary &score : d->run->scores())
        d->scores->addItem(QStringLiteral("%1 · %2").arg(score.name, CorpusRunModel::scoreLabel(score.name)), score.name);
    // The mean row entropy first, the score papers on heads start from (Clark et al. 2019).
    d->scores->setCurrentIndex(std::max(0, d->scores->findData(QStringLiteral("head-stats/entropy"))));
    showScore();
}

void CorpusView::showScore()
{
    if (!d->run || (d->score = d->run->scoreIndex(score())) < 0)
        return;
    const CorpusScoreSummary &summary = d->scoreSummary();
    d->tableStack->setCurrentIndex(summary.perHead() ? 0 : 1);
    if (summary.perHead())
        fillTable();
    d->entry = -1;
    selectEntry(summary.perHead() ? int64_t(d->qkLayer) * summary.shape[1] + d->qkHead : 0);
}

void CorpusView::fillTable()
{
    const CorpusScoreSummary &score = d->scoreSummary();
    const int layers = int(score.shape[0]), heads = int(score.shape[1]);
    const HeatmapStyle style = corpusTableStyle(score);
    const QString label = CorpusRunModel::scoreLabel(score.name);
    const QSignalBlocker blocker(d->table);
    d->table->clear();
    d->table->setRowCount(layers);
    d->table->setColumnCount(heads);
    for (int layer = 0; layer < layers; ++layer)
        d->table->setVerticalHeaderItem(layer, new QTableWidgetItem(QStringLiteral("L%1").arg(layer)));
    for (int head = 0; head < heads; ++head)
        d->table->setHorizontalHeaderItem(head, new QTableWidgetItem(QStringLiteral("H%1").arg(head)));
    const int decimals = intervalDecimals(score);
    for (int k = 0; k < layers * heads; ++k) {
        const CorpusEntryStats &entry = score.entries[size_t(k)];
        auto *item = new QTableWidgetItem;
        item->setData(Qt::UserRole, entry.mean);
        item->setData(Qt::UserRole + 1, entry.low);
        item->setData(Qt::UserRole + 2, entry.high);
        const QColor background = QColor::fromRgb(style.colorOf(entry.mean));
        item->setBackground(background);
        item->setForeground(textColorOn(background.rgb()));
        item->setTextAlignment(Qt::AlignCenter);
        item->setToolTip(tr("L%1 H%2 · %3\nmean %4, %5% interval [%6, %7]\nover %8 examples")
                             .arg(k / heads).arg(k % heads).arg(label)
                             .arg(entry.mean, 0, 'f', decimals + 1).arg(std::lround(d->run->level() * 100))
                             .arg(entry.low, 0, 'f', decimals + 1).arg(entry.high, 0, 'f', decimals + 1).arg(entry.examples));
        d->table->setItem(k / heads, k % heads, item);
    }
    d->scale->setScale(style, label);
    updateTableTexts();
}

// "0.53 [0.50, 0.56]" where the column is wide enough, else the mean (the tooltip has all).
void CorpusView::updateTableTexts()
{
    if (!d->hasRun() || !d->scoreSummary().perHead())
        return;
    const CorpusScoreSummary &score = d->scoreSummary();
    const int decimals = intervalDecimals(score);
    const int heads = int(score.shape[1]);
    const int room = d->table->viewport()->width() / std::max(1, heads) - 6;
    const QFontMetrics metrics(d->table->font());
    const QSignalBlocker blocker(d->table);
    bool allFit = true;
    for (int k = 0; k < d->table->rowCount() * heads; ++k) {
        const QString full = intervalText(score.entries[size_t(k)], decimals);
        const bool fits = metrics.horizontalAdvance(full) <= room;
        allFit = allFit && fits;
        if (QTableWidgetItem *item = d->table->item(k / heads, k % heads))
            item->setText(fits ? full : full.section(QLatin1Char(' '), 0, 0));
    }
    if (allFit != d->intervalsShown) {
        d->intervalsShown = allFit;
        updateCaptions();
    }
}

bool CorpusView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == d->table->viewport() && event->type() == QEvent::Resize)
        updateTableTexts();
    return QWidget::eventFilter(watched, event);
}

void CorpusView::selectEntry(int64_t entry)
{
    if (!d->hasRun() || entry == d->entry)
        return;
    const CorpusScoreSummary &score = d->scoreSummary();
    if (entry < 0 || entry >= int64_t(score.entries.size()))
        return;
    d->entry = entry;
    if (score.perHead()) {
        d->qkLayer = int(entry / score.shape[1]);
        d->qkHead = int(entry % score.shape[1]);
        const QSignalBlocker blocker(d->table);
        d->table->setCurrentCell(d->qkLayer, d->qkHead);
    }
    showEntry();
}

void CorpusView::showEntry()
{
    const CorpusScoreSummary &score = d->scoreSummary();
    const QString label = CorpusRunModel::scoreLabel(score.name);
    if (!score.perHead())
        d->bandFigure = std::make_unique<CorpusBandFigure>(score, figureTitle(QStringLiteral("table")), label, d->run->level(), int(d->entry));
    d->markedExample = -1;
    d->rebuildQueryKeys(figureTitle(QStringLiteral("qk")));
    fillTopExamples();
    updateCaptions();
    countValues();
    d->band->update();
    d->qkCanvas->update();
}

void CorpusView::fillTopExamples()
{
    const CorpusScoreSummary &score = d->scoreSummary();
    const auto &top = score.entries[size_t(d->entry)].top;
    const int decimals = intervalDecimals(score) + 1;
    d->top->setRowCount(int(top.size()));
    for (int row = 0; row < int(top.size()); ++row) {
        const auto &[index, value] = top[size_t(row)];
        const std::optional<CorpusExampleInfo> info = d->run->example(index);
        const QStringList cells{QString::number(value, 'f', decimals), QString::number(index), info ? QString::number(info->line) : QString(),
                                info ? QString::number(info->tokens) : QString(), info ? info->text : tr("(not in examples.jsonl)")};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells[column]);
            item->setData(Qt::UserRole, qint64(index));
            item->setToolTip(column == 4 ? cells[column] : tr("Double-click to open example %1 in the workspace").arg(index));
            if (column < 4)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            d->top->setItem(row, column, item);
        }
    }
    d->top->resizeColumnsToContents();
}

void CorpusView::openTopExample(int row)
{
    const QTableWidgetItem *item = d->top->item(row, 0);
    if (!item || !d->hasRun())
        return;
    const CorpusScoreSummary &score = d->scoreSummary();
    d->openExample(this, item->data(Qt::UserRole).toLongLong(), score.perHead() ? d->qkLayer : -1, score.perHead() ? d->qkHead : -1);
}

void CorpusView::openSampleToken(int point)
{
    if (!d->hasRun() || point < 0 || d->run->sampleExamples().empty())
        return;
    const size_t token = size_t(point) % d->run->sampleExamples().size();
    d->openExample(this, d->run->sampleExamples()[token], d->qkLayer, d->qkHead);
}

} // namespace attnscope
