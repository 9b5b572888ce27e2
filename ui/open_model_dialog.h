#pragma once
// File → Open Model Folder…: lists the Hugging Face models already downloaded to this
// computer (scanned in the background, filterable, sortable) and offers a folder browser
// for any other model folder. The caller validates and opens chosenFolder().

#include <QDialog>
#include <QFutureWatcher>
#include <QVector>

#include "core/io/hub_cache.h"

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace attnscope {

class HubModelTable;

class OpenModelDialog : public QDialog {
    Q_OBJECT
public:
    explicit OpenModelDialog(const QString &browseStartDir, QWidget *parent = nullptr);
    ~OpenModelDialog() override;

    QString chosenFolder() const { return m_chosen; }

Q_SIGNALS:
    void scanFinished(int modelCount);

private:
    void showScanResult();
    void updateSelection();
    void openSelected();
    void browse();
    const HubModel *selectedModel() const;

    QString m_browseStartDir;
    QString m_chosen;
    QStringList m_cacheDirs;
    QFutureWatcher<QVector<HubModel>> m_scan;
    HubModelTable *m_table;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QLineEdit *m_filter;
    QLabel *m_status;
    QDialogButtonBox *m_buttons;
};

} // namespace attnscope
