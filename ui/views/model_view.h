#pragma once
// The whole model at a glance: a layers × heads grid of thumbnails of every head (exact pooled
// values, max or mean pooling), with the mean over each layer's heads and over each head's
// layers as an extra column and row, a per-head badge (mean row entropy, or the scores of the
// analysis shown in the analyses panel), line thumbnails for short inputs and the thumbnails'
// colour scale beside the grid. The thumbnails are computed in a worker (progress bar,
// Cancel); a repaint only places cached images.
// Clicking a head (or Return on the selected one) opens it; arrows move the selection.

#include <memory>
#include <vector>

#include <QJsonObject>
#include <QWidget>

namespace attnscope {

class AttentionRecord;
class ColorScaleBar;
struct GridBadges;
struct ModelGridStyle;
struct ModelThumbnails;

class ModelView : public QWidget {
    Q_OBJECT
public:
    explicit ModelView(QWidget *parent = nullptr);
    ~ModelView() override;

    // Starts computing the thumbnails of `record` (the previous computation is cancelled).
    // signedValues: a difference of two runs, drawn mean-pooled on the diverging map
    // centred at 0, without entropy badges or line thumbnails.
    void setRecord(std::shared_ptr<const AttentionRecord> record, bool causal, bool signedValues = false);
    // Per-head scores to show as badges instead of the entropy; an empty name restores it.
    void setBadges(const QString &name, const std::vector<std::vector<double>> &values);
    void setSelectedHead(int layer, int head);
    void setPooling(const QString &name);      // "max" or "mean"
    void setLineThumbnails(bool lines);        // used when the input has ≤ 64 tokens
    void setSharedScale(bool shared);          // one color range for every thumbnail
    // Pooling, line thumbnails and shared scale, as a session keeps them.
    QJsonObject settings() const;
    void applySettings(const QJsonObject &settings);
    void cancel();

    bool isReady() const; // thumbnails computed and drawn
    const ModelThumbnails &thumbnails() const;
    const GridBadges &badges() const;
    QWidget *canvas() const;                   // the grid itself (clicks, keys, tooltips)
    ColorScaleBar *colorScale() const;         // beside the grid
    QRectF cellRect(int layer, int head) const; // in canvas pixels; aggregates at L or H

Q_SIGNALS:
    void headClicked(int layer, int head);
    void stepRequested(int layers, int heads);
    void ready();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void compute();
    void rebuildImages();
    void showColorScale(const ModelGridStyle &style);
    void placeColorScale();

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace attnscope
