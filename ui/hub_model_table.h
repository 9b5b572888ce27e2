#pragma once
// The Hugging Face models found on this computer as a table for the Open Model dialog:
// model, revision, architecture, type, size. Snapshots that cannot be opened are greyed out
// and their tooltip says why. Qt::UserRole gives sortable raw values.

#include <QAbstractTableModel>
#include <QVector>

#include "core/io/hub_cache.h"

namespace attnscope {

class HubModelTable : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ModelColumn, RevisionColumn, ArchitectureColumn, TypeColumn, SizeColumn,
                  ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setModels(const QVector<HubModel> &models);
    const HubModel &modelAt(int row) const { return m_models[row]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    QVector<HubModel> m_models;
};

} // namespace attnscope
