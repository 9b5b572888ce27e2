#pragma once
// Attention as a graph: the layered token graph across every layer (edges carry one head, the
// layer mean, the rollout contribution or the attention flow of an output token), or one head
// as an arc diagram or a bipartite graph with the sentence-pair filter. Edges are kept by a
// threshold and a top-k per node; width and opacity follow the weight. Clicking a token
// highlights its paths of influence back to the inputs; hovering shows the values. The
// topology of the shown head's thresholded graph (edges, components, independent cycles) is
// read out beside the threshold. Weights and kept edges are computed in a worker (progress,
// Cancel); the drawing zooms (wheel, +/−) and pans (drag) along the token axis, Home fits.

#include <memory>

#include <QJsonObject>
#include <QWidget>

namespace attnscope {

class AttentionRecord;
struct GraphNode;
struct GraphPaintStats;
struct GraphTopology;
struct Influence;
struct TokenGraphScene;

class TokenGraphView : public QWidget {
    Q_OBJECT
public:
    enum class Drawing { Layered, Arcs, Bipartite };

    explicit TokenGraphView(QWidget *parent = nullptr);
    ~TokenGraphView() override;

    // segments: per token 0 (sentence A) or 1 (B); may be empty.
    void setAttention(std::shared_ptr<const AttentionRecord> record, const QStringList &tokens,
                      const std::vector<int> &segments);
    // The head the one-head drawings, the "head" edges and the topology show.
    void showHead(int layer, int head);
    // The output token rollout and flow follow (the selected query).
    void setOutputToken(int token);
    void setDrawing(Drawing drawing);
    void setEdgeSource(const QString &name); // edgeSourceNames()
    void setThreshold(double threshold);
    void setTopK(int topK);                  // 0 = every edge over the threshold
    void setPairFilter(int filter);          // index into pairFilterNames()
    Drawing drawing() const;
    QString edgeSource() const;              // edgeSourceNames()
    double threshold() const;
    int topK() const;
    int pairFilter() const;
    // Drawing, edge source, threshold, top-k and sentence filter, as a session keeps them.
    QJsonObject settings() const;
    void applySettings(const QJsonObject &settings);
    void chooseNode(const GraphNode &node);  // highlights its paths; an invalid node clears
    void cancel();

    bool isReady() const;                    // the scene for the current settings is drawn
    const TokenGraphScene &scene() const;
    const Influence &influence() const;
    const GraphTopology &topology() const;   // of the shown head at the threshold
    QString topologyText() const;
    const GraphPaintStats &paintStats() const; // of the last repaint
    QWidget *canvas() const;
    QPointF nodePosition(const GraphNode &node) const; // canvas pixels
    QByteArray svg() const;                  // the drawing as it is shown, as SVG
    bool exportSvg(const QString &path, QString *error);

Q_SIGNALS:
    void ready();
    void tokenChosen(int token); // a click on a token node

protected:
    void showEvent(QShowEvent *event) override;

private:
    void compute();
    void zoomAt(double factor, const QPointF &anchor);
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace attnscope
