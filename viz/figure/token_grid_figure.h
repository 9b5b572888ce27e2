#pragma once
// The logit lens as a figure: a streams × positions grid (the embedding, then after each
// layer; the input's tokens), each cell the top token's text on the colour of its probability.
// Positions that do not fit at a readable width are left out from the start: the last ones,
// where a prediction has the most context, stay, and the axis title says which are shown.

#include <vector>

#include <QStringList>

#include "viz/figure/figure_content.h"

namespace attnscope {

struct TokenGridFigureData {
    std::vector<QStringList> texts;                 // [row][column]: the cell's token
    std::vector<std::vector<double>> probabilities; // [row][column], 0 … 1
    QStringList rowLabels;                          // one per row
    QStringList columnLabels;                       // one per column: the input token there
    QString title;
};

class TokenGridFigure : public FigureContent {
public:
    explicit TokenGridFigure(TokenGridFigureData data);
    QString title() const override { return m_data.title; }
    std::optional<FigureColorbar> colorbar() const override;
    std::optional<QRectF> plotRect(const QRectF &area, const FigureCanvas &canvas) const override;
    void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const override;

private:
    struct Layout;
    Layout layoutIn(const QRectF &area, const FigureCanvas &canvas) const;

    TokenGridFigureData m_data;
};

} // namespace attnscope
