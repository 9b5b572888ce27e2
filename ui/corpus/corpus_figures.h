#pragma once
// The Corpus view's drawings, each a FigureContent so that what the view shows is what
// File → Export… writes: the layers × heads table of a score's means (a MatrixFigure, each
// cell with its mean and interval where they fit), a per-layer score's means as a line in its
// interval band, one entry's distribution over the examples (histogram, with the mean and its
// interval marked); the joint query–key map is query_key_figure.h.
// Titles say what is drawn: score, layer, head, corpus and number of examples (the view
// writes them).

#include <optional>

#include "ui/corpus/corpus_run_model.h"
#include "viz/figure/figure_content.h"
#include "viz/figure/matrix_figure.h"

namespace attnscope {

// The table's colours: viridis over [min(0, lowest mean), highest mean].
HeatmapStyle corpusTableStyle(const CorpusScoreSummary &score);
// Decimals that tell an interval's ends apart (from the typical interval width).
int intervalDecimals(const CorpusScoreSummary &score);
// "0.53 [0.50, 0.56]"; "–" for an entry no example defines.
QString intervalText(const CorpusEntryStats &entry, int decimals);
// Black or white, whichever reads better on `background` (by its perceived luminance).
QColor textColorOn(QRgb background);

class CorpusTableFigure : public FigureContent {
public:
    CorpusTableFigure(const CorpusScoreSummary &score, const QString &title, const QString &label, double level);
    QString title() const override { return m_title; }
    std::optional<FigureColorbar> colorbar() const override { return m_matrix.colorbar(); }
    std::optional<QRectF> plotRect(const QRectF &area, const FigureCanvas &canvas) const override;
    void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const override;

private:
    QRectF matrixArea(const QRectF &area, const FigureCanvas &canvas) const; // the area less the legend line
    CorpusScoreSummary m_score;
    QString m_title;
    double m_level;
    MatrixFigure m_matrix;
};

// x positions shared by the drawing and the view's mouse handling.
struct PlotFrame {
    QRectF plot;
    double xLow = 0, xHigh = 1;
    double x(double value) const { return plot.left() + (value - xLow) / (xHigh - xLow) * plot.width(); }
    double valueAt(double px) const { return xLow + (px - plot.left()) / plot.width() * (xHigh - xLow); }
};

class CorpusBandFigure : public FigureContent {
public:
    CorpusBandFigure(const CorpusScoreSummary &score, const QString &title, const QString &label, double level, int selected);
    QString title() const override { return m_title; }
    void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const override;
    int entryAt(const QRectF &area, const FigureCanvas &canvas, const QPointF &point) const; // −1: none

private:
    PlotFrame frame(const QRectF &area, const FigureCanvas &canvas) const;
    CorpusScoreSummary m_score;
    QString m_title, m_label;
    double m_level;
    int m_selected;
    double m_low = 0, m_high = 1;
};

class CorpusHistogramFigure : public FigureContent {
public:
    CorpusHistogramFigure(CorpusHistogram histogram, const CorpusEntryStats &entry, double level, const QString &title,
                          const QString &label);
    QString title() const override { return m_title; }
    void paint(QPainter &painter, const QRectF &area, const FigureCanvas &canvas) const override;
    int binAt(const QRectF &area, const FigureCanvas &canvas, const QPointF &point) const; // −1: none

private:
    PlotFrame frame(const QRectF &area, const FigureCanvas &canvas) const;
    CorpusHistogram m_histogram;
    CorpusEntryStats m_entry;
    double m_level;
    QString m_title, m_label;
};

} // namespace attnscope
