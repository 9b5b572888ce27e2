#pragma once
// The input as running text, each token on a background of its colour (the selected one
// framed and bold), wrapped to the width; hovering a token shows its note (index, exact
// weight). Painted directly: thousands of rich-text spans would take a QLabel tens of
// milliseconds to lay out on every head switch.

#include <vector>

#include <QRgb>
#include <QString>
#include <QWidget>

namespace attnscope {

struct ColoredToken {
    QString text;
    QRgb background = 0xffffffff;
    QString note; // the tooltip
};

class ColoredTokens : public QWidget {
    Q_OBJECT
public:
    explicit ColoredTokens(QWidget *parent = nullptr);

    // header: a line above the tokens (e.g. which window of a long input); framed: the index
    // into `tokens` drawn framed, -1 = none.
    void setTokens(std::vector<ColoredToken> tokens, int framed, const QString &header);
    const std::vector<ColoredToken> &tokens() const { return m_tokens; }
    QString header() const { return m_header; }
    QRectF tokenRect(int index) const; // in widget pixels, at the current width
    // The text colour on a background: black on light, white on dark.
    static QRgb textColorOn(QRgb background);

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool event(QEvent *event) override;

private:
    std::vector<QRectF> flow(int width) const; // each token's box, wrapped to `width`
    QFont boldFont() const;

    std::vector<ColoredToken> m_tokens;
    int m_framed = -1;
    QString m_header;
    std::vector<QRectF> m_boxes; // at the current width
};

} // namespace attnscope
