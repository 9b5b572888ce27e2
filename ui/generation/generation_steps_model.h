#pragma once
// What the generation studio's views show, in one place they observe: the generation, the
// step scrubbed to, the sampling settings its distribution is drawn at (the sampling panel's,
// redrawn from the saved logits), the layer and head coloured over the text, and the
// candidate picked to branch with. The step's picture is rebuilt when the step or the
// settings change (a fraction of a millisecond on a small vocabulary: scrubbing stays smooth).

#include <memory>

#include <QObject>

#include "core/models/sampling.h"
#include "viz/generation_step.h"

namespace attnscope {

struct GenerationSteps;

class GenerationStepsModel : public QObject {
    Q_OBJECT
public:
    explicit GenerationStepsModel(QObject *parent = nullptr);
    ~GenerationStepsModel() override;

    // Shows the generation at its last step (or at `step` when it is one of them).
    void setSteps(std::shared_ptr<const GenerationSteps> steps, int step = -1);
    std::shared_ptr<const GenerationSteps> steps() const { return m_steps; }
    bool hasSteps() const;
    int stepCount() const;

    void setStep(int step); // clamped to the steps
    int step() const { return m_picture.step; }
    void setShownSettings(const SamplingSettings &settings); // refused settings keep the last good ones
    const SamplingSettings &shownSettings() const { return m_shown; }
    void setHead(int layer, int head);
    int layer() const { return m_layer; }
    int head() const { return m_head; }
    // A candidate of the current step to write instead (-1: none); cleared by a step change.
    void setPicked(int64_t id);
    int64_t picked() const { return m_picked; }

    const StepPicture &picture() const { return m_picture; } // valid when hasSteps()

Q_SIGNALS:
    void stepsChanged();
    void pictureChanged(); // another step or settings
    void headChanged(int layer, int head);
    void pickedChanged(qint64 id);

private:
    void rebuild();

    std::shared_ptr<const GenerationSteps> m_steps;
    SamplingSettings m_shown;
    StepPicture m_picture;
    int m_layer = 0;
    int m_head = 0;
    int64_t m_picked = -1;
};

} // namespace attnscope
