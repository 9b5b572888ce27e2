#pragma once
// CorpusView's state, shared by corpus_view.cpp (loading, table, top examples) and
// corpus_view_charts.cpp (the drawn charts, their captions and export).

#include <memory>

#include <QFutureWatcher>

#include "ui/corpus/corpus_figures.h"
#include "ui/corpus/corpus_run_model.h"
#include "ui/corpus/corpus_view.h"
#include "ui/corpus/query_key_figure.h"
#include "ui/views/paint_canvas.h"

class QComboBox;
class QLabel;
class QStackedWidget;
class QTabWidget;

namespace attnscope {

class ColorScaleBar;
class ViewFrame;

// A distribution counted in a worker, for the choice numbered `generation`.
struct CountedValues {
    int generation = 0;
    CorpusHistogram histogram;
    QString error;
};

struct CorpusView::Private {
    std::shared_ptr<const CorpusRunModel> run; // shared with the worker counting values
    QStackedWidget *pages = nullptr; // the run, or the problem
    QLabel *problem = nullptr;
    QComboBox *scores = nullptr;
    QLabel *summary = nullptr;
    QLabel *status = nullptr;
    ViewFrame *tableFrame = nullptr;
    QStackedWidget *tableStack = nullptr; // the table, or the per-layer band
    QTableWidget *table = nullptr;
    ColorScaleBar *scale = nullptr;
    PaintCanvas *band = nullptr;
    QTabWidget *charts = nullptr;
    ViewFrame *distributionFrame = nullptr, *qkFrame = nullptr, *examplesFrame = nullptr;
    PaintCanvas *distributionCanvas = nullptr, *qkCanvas = nullptr;
    QTableWidget *top = nullptr;

    int score = -1;
    int64_t entry = -1;
    int qkLayer = 0, qkHead = 0; // the head last chosen (the map is per head)
    CorpusHistogram histogram;
    QFutureWatcher<CountedValues> *counting = nullptr;
    int generation = 0, shownGeneration = -1; // of the entry chosen, and of the histogram shown
    std::unique_ptr<CorpusBandFigure> bandFigure;
    std::unique_ptr<CorpusHistogramFigure> distribution;
    std::unique_ptr<QueryKeyFigure> queryKeys;
    int64_t markedExample = -1; // hovered in the map
    bool intervalsShown = true; // every cell of the table wide enough for its interval
    QString lastChart = QStringLiteral("table");

    bool hasRun() const { return run && score >= 0; }
    const CorpusScoreSummary &scoreSummary() const { return run->scores().at(size_t(score)); }
    void rebuildQueryKeys(const QString &title);
    // Reads the example back from the corpus and hands it to the workspace (or says why not).
    void openExample(CorpusView *view, int64_t index, int layer, int head);
};

} // namespace attnscope
