#pragma once
// What figure to draw, as the GUI's export dialog and `attnscope-cli render` both say it: the
// view, what it shows (layer, head, token …), its colors, and the page. A request made in the
// GUI turns into the CLI options that reproduce it ("Copy as command"), and the CLI parses
// those options back into the same request, so both draw the same pixels.

#include <map>
#include <memory>
#include <stdexcept>
#include <vector>

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QStringList>

#include "viz/figure/figure_content.h"
#include "viz/figure/figure_page.h"

namespace attnscope {

class AttentionRecord;
struct AnalysisResult;

// A request that does not fit the attention (layer out of range, unknown view …): one line.
class FigureRequestError : public std::invalid_argument {
public:
    explicit FigureRequestError(const QString &what) : std::invalid_argument(what.toStdString()) {}
};

struct FigureRequest {
    QString view = QStringLiteral("head"); // figureViewNames()
    int layer = -1;      // -1: the view's default (the last layer for rollout-like views, else 0)
    int head = -1;       // -1: 0, or every head where the view can show them all (lines)
    int token = -1;      // the query (token view, neuron view); -1: the last token
    int key = -1;        // the key (neuron view); -1: the strongest key of the query
    QString direction;   // token view: "query" (its row, the default) or "key" (its column)
    QString colormap;    // empty: the view's default
    QString scale;       // "linear" (default), "log", "gamma"
    QString drawing;     // graph view: "layered" (default), "arcs", "bipartite"
    QString edges;       // graph view: edgeSourceNames(), default "layer-mean"
    double threshold = -1; // graph view: edges under this weight are left out; -1: the default
    QString score;       // charts: a per-head score, figureScoreNames()
    QString chart;       // charts: "table" (layers × heads, the default) or "layers" (mean per layer)
    QString compared;    // of a variant run: "variant" (default), "reference", or (head only) "difference"
    bool perRow = false; // head, rollout: each row divided by its peak (as the head view's "per row")
    QString method;      // analysis: the analysis (analysisNames())
    QString tensor;      // analysis: which tensor of its result; empty: the one it is named after
    std::map<QString, QString> methodOptions; // analysis: the method's options as given ("true" for a flag)
    FigurePage page;

    // The options of `attnscope-cli render` (after SOURCE and the input) that give this
    // request, defaults left out; --out is not among them.
    QStringList arguments() const;
    bool operator==(const FigureRequest &other) const;
};

// What a figure is drawn from: a run's attention and its tokens.
struct FigureSource {
    std::shared_ptr<const AttentionRecord> record;
    QStringList labels;          // one display string per token
    std::vector<int> segments;   // sentence of each token (0 = A, 1 = B); may be empty
    bool causal = false;         // a decoder: future keys are masked
    std::shared_ptr<const AttentionRecord> reference; // the plain run beside a variant's, or null
    std::shared_ptr<const AnalysisResult> analysis;   // the result of request.method on `record`
                                                      // (analysis view; whoever holds the model runs it)
};

// The labels (token texts) and segments (sentence A or B) of the record's tokens.
FigureSource figureSourceOf(std::shared_ptr<const AttentionRecord> record, bool causal);

QStringList figureViewNames(); // the views the page system draws
QStringList comparedMapNames(); // "variant", "reference", "difference"
// The charts figure's --score for an analysis' per-head tensor (e.g. head-stats "to_cls" →
// "to-cls"); empty when the charts figure cannot draw it (it needs the model).
QString figureScoreFor(const QString &method, const QString &tensor);
// What that score's figure writes on its axis, unit included (e.g. "mean row entropy (bits)"),
// so that the GUI's charts say the same; empty when the charts figure cannot draw it.
QString figureScoreLabel(const QString &method, const QString &tensor);
QString figureViewDescription(const QString &view);

// Every option of FigureRequest (view options and page), for the CLI's parser.
QList<QCommandLineOption> figureRequestOptions();
// Throws FigureRequestError for a value that does not parse or is out of range.
FigureRequest figureRequestFromParser(const QCommandLineParser &parser);
// The page options alone (--width … --vector-cells), for figures outside the request (overlay).
FigurePage figurePageFromParser(const QCommandLineParser &parser);

// Throws FigureRequestError when the request does not fit the source.
std::unique_ptr<FigureContent> makeFigure(const FigureRequest &request, const FigureSource &source);

// The line a shell runs to draw the figure again: the program, SOURCE, the input options
// (e.g. {"--text", "…"}), the request's options and --out, each quoted for a POSIX shell.
QString renderCommandLine(const QString &sourcePath, const QStringList &inputArguments,
                          const FigureRequest &request, const QString &outPath);

} // namespace attnscope
