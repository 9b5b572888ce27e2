#include "ui/open_model_dialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "ui/hub_model_table.h"

namespace attnscope {

namespace {

QString nativeList(const QStringList &dirs)
{
    QStringList native;
    for (const QString &dir : dirs)
        native << QDir::toNativeSeparators(dir);
    return native.join(QStringLiteral(", "));
}

} // namespace

OpenModelDialog::OpenModelDialog(const QString &browseStartDir, QWidget *parent)
    : QDialog(parent), m_browseStartDir(browseStartDir), m_cacheDirs(hubCacheDirs()),
      m_table(new HubModelTable(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_view(new QTableView(this)), m_filter(new QLineEdit(this)), m_status(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Open Model"));

    m_proxy->setSourceModel(m_table);
    m_proxy->setSortRole(Qt::UserRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(HubModelTable::ModelColumn, Qt::AscendingOrder);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(HubModelTable::ModelColumn,
                                                     QHeaderView::Stretch);

    m_filter->setPlaceholderText(tr("Filter by name, architecture or type"));
    m_filter->setClearButtonEnabled(true);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    QPushButton *browseButton = m_buttons->addButton(tr("Browse Folder…"),
                                                     QDialogButtonBox::ActionRole);
    m_buttons->button(QDialogButtonBox::Open)->setEnabled(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Models downloaded from the Hugging Face hub on this computer:"), this));
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
    resize(860, 480);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &OpenModelDialog::updateSelection);
    connect(m_view, &QTableView::doubleClicked, this, &OpenModelDialog::openSelected);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &OpenModelDialog::openSelected);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browseButton, &QPushButton::clicked, this, &OpenModelDialog::browse);
    connect(&m_scan, &QFutureWatcher<QVector<HubModel>>::finished, this,
            &OpenModelDialog::showScanResult);

    m_status->setText(m_cacheDirs.isEmpty() ? QString()
                                            : tr("Scanning %1…").arg(nativeList(m_cacheDirs)));
    // A cache with many models takes a while to measure; the dialog stays responsive.
    m_scan.setFuture(QtConcurrent::run([dirs = m_cacheDirs] { return scanHubCaches(dirs); }));
}

OpenModelDialog::~OpenModelDialog() = default;

void OpenModelDialog::showScanResult()
{
    const QVector<HubModel> models = m_scan.result();
    m_table->setModels(models);
    if (m_cacheDirs.isEmpty())
        m_status->setText(tr("No Hugging Face cache on this computer (looked at $HF_HUB_CACHE, "
                             "$HF_HOME and ~/.cache/huggingface/hub). "
                             "Use Browse Folder… to pick a model folder."));
    else if (models.isEmpty())
        m_status->setText(tr("No models in %1. Use Browse Folder… to pick a model folder.")
                              .arg(nativeList(m_cacheDirs)));
    else
        m_status->setText(tr("%n model snapshot(s) in %1.", nullptr, int(models.size()))
                              .arg(nativeList(m_cacheDirs)));
    Q_EMIT scanFinished(int(models.size()));
}

const HubModel *OpenModelDialog::selectedModel() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return nullptr;
    return &m_table->modelAt(m_proxy->mapToSource(rows.first()).row());
}

void OpenModelDialog::updateSelection()
{
    const HubModel *model = selectedModel();
    const bool openable = model && model->problem.isEmpty();
    m_buttons->button(QDialogButtonBox::Open)->setEnabled(openable);
    if (model)
        m_status->setText(openable ? QDir::toNativeSeparators(model->path)
                                   : tr("%1 cannot be opened: %2").arg(model->repoId, model->problem));
}

void OpenModelDialog::openSelected()
{
    const HubModel *model = selectedModel();
    if (!model || !model->problem.isEmpty())
        return;
    m_chosen = model->path;
    accept();
}

void OpenModelDialog::browse()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Model Folder"),
                                                          m_browseStartDir);
    if (dir.isEmpty())
        return;
    m_chosen = dir;
    accept();
}

} // namespace attnscope
