#pragma once
// The selected query–key pair of the shown head, dimension by dimension (bertviz's neuron
// view): q, k and their scaled product, the dimensions that make the score, and the weight.
// The pair comes from the shared selection (a click in the head view, the token view's token)
// or from its own query and key pickers. Beside it, the colour scale of each strip.

#include <memory>
#include <vector>

#include <QWidget>

namespace attnscope {

class AttentionRecord;
class ColorScaleBar;
struct NeuronBreakdown;

class NeuronView : public QWidget {
    Q_OBJECT
public:
    explicit NeuronView(QWidget *parent = nullptr);
    ~NeuronView() override;

    void setAttention(std::shared_ptr<const AttentionRecord> record, const QStringList &tokens);
    void showHead(int layer, int head);
    void showPair(int query, int key);
    // Null when nothing is shown (no run, or attention without q and k).
    const NeuronBreakdown *breakdown() const;
    QRectF drawingArea() const; // where the breakdown is painted, in widget pixels
    std::vector<ColorScaleBar *> colorScales() const; // of the q, k and q∘k·s strips

Q_SIGNALS:
    void pairPicked(int query, int key);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void refresh();

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace attnscope
