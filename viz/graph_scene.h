#pragma once
// What the token graph drawings share: the scene (kept edges, token labels, node values, each
// edge's weight level), the viewport along the token axis, the style, and the level of detail
// the painters apply. An edge's width and opacity follow its weight through one of
// kWeightLevels levels of w / maxWeight, so edges of one level draw with one pen in one call.

#include <QColor>
#include <QFont>
#include <QRectF>
#include <QStringList>

#include "core/analysis/token_graph.h"
#include "core/analysis/token_graph_weights.h"

namespace attnscope {

constexpr int kWeightLevels = 16;

// Level 0 … kWeightLevels − 1 of w / maxWeight (the top level holds the strongest edge).
int weightLevel(float weight, float maxWeight);

struct TokenGraphScene {
    TokenGraph graph;
    QStringList labels;                          // one per token
    std::vector<int> segments;                   // sentence of each token (0 = A, 1 = B); may be empty
    std::vector<std::vector<double>> nodeValues; // [L + 1][T] (rollout mass, flow) or empty
    QString nodeValueName;                       // what nodeValues hold, e.g. "rollout mass"
    std::vector<uint8_t> levels;                 // per kept edge: weightLevel(weight, maxWeight)

    // Fills `levels`; the rest is set by the caller. Runs in the worker with the graph build.
    void computeLevels();
    bool hasPair() const; // tokens of a second sentence are present
};

// The kept edges of `weights` (all layers, or only `layer` ≥ 0 for the one-head drawings)
// with their levels and node values: the work the views' workers run.
TokenGraphScene makeTokenGraphScene(const TokenGraphWeights &weights, const EdgeFilter &filter,
                                    const QStringList &labels, const std::vector<int> &segments, int layer = -1);

// Which part of the token axis is shown: the token at the start of `area` along that axis
// (fractional once panned) and the pixels per token (the zoom).
struct GraphViewport {
    QRectF area;
    double firstToken = 0;
    double tokenPixels = 16;
    double labelWidth = 80; // room for labels beside the token axis
};

struct GraphStyle {
    QColor edge = QColor(31, 87, 163);
    QColor highlight = QColor(224, 96, 16);
    QColor node = QColor(60, 60, 60);
    QColor text = QColor(20, 20, 20);
    QColor background = Qt::white;
    QColor segmentB = QColor(128, 48, 128); // labels of the second sentence
    QFont font;
    double minWidth = 0.6; // pixels, the weakest level
    double maxWidth = 4.0; // the strongest
    int maxDrawnEdges = 30000; // level of detail: the weakest levels beyond it are left out
    int antialiasEdges = 5000; // antialias only when drawing at most this many
};

// What a paint call drew, for the view's status line and the tests.
struct GraphPaintStats {
    size_t drawnEdges = 0;
    size_t culledEdges = 0;  // outside the viewport
    size_t mergedEdges = 0;  // on the same pixels as a stronger edge
    size_t droppedEdges = 0; // weaker than the level the edge budget reached
    bool labels = false;
    bool antialiased = false;
};

// The font of the token labels at `tokenPixels` per token: `font` itself when its rows fit,
// else a smaller one down to a 9 px line; nothing when even that does not fit.
std::optional<QFont> tokenLabelFont(const QFont &font, double tokenPixels);

// The token labels a drawing shows: every token in tokenLabelFont's font, or when the rows
// are too tight even for a 9 px line, every step-th token (step ≤ 3) in that smallest font,
// as the head view's axes do; nothing when labels would be sparser still.
struct TokenLabels {
    QFont font;
    int step = 1;
    bool shows(int token) const { return token % step == 0; }
};
std::optional<TokenLabels> tokenLabels(const QFont &font, double tokenPixels);
// The label width that fits `labels` (at most 160 px).
double labelWidthFor(const QStringList &labels, const QFont &font);

} // namespace attnscope
