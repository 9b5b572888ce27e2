#pragma once
// Bars of one token's attention over other tokens, each labelled with its token (rotated,
// in full unless longer than a third of the chart's height), on round ticks of the weight.
// Painted directly: switching head redraws it in a millisecond, where a chart library
// rebuilds its scene. Hovering a bar names its token and exact weight.

#include <vector>

#include <QString>
#include <QWidget>

namespace attnscope {

struct TokenBar {
    int token = 0; // index in the input
    QString label;
    double weight = 0.0;
};

class TokenBarChart : public QWidget {
    Q_OBJECT
public:
    explicit TokenBarChart(QWidget *parent = nullptr);

    // highlighted: the token whose bar stands out (the query or key itself); -1 = none.
    void setBars(std::vector<TokenBar> bars, int highlighted, const QString &title, const QString &axisTitle);
    const std::vector<TokenBar> &bars() const { return m_bars; }
    QString title() const { return m_title; }
    // Each bar's label as painted at the current size ("…" only where it had to be cut).
    QStringList paintedLabels() const;
    QRectF barRect(int index) const; // in widget pixels
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    struct Layout;
    Layout layout() const;

    std::vector<TokenBar> m_bars;
    int m_highlighted = -1;
    QString m_title;
    QString m_axisTitle;
};

} // namespace attnscope
