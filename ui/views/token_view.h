#pragma once
// One token's attention in one head: for a query, the weight it gives every key; or, reversed,
// the weight every query gives a key. Shown as a bar chart over the tokens (the strongest 48
// when the input is longer) and as the input text with each token's background coloured by
// its weight in the head map's colours (colormap, scale and range; the 256 tokens around the
// token when the input is longer), with the colour scale beside it. Absolute weights unless
// "per row" divides each weight by the peak of its row, as the head view's option of that
// name does. Both are painted directly, so that a head switch redraws them at once.

#include <memory>

#include <QJsonObject>
#include <QWidget>

#include "viz/heatmap_style.h"

namespace attnscope {

class AttentionRecord;
class ColoredTokens;
class TokenBarChart;
struct ColoredToken;

class TokenView : public QWidget {
    Q_OBJECT
public:
    enum class Direction { FromQuery, ToKey };

    explicit TokenView(QWidget *parent = nullptr);
    ~TokenView() override;

    void setAttention(std::shared_ptr<const AttentionRecord> record, const QStringList &tokens);
    void showHead(int layer, int head);
    void selectToken(int token);
    void setDirection(Direction direction);
    // The direction, as a session keeps it.
    QJsonObject settings() const;
    void applySettings(const QJsonObject &settings);
    Direction direction() const;
    // The head map's colours; rowNormalized: its rows are divided by their peaks (the range
    // then spans those shares). Until this is called: viridis, linear, 0 … the head's peak.
    void setColors(const HeatmapStyle &style, bool rowNormalized);
    void setRowNormalized(bool normalized);
    bool isRowNormalized() const;
    HeatmapStyle colors() const; // what the text is coloured with now

    // What is shown: one weight per token (keys for FromQuery, queries for ToKey).
    std::vector<double> weights() const; // as recorded (not divided by row peaks)
    // The bars: (token index, weight), strongest first when the input is long.
    std::vector<std::pair<int, double>> bars() const;
    const std::vector<ColoredToken> &coloredTokens() const; // of the coloured input (a window when long)
    ColoredTokens *coloredTokensWidget() const;
    TokenBarChart *barChart() const;

Q_SIGNALS:
    void tokenPicked(int token); // by the user: a query (FromQuery) or a key (ToKey)
    void rowNormalizationChanged(bool normalized);

private:
    void refresh();
    void showChart(int token, bool fromQuery);
    void showColoredText(int token, bool fromQuery);

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace attnscope
