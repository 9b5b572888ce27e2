#pragma once
// The workspace's state, shared by the files that make up AttentionWorkspace
// (attention_workspace*.cpp): its widgets, the run, what is shown and the selection.

#include <map>
#include <memory>
#include <optional>

#include <QSet>

#include "ui/attention_workspace.h"
#include "ui/views/view_frame.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace attnscope {

class ComparisonPanel;
class GenerationStudio;
class ImageInput;
class TilePyramid;

struct AttentionWorkspace::Private {
    QString modelDir;
    AttentionRun *run = nullptr;
    ShownRun *shown = nullptr;
    AttentionSelection *selection = nullptr;
    RunInput runningInput; // of the run in flight
    QPlainTextEdit *text = nullptr;
    QPlainTextEdit *textPair = nullptr; // models that read sentence pairs
    QPushButton *runButton = nullptr;
    QPushButton *cancelButton = nullptr;
    QProgressBar *progress = nullptr;
    QLabel *status = nullptr;
    QSpinBox *layer = nullptr;
    QSpinBox *head = nullptr;
    HeadView *headView = nullptr;
    HeadView *referenceView = nullptr; // beside headView after a comparison
    std::shared_ptr<TilePyramid> pyramid;
    std::shared_ptr<TilePyramid> referencePyramid;
    QCheckBox *compare = nullptr;
    VariantPicker *picker = nullptr;
    QComboBox *comparedMap = nullptr;
    QComboBox *colormap = nullptr; // the head view's colors
    QComboBox *scale = nullptr;    // and their value scale
    ComparisonPanel *comparison = nullptr;
    QTabWidget *upperTabs = nullptr;
    QTabWidget *lowerTabs = nullptr;
    AnalysisPanel *analyses = nullptr;
    TokenView *tokenView = nullptr;
    NeuronView *neuronView = nullptr;
    QWidget *maps = nullptr;
    ModelView *modelView = nullptr;
    LinesView *linesView = nullptr;
    TokenGraphView *graphView = nullptr;
    VisionView *visionView = nullptr;
    ImageInput *imageInput = nullptr;
    GenerationStudio *studio = nullptr; // the Generate tab of causal language models and steps files
    bool studioInFront = false;
    bool sidePanelBeforeStudio = true;  // shown again as it was when the studio leaves the front
    std::map<QString, ViewFrame *> frames; // by workspaceViewNames()
    bool vision = false;
    bool pairs = false;
    QStringList fileWarnings; // of an attention file, kept on the status line
    QString attentionFile;    // shows an attention file: nothing to run
    std::optional<std::pair<int, int>> pendingCell; // a session's query and key, set after the run
    QString frontView; // the view last brought forward, in either row of tabs
    bool ready = false;
    QSet<QString> behind; // views that missed a selection change while hidden
    bool runInFlight = false; // an overview arriving meanwhile belongs to the previous run

    ViewFrame *frameOf(const QString &name) const
    {
        const auto found = frames.find(name);
        return found == frames.end() ? nullptr : found->second;
    }
    QString viewNameOf(const QWidget *widget) const
    {
        for (const auto &[name, frame] : frames)
            if (widget && frame == widget)
                return name;
        return {};
    }
    ViewFrame *addFrame(const QString &name, QWidget *view, QWidget *parent)
    {
        auto *frame = new ViewFrame(view, parent);
        frame->setObjectName(name + QStringLiteral("Frame"));
        frames[name] = frame;
        return frame;
    }
};

} // namespace attnscope
