#pragma once
// The outcome of comparing a variant with the reference: the per-head Jensen–Shannon
// divergence as a layers × heads table (click a cell to show the head) and the outputs
// (KL, top-1 agreement, loss, top-5 before and after, attention cost), from the JSON that
// attnscope-cli compare prints.

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QTableWidget;

namespace attnscope {

class ComparisonPanel : public QWidget {
    Q_OBJECT
public:
    explicit ComparisonPanel(QWidget *parent = nullptr);

    void setComparison(const QJsonObject &comparison);
    double tableDivergence(int layer, int head) const; // -1 outside the table
    QString outputsText() const;

Q_SIGNALS:
    void headChosen(int layer, int head);

private:
    QTableWidget *m_divergence;
    QLabel *m_outputs;
};

} // namespace attnscope
