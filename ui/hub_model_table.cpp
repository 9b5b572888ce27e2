#include "ui/hub_model_table.h"

#include <QDir>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>

namespace attnscope {

namespace {

QString revisionText(const HubModel &model)
{
    const QString commit = model.revision.left(10);
    return model.refs.isEmpty() ? commit
                                : QStringLiteral("%1 (%2)").arg(model.refs.join(QStringLiteral(", ")), commit);
}

QString displayText(const HubModel &model, int column)
{
    switch (column) {
    case HubModelTable::ModelColumn: return model.repoId;
    case HubModelTable::RevisionColumn: return revisionText(model);
    case HubModelTable::ArchitectureColumn: return model.architectures.join(QStringLiteral(", "));
    case HubModelTable::TypeColumn: return model.modelType;
    case HubModelTable::SizeColumn: return QLocale().formattedDataSize(model.sizeBytes);
    }
    return QString();
}

QString toolTip(const HubModel &model)
{
    const QString path = QDir::toNativeSeparators(model.path);
    return model.problem.isEmpty() ? path : QStringLiteral("%1\n%2").arg(model.problem, path);
}

} // namespace

void HubModelTable::setModels(const QVector<HubModel> &models)
{
    beginResetModel();
    m_models = models;
    endResetModel();
}

int HubModelTable::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_models.size());
}

int HubModelTable::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HubModelTable::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_models.size())
        return {};
    const HubModel &model = m_models[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return displayText(model, index.column());
    case Qt::UserRole:
        return index.column() == SizeColumn ? QVariant(model.sizeBytes)
                                            : QVariant(displayText(model, index.column()));
    case Qt::ToolTipRole:
        return toolTip(model);
    case Qt::ForegroundRole:
        if (!model.problem.isEmpty())
            return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    return {};
}

QVariant HubModelTable::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ModelColumn: return tr("Model");
    case RevisionColumn: return tr("Revision");
    case ArchitectureColumn: return tr("Architecture");
    case TypeColumn: return tr("Type");
    case SizeColumn: return tr("Size");
    }
    return {};
}

Qt::ItemFlags HubModelTable::flags(const QModelIndex &index) const
{
    // Problem rows stay selectable so the dialog can say why they cannot be opened.
    return index.isValid() ? Qt::ItemIsEnabled | Qt::ItemIsSelectable : Qt::NoItemFlags;
}

} // namespace attnscope
