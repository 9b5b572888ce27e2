#pragma once
// Where a vision transformer looks: attention maps over the patches blended onto the image
// at its own resolution. Maps: the CLS row of the shown head or the layer mean, the row of
// the patch under the cursor, rollout, or gradient relevance (Chefer et al.) for the predicted
// or a chosen class. Controls: colormap, opacity, threshold, nearest or bilinear upsampling,
// patch grid lines, and the image as loaded or as the model sees it. Layouts: one map, every
// head of the layer (for the maps of one head), or across layers; never several copies of one
// map. Beside the image, its colour scale; further right, the top-5 predictions. A map the
// model cannot give (relevance without a classifier) says so above the image.
// Exports the overlay at the original resolution as PNG (SVG and PDF embed it).

#include <memory>

#include <QWidget>

namespace attnscope {

class AttentionRun;
class ColorScaleBar;
class FigureContent;

class VisionView : public QWidget {
    Q_OBJECT
public:
    enum class MapSource { ClsHead, ClsLayerMean, HoveredPatch, Rollout, Relevance };
    enum class Layout { Single, LayerHeads, HeadAcrossLayers };

    explicit VisionView(QWidget *parent = nullptr);
    ~VisionView() override;

    // Reads the run's record, image and labels after each finished image run.
    void setRun(AttentionRun *run);
    void showHead(int layer, int head);
    void setSource(MapSource source);
    void setLayout(Layout layout);
    void setOpacity(double opacity);
    void setThreshold(double threshold);
    void setBilinear(bool bilinear);
    void setGridLines(bool shown);
    void setModelInput(bool shown); // the image as the model sees it instead of as loaded
    void setRelevanceClass(int classIndex); // -1 = the predicted class

    bool hasImage() const;
    Layout layout() const;      // as shown: a layout the map does not have falls back
    QString note() const;       // the line above the image: warnings, progress, what failed
    ColorScaleBar *colorScale() const;
    QImage overlay() const;          // the shown map on the image, at the image's resolution
    int hoveredPatch() const;        // -1 when none
    QPointF patchCenter(int patch) const; // canvas pixels, Single layout
    QWidget *canvas() const;
    // The top classes and their probabilities, strongest first (at most 5).
    std::vector<std::pair<QString, double>> predictions() const;
    // By the suffix of path: .png, .svg or .pdf; false with a one-line message.
    bool exportFigure(const QString &path, QString *error) const;
    void chooseFileAndExport(); // on the page the export dialog sets (size, dpi, title, colorbar)

Q_SIGNALS:
    void patchHovered(int token); // the hovered patch's token index (after the leading ones)
    void overlayChanged();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void rebuild();
    void requestRelevance();
    void offerLayouts();
    // The overlay now shown, as a figure; throws InputError naming `where` when there is none.
    std::unique_ptr<FigureContent> overlayFigureContent(const QString &where) const;
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace attnscope
