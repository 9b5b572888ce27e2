#pragma once
// Which labels a token axis of a figure shows, by the head view's rules: every token in the
// page's font, or a smaller one down to FigurePage::kLeastFontPoints; then every n-th token (n ≤
// kMostTokenStep); only then indices at round steps. The font never goes under the floor, so
// printed labels stay legible.

#include <QFont>
#include <QStringList>

#include "viz/figure/figure_page.h"

namespace attnscope {

constexpr qint64 kMostTokenStep = 3;   // a token on every third cell at most, indices beyond

struct TokenAxis {
    QFont font;
    bool tokens = false; // tokens, or cell indices
    qint64 step = 1;     // a label every step-th cell
    // The text of cell i's label (unabbreviated).
    QString text(const QStringList &labels, qint64 cell) const;
};

// `cell`: the cell's side in points; `base`: the page's font (sized in pixels = points).
TokenAxis chooseTokenAxis(const QStringList &labels, qint64 count, double cell, const QFont &base);

} // namespace attnscope
