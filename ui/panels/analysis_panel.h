#pragma once
// Runs the analyses of core/analysis on the workspace's last run and charts what they find
// (Qt Charts): any per-head score as a layers × heads table and its mean per layer as a line
// (entropy per layer, induction per layer …), the head statistics' attention to token roles
// as bars per layer, the MDS map of head distances as a scatter
// coloured by layer, and the head-pruning curve. Clicking a head — a table cell or a point
// of the map — asks the workspace to open it.

#include <memory>
#include <vector>

#include <QWidget>

class QChart;

namespace attnscope {

class AttentionRun;

class AnalysisPanel : public QWidget {
    Q_OBJECT
public:
    explicit AnalysisPanel(AttentionRun *run, QWidget *parent = nullptr);
    ~AnalysisPanel() override;

    void chooseMethod(const QString &name);
    void setOption(const QString &name, const QString &value);
    void startAnalysis();
    // The per-head tensor shown in the table, by name; and what the table and chart show.
    void showScore(const QString &tensor);
    double tableValue(int layer, int head) const;
    QString shownMethod() const; // the analysis and the tensor now in the table; empty before
    QString shownScore() const;
    QChart *chart() const;

Q_SIGNALS:
    void headChosen(int layer, int head);
    void shown(); // an analysis result is on screen
    // The per-head score now in the table (the model view shows it as badges).
    void scoreShown(const QString &name, const std::vector<std::vector<double>> &values);

private:
    void rebuildOptions();
    void showResult();
    void chartPerLayer(const QString &tensor);
    void chartHeadMap();
    void chartAttentionTargets();
    void chartPruningCurve();

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace attnscope
