#pragma once
// bertviz's head view, natively: the tokens as two columns and, for the chosen heads of the
// shown layer, weighted lines from each query to the keys it attends to, one color per head.
// Hover a token to keep only its lines; with a sentence pair, a filter keeps one direction.
// Inputs longer than kMostTokens tokens show a window of kWindowTokens tokens around the
// selected query (queries and keys alike), and say which. The chosen heads survive a new run
// as long as they exist in it.

#include <memory>
#include <utility>
#include <vector>

#include <QJsonObject>
#include <QWidget>

namespace attnscope {

class AttentionRecord;

class LinesView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMostTokens = 1024;
    static constexpr int kWindowTokens = 256;

    explicit LinesView(QWidget *parent = nullptr);
    ~LinesView() override;

    // segments: per token 0 (sentence A) or 1 (B); may be empty.
    void setAttention(std::shared_ptr<const AttentionRecord> record, const QStringList &tokens,
                      const std::vector<int> &segments);
    // Shows `layer`; when a single head is chosen, the choice follows `head`.
    void showHead(int layer, int head);
    // The selected query: long inputs show the window around it (by default the last token).
    void setQuery(int query);
    // The tokens drawn, [first, last): all of them, or the window of a long input.
    std::pair<int, int> shownTokens() const;
    void setChosenHeads(const std::vector<int> &heads);
    std::vector<int> chosenHeads() const;
    void setPairFilter(int filter); // index into pairFilterNames()
    // The chosen heads and the sentence filter, as a session keeps them.
    QJsonObject settings() const;
    void applySettings(const QJsonObject &settings);
    // The lines drawn now (after focus and filter): (head, query, key, weight), tokens counted
    // from the input's first.
    std::vector<std::tuple<int, int, int, float>> drawnLines() const;
    QWidget *canvas() const;
    QPointF tokenPosition(int side, int token) const; // canvas pixels; side 1 = query, 0 = key; a shown token

private:
    void rebuild();

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace attnscope
