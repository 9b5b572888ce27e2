#pragma once
// A grid of tokens: one row per layer (the embedding first), one column per input position,
// each cell the token a layer ranks first, on the colour of its probability (the logit lens).
// Clicking a cell picks it; the picked cell is framed.

#include <vector>

#include <QStringList>
#include <QWidget>

namespace attnscope {

class TokenGridView : public QWidget {
    Q_OBJECT
public:
    explicit TokenGridView(QWidget *parent = nullptr);

    // texts[row][column] with values[row][column] in [0, 1].
    void setGrid(const std::vector<QStringList> &texts, const std::vector<std::vector<double>> &values,
                 const QStringList &rowLabels, const QStringList &columnLabels);
    void setSelectedCell(int row, int column);
    int rows() const { return int(m_texts.size()); }

    QSize sizeHint() const override;

Q_SIGNALS:
    void cellClicked(int row, int column);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void moveEvent(QMoveEvent *event) override; // scrolled: the frozen labels repaint in place

private:
    int visibleLeft() const; // the labels and the scale stay at the scrolled view's left edge
    QRect cellRect(int row, int column) const;

    std::vector<QStringList> m_texts;
    std::vector<std::vector<double>> m_values;
    QStringList m_rowLabels, m_columnLabels;
    int m_selectedRow = -1, m_selectedColumn = -1;
    int m_labelWidth = 0;
};

} // namespace attnscope
