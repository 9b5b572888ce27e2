#pragma once
// Runs the analyses of core/analysis on the workspace's last run and draws every result
// (analysis_pictures.h says which picture each tensor gets): a per-head score as a layers ×
// heads table with its mean per layer (or, for the head statistics' token roles, bars per
// layer); token × token results (rollout, flow of every token, relevance, words) as a map
// (HeadView: zoom, hover) with bars for the selected output row (the last one at first); one
// value per token as bars and the input text coloured by it; the heads' MDS map as a scatter;
// the pruning curve. Choosing another method drops the shown picture at once; "Computing …"
// stands in its place until the result (or a one-line error) arrives. Clicking a head — a table
// cell or a point of the map — asks the workspace to open it.

#include <memory>
#include <vector>

#include <QWidget>

class QChart;

namespace attnscope {

class AttentionRun;
class HeadView;
class TilePyramid;

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
    // One line at the top saying which run the result is of, e.g. "reference · layer 2".
    void setRunCaption(const QString &caption);
    QString runCaption() const;
    // Drops the shown result, e.g. because the input changed.
    void clear();

    // The result's tensors that have a picture, the one shown first leading; and showing one.
    QStringList scoreNames() const;
    void showScore(const QString &tensor);
    // Matrix results: the row (output token) whose bars are shown, and the slice of a result
    // with layers (and heads; head −1 = the mean of the heads).
    void selectRow(int row);
    int selectedRow() const;
    void selectSlice(int layer, int head = -1);

    double tableValue(int layer, int head) const;
    QString shownMethod() const; // the analysis and the tensor now shown; empty before
    QString shownScore() const;
    // What stands instead of a picture ("Computing rollout…", an error); empty with a picture.
    QString message() const;
    QChart *chart() const;
    HeadView *mapView() const;
    std::shared_ptr<TilePyramid> mapPyramid() const; // null unless a map is shown
    QString coloredText() const; // the input coloured by the values of the bars (HTML), or empty

Q_SIGNALS:
    void headChosen(int layer, int head);
    void shown(); // an analysis result is on screen
    // The per-head score now shown (the model view shows it as badges); empty name and values
    // when the shown picture is not per head.
    void scoreShown(const QString &name, const std::vector<std::vector<double>> &values);

private:
    void rebuildOptions();
    void showMessage(const QString &text);
    void dropPicture();
    void setChart(QChart *chart);
    void showResult();
    void drawHeadScores();
    void drawMatrix();
    void drawRowBars();
    void drawBars();
    void drawHeadMap();
    void drawPruningCurve();
    void showColoredText(const std::vector<double> &values, const QStringList &labels);

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace attnscope
