#pragma once
// One analysis result drawn (analysis_pictures.h says which picture each tensor gets): a
// "Show" list of the result's tensors, a layers × heads table with its mean per layer (or the
// head statistics' token roles as bars per layer), a matrix map (HeadView: zoom, hover) with
// the bars of its selected row — the last at first — and, for results with layers (and heads),
// which slice is on the map; bars per token with the input coloured by them; the heads' MDS
// map; the pruning curve; the logit lens' grid of top tokens with the top-k of a cell. Clicking
// a table cell, a point of the heads' map or a row of a map picks that head or row; a cell of
// the grid picks it and opens its layer.

#include <memory>
#include <vector>

#include <QStringList>
#include <QWidget>

class QChart;

namespace attnscope {

struct AnalysisResult;
struct FigureRequest;
struct RecordShape;
class HeadView;
class TilePyramid;
class TokenGridView;

class AnalysisResultView : public QWidget {
    Q_OBJECT
public:
    explicit AnalysisResultView(QWidget *parent = nullptr);
    ~AnalysisResultView() override;

    // Draws the result's first tensor (the one the method is named after, or the most telling).
    // `tokens` label the record's T tokens; `causal`: token × token maps mask future keys.
    void setResult(const QString &method, std::shared_ptr<const AnalysisResult> result, const RecordShape &shape,
                   const QStringList &tokens, bool causal);
    void clear(); // every chart, map and table goes

    QStringList scoreNames() const; // the tensors that have a picture, the first one leading
    void showScore(const QString &tensor);
    QString method() const; // of the result shown; empty when none
    QString score() const;  // the tensor shown
    std::shared_ptr<const AnalysisResult> result() const;
    // The analysis figure of what is shown: the tensor and its slice (layer, head, position).
    void describeFigure(FigureRequest &request) const;
    // Matrix pictures: the row whose bars are shown, and the slice of a result with layers
    // (and heads: head −1 = the mean of the heads).
    void selectRow(int row);
    int selectedRow() const;
    void selectSlice(int layer, int head = -1);
    // The workspace's head: the slice of a map with layers (and heads), the cell of a table.
    void followHead(int layer, int head);

    double tableValue(int layer, int head) const;
    QChart *chart() const;
    HeadView *mapView() const;
    std::shared_ptr<TilePyramid> mapPyramid() const; // null unless a map is shown
    QString coloredText() const; // the input coloured by the bars (HTML), or empty
    TokenGridView *tokenGrid() const;

Q_SIGNALS:
    void headChosen(int layer, int head);
    // The per-head score now shown (name with its unit), or an empty name when the shown
    // picture is not per head.
    void scoreShown(const QString &name, const std::vector<std::vector<double>> &values);

private:
    void setChart(QChart *chart);
    void drawHeadScores();
    void drawMatrix();
    void drawRowBars();
    void drawBars();
    void drawHeadMap();
    void drawPruningCurve();
    void drawTokenGrid();
    void drawGridCell(int row, int column);
    void showColoredText(const std::vector<double> &values, const QStringList &labels);

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace attnscope
