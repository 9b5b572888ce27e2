#pragma once
// The place to look at a text model's attention: the input text with Run and Cancel, a
// progress bar, the layer and head to show, and the views of the run at every scale — model
// (every head), head, lines, token graph, token and neuron — linked through one AttentionSelection. Optionally a
// variant (VariantPicker) runs beside the reference: the reference head is shown next to the
// variant or their difference (diverging colors), with the per-head divergence table and
// the outputs (KL, top-1 agreement, loss, top-5 before and after, cost). The runs happen in a
// worker (AttentionRun); what every view shows is one ShownRun (the run, the map chosen by
// Show, whether it is out of date), and each view carries a caption that names it.

#include <memory>

#include <QWidget>

#include "ui/shown_run.h"
#include "viz/figure/figure_request.h"

namespace attnscope {

class AnalysisPanel;
class GenerationStudio;
class AttentionRecord;
struct Session;
class AttentionRun;
class AttentionSelection;
class LinesView;
class TokenGraphView;
class VisionView;
class ModelView;
class NeuronView;
class TokenView;
class HeadView;
class VariantPicker;
class ShownRun;
class ViewFrame;

// The views a workspace can bring to the front: "head", "model", "lines", "graph", "image",
// "token", "neuron", "analyses", "generation".
QStringList workspaceViewNames();

class AttentionWorkspace : public QWidget {
    Q_OBJECT
public:
    // summary: one line about the model (type, architecture) shown above the text.
    AttentionWorkspace(const QString &modelDir, const QString &summary, QWidget *parent = nullptr);
    ~AttentionWorkspace() override;

    void setText(const QString &text);
    QString text() const;
    void setTextPair(const QString &text); // the second sentence, for models that read pairs
    QString textPair() const;
    bool readsPairs() const;               // the pair's text box is offered
    int layer() const;
    int head() const;
    AttentionRun *run() const;
    HeadView *headView() const;
    HeadView *referenceView() const; // shown beside headView after a comparison
    bool isReady() const; // a run finished and its head's overview is drawn
    VariantPicker *variantPicker() const;
    AnalysisPanel *analysisPanel() const; // the analyses of the last run, with charts
    TokenView *tokenView() const;         // one token's attention in the shown head
    NeuronView *neuronView() const;       // the selected query–key pair, dimension by dimension
    ModelView *modelView() const;         // every head's thumbnail
    LinesView *linesView() const;         // bertviz-style lines of the shown layer's heads
    TokenGraphView *graphView() const;    // attention as a graph across layers, or one head's arcs
    VisionView *visionView() const;       // overlays on the image (vision models)
    bool isVision() const;                // the model takes images, not text
    GenerationStudio *generationStudio() const; // the Generate tab (causal language models, steps files), or null
    void setImage(const QString &path);   // the image a vision model runs on
    QString imagePath() const;
    // A workspace made for an attention file (modelDir is the file): shows the loaded
    // attention; there is nothing to run. `warnings` go to the status line.
    void showAttention(std::shared_ptr<const AttentionRecord> record, const QStringList &warnings);
    // The state a session file keeps, and its restoration (which runs the input, if any).
    Session captureSession() const;
    void applySession(const Session &session);
    AttentionSelection *selection() const; // the layer, head and tokens every view shows
    ShownRun *shownRun() const;            // the run and map every view shows
    ViewFrame *frame(const QString &view) const; // a view's caption and message, by view name
    // The figure of the view in front (File → Export…): what it shows, the attention it is
    // drawn from, and the input options of the attnscope-cli line that draws it again.
    FigureRequest figureRequest() const;
    FigureSource figureSource() const;
    QStringList figureInputArguments() const;
    void showView(const QString &name); // one of workspaceViewNames()
    QString frontViewName() const;      // the view last brought forward
    void setComparing(bool compare); // run the picked variant beside the reference
    void setComparedMap(ComparedMap map);
    // After a comparison: the divergence table's value for (layer, head), and the outputs text.
    double tableDivergence(int layer, int head) const;
    QString outputsText() const;
    // For the tour and presentation mode (attention_workspace_tour.cpp): the input column and
    // the lower row of views (token, neuron, analyses) can be folded away; tourControl names
    // the widget a tour step uses, to point at it: "layer", "head", "compare", "variant",
    // "run", "analyses", or "view:NAME" (the row of tabs holding that view).
    void setSidePanelShown(bool shown);
    bool isSidePanelShown() const;
    void setLowerViewsShown(bool shown);
    bool areLowerViewsShown() const;
    bool isLowerView(const QString &name) const;
    QWidget *tourControl(const QString &name) const;

public Q_SLOTS:
    void startRun();
    void cancelRun();
    void showHead(int layer, int head);

Q_SIGNALS:
    void ready(); // the shown head's overview is drawn after a run
    void headShown(int layer, int head);

private:
    QWidget *buildControls();
    QWidget *buildViews();
    void addGenerationTab(const QString &modelDir); // modelDir empty: a steps file without its model
    void onRunFinished();
    void connectSelection();
    void connectStaleness();
    RunInput currentInput() const;
    void showShownRun(); // hands the shown map to every view
    void displayHead(int layer, int head);
    // Brings a view below the maps to the selected head (withHead) and tokens while it is on
    // screen; a hidden view catches up when it comes forward.
    void followSelection(const QString &view, bool withHead);
    void updateCaptions();
    void setRunning(bool running);

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace attnscope
