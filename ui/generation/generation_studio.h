#pragma once
// The Generate mode of a causal language model: type a prompt, Generate (in a worker, with
// progress and Stop), then scrub the steps (slider, ←/→). For the step shown: the token it
// wrote and the candidates it chose among as bars (the distribution redrawn live from the
// saved logits at the sampling panel's τ, top-k, top-p), the row that chose it in every layer
// and head, and the text coloured by that row in the layer and head clicked. "Continue from
// here" writes another candidate (clicked) at the step and generates on. A steps file of
// `attnscope-cli generate --out` shows the same way; Export… draws the step as a figure.

#include <memory>

#include <QWidget>

#include "viz/figure/figure_request.h"

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSlider;
class QSpinBox;

namespace attnscope {

class ColorScaleBar;
class ColoredTokens;
class GenerationRun;
class GenerationStepsModel;
class SamplingPanel;
class StepCandidatesChart;
class StepRowGrid;
struct GenerationSteps;

// A model folder whose config.json names a causal language model (…ForCausalLM, …LMHeadModel).
bool generatesText(const QString &modelDir);

class GenerationStudio : public QWidget {
    Q_OBJECT
public:
    // modelDir: the causal model that generates (empty: only a steps file is shown).
    explicit GenerationStudio(const QString &modelDir, QWidget *parent = nullptr);
    ~GenerationStudio() override;

    void setPrompt(const QString &prompt);
    QString prompt() const;
    void setMaxNewTokens(int tokens);
    int maxNewTokens() const;
    // Steps read from a file (the file names them in captions and the export's command).
    void showSteps(std::shared_ptr<const GenerationSteps> steps, const QString &file = {});
    bool isGenerating() const;

    GenerationStepsModel *stepsModel() const { return m_model; }
    SamplingPanel *samplingPanel() const { return m_sampling; }
    StepCandidatesChart *candidatesChart() const { return m_candidates; }
    StepRowGrid *rowGrid() const { return m_grid; }
    ColoredTokens *coloredText() const { return m_text; }
    QSlider *stepSlider() const { return m_slider; }
    QPushButton *continueButton() const { return m_continue; }
    QString status() const;

    // The figure of the step shown (File → Export…, render --view generation), the source and
    // input options of the attnscope-cli line that draws it again (an empty source when no
    // line can: a branch, or a distribution drawn at other settings than the tokens were).
    std::unique_ptr<FigureContent> figure(const FigureRequest &request) const;
    FigureRequest figureRequest() const;
    QString figureSourcePath() const;
    QStringList figureInputArguments() const;
    void exportFigure(); // the page dialog

public Q_SLOTS:
    void generate();
    void stop();
    void continueFromHere(); // with the candidate picked

Q_SIGNALS:
    void generated(); // new steps shown (a run, a branch or a file)
    void failed(const QString &message);

private:
    QWidget *buildControls();
    void setGenerating(bool generating);
    void onFinished();
    void refreshStep();
    void refreshText();

    QString m_modelDir;
    QString m_file;                  // the steps file shown, if any
    QString m_generatedPrompt;       // of the steps shown
    int m_generatedBudget = 0;
    GenerationRun *m_run;
    GenerationStepsModel *m_model;
    SamplingPanel *m_sampling = nullptr;
    QLineEdit *m_prompt = nullptr;
    QSpinBox *m_budget = nullptr;
    QPushButton *m_generate = nullptr;
    QPushButton *m_stop = nullptr;
    QPushButton *m_export = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QSlider *m_slider = nullptr;
    QLabel *m_stepLabel = nullptr;
    QPushButton *m_continue = nullptr;
    StepCandidatesChart *m_candidates = nullptr;
    StepRowGrid *m_grid = nullptr;
    ColoredTokens *m_text = nullptr;
    ColorScaleBar *m_textScale = nullptr;
    bool m_branching = false;
};

} // namespace attnscope
