#pragma once
// The drawings of one generation step, shared by the studio's widgets and the generation
// figure so that both show the same: the candidates as horizontal bars on an absolute
// probability axis (0 to 1, so a higher temperature visibly flattens them; the written token
// in orange, a token picked to branch with outlined), the row that chose the token as a
// layers × heads grid of strips (one cell per key), and the text coloured by one row. Their
// headings (what each shows) are the caller's: headingLines() wraps one to a width.

#include <optional>
#include <utility>
#include <vector>

#include <QFont>
#include <QRectF>
#include <QRgb>
#include <QStringList>

#include "viz/generation_step.h"
#include "viz/heatmap_style.h"

class QPainter;

namespace attnscope {

constexpr QRgb kWrittenTokenColor = 0xffe66101; // orange: the token the step wrote
constexpr QRgb kCandidateColor = 0xff3b6fb6;    // blue: the other candidates

// `text` wrapped at word boundaries to `width` (a word longer than the width is elided).
QStringList headingLines(const QString &text, const QFont &font, double width);

// Candidate i's row (label, bar and value) in `area`.
QRectF candidateRowRect(const QRectF &area, int count, const QFont &font, int index);
// picked: the id outlined as the branch choice, -1 = none.
void paintCandidateBars(QPainter &painter, const QRectF &area, const StepPicture &picture, const QFont &font,
                        int64_t picked = -1);

// The grid's cell of (layer, head) in `area` (labels "L0" left and "H0" on top).
QRectF rowGridCellRect(const QRectF &area, const StepPicture &picture, const QFont &font, int layer, int head);
std::optional<std::pair<int, int>> rowGridCellAt(const QRectF &area, const StepPicture &picture, const QFont &font,
                                                 const QPointF &point);
// The cell of (selectedLayer, selectedHead) framed; style's range is the colours' span.
void paintRowGrid(QPainter &painter, const QRectF &area, const StepPicture &picture, const HeatmapStyle &style,
                  const QFont &font, int selectedLayer, int selectedHead);

// Tokens wrapped in `area`, each on the colour of its weight; `framed` drawn framed and bold,
// then `written` (empty: none) in orange as the token the row wrote.
void paintWeightedText(QPainter &painter, const QRectF &area, const QStringList &labels, const float *weights,
                       const HeatmapStyle &style, const QFont &font, int framed, const QString &written);

} // namespace attnscope
