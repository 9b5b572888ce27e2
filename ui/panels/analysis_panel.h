#pragma once
// Runs the analyses of core/analysis on the workspace's last run — the method, its options,
// Run — and draws every result in an AnalysisResultView: per-head scores as a layers × heads
// table with the mean per layer, token × token results (rollout, flow, relevance, words) as a
// map with the bars of the selected output row, values per token as bars over the coloured
// input, the heads' MDS map, the pruning curve; the result's summary beside it. Choosing
// another method drops the shown picture at once; "Computing …" stands in its place until the
// result or a one-line error arrives. Clicking a head (a table cell, a point of the heads' map)
// asks the workspace to open it.

#include <map>
#include <memory>
#include <vector>

#include <QWidget>

class QChart;

namespace attnscope {

class AnalysisResultView;
class AttentionRun;

class AnalysisPanel : public QWidget {
    Q_OBJECT
public:
    explicit AnalysisPanel(AttentionRun *run, QWidget *parent = nullptr);
    ~AnalysisPanel() override;

    // Picks the method (its options appear, the shown result goes); startAnalysis() runs it.
    // Picking one in the panel's own list also runs it.
    void chooseMethod(const QString &name);
    void setOption(const QString &name, const QString &value);
    void startAnalysis();
    // Drops the shown result, e.g. because the input changed.
    void clear();

    // The shown result's tensor on screen (one of resultView()->scoreNames()).
    void showScore(const QString &tensor);
    double tableValue(int layer, int head) const;
    QString shownMethod() const; // the analysis and the tensor now shown; empty before
    QString shownScore() const;
    // The options the shown result was computed with ("true" for a flag), for its figure's
    // command line.
    std::map<QString, QString> shownOptions() const;
    // What stands instead of a picture ("Computing rollout…", an error); empty with a picture.
    QString message() const;
    QChart *chart() const;
    AnalysisResultView *resultView() const;

Q_SIGNALS:
    void headChosen(int layer, int head);
    void shown(); // an analysis result is on screen
    // The per-head score now shown (the model view shows it as badges); an empty name and no
    // values when none is.
    void scoreShown(const QString &name, const std::vector<std::vector<double>> &values);

private:
    void rebuildOptions();
    void showMessage(const QString &text);
    void showResult(const QString &finished); // the method whose result arrived

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace attnscope
