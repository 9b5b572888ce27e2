#pragma once
// The Corpus view (issue #29): a folder written by `attnscope-cli batch` as what a head does
// over a whole dataset. A score picker; the layers × heads table of the score's means with
// their intervals (a per-layer score: its line in its interval band); the selected head's
// distribution over the examples (streamed from values.bin); the examples where that head's
// score is highest, and its joint query–key map when the run sampled one. Double-clicking a
// top example, or clicking a point of the map, asks for that example in the usual workspace
// (exampleChosen). Every chart carries a caption naming score, head, corpus and number of
// examples, and exports as a figure. A folder that is no usable run shows one message instead.

#include <cstdint>
#include <memory>

#include <QWidget>

#include "viz/figure/figure_content.h"

class QTableWidget;

namespace attnscope {

class CorpusRunModel;
struct CorpusHistogram;

struct CorpusExampleChoice {
    QString modelDir;
    QString text, pair; // read back whole from the corpus file
    int64_t index = 0;  // in the corpus
    int layer = -1, head = -1; // the head it was chosen for (−1: none)
};

class CorpusView : public QWidget {
    Q_OBJECT
public:
    explicit CorpusView(QWidget *parent = nullptr);
    ~CorpusView() override;

    // Loads the run; on failure shows the one-line reason in the view, and in *error.
    bool open(const QString &dir, QString *error = nullptr);
    const CorpusRunModel *run() const; // null until a run is open
    QString problem() const;           // the message shown instead of the run, or empty

    QStringList scoreNames() const;
    QString score() const;
    void chooseScore(const QString &name);
    int64_t selectedEntry() const; // layer · heads + head, or the stream of a per-layer score
    void selectEntry(int64_t entry);

    QTableWidget *table() const;       // layers × heads: mean under Qt::UserRole, interval ends under +1, +2
    QTableWidget *topExamples() const; // example index under Qt::UserRole
    // The selected entry's distribution, counted over values.bin in a worker: ready once
    // distributionShown() was emitted for the entry now selected.
    const CorpusHistogram &histogram() const;
    bool distributionReady() const;
    QString caption(const QString &chart) const; // "table", "distribution", "examples", "qk"
    QString figureTitle(const QString &chart) const; // its figure's (shorter) title
    // Opens row `row` of the top examples (as a double-click does): emits exampleChosen, or
    // says in the status line why it cannot.
    void openTopExample(int row);
    void openSampleToken(int point); // a point of the query–key map (its index in the map)
    QString statusText() const;

    // "table" (or the per-layer line), "distribution", "qk"; null when it cannot be drawn.
    std::unique_ptr<FigureContent> figure(const QString &chart) const;
    void exportFigure(); // the Export dialog for the chart last used
    void exportFigure(const QString &chart);

Q_SIGNALS:
    void exampleChosen(const CorpusExampleChoice &choice);
    void distributionShown();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override; // the table's texts follow its width

private:
    void showProblem(const QString &message);
    void fillScores();
    void showScore();
    void fillTable();
    void updateTableTexts();
    void showEntry();
    void countValues(); // the distribution of the selected entry, in a worker
    void showCountedValues();
    void fillTopExamples();
    void updateCaptions();
    QWidget *buildCharts();
    void setStatus(const QString &text);

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace attnscope

Q_DECLARE_METATYPE(attnscope::CorpusExampleChoice)
