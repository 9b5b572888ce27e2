#include "ui/generation/generation_steps_model.h"

#include <algorithm>

#include "core/capture/generation_steps.h"

namespace attnscope {

GenerationStepsModel::GenerationStepsModel(QObject *parent) : QObject(parent) {}

GenerationStepsModel::~GenerationStepsModel() = default;

bool GenerationStepsModel::hasSteps() const
{
    return m_steps && m_steps->steps() > 0;
}

int GenerationStepsModel::stepCount() const
{
    return m_steps ? m_steps->steps() : 0;
}

void GenerationStepsModel::setSteps(std::shared_ptr<const GenerationSteps> steps, int step)
{
    m_steps = std::move(steps);
    m_picked = -1;
    if (m_steps && (m_layer >= m_steps->layers() || m_head >= m_steps->heads()))
        m_layer = m_head = 0;
    m_picture = StepPicture();
    m_picture.step = step >= 0 && step < stepCount() ? step : stepCount() - 1;
    rebuild();
    Q_EMIT stepsChanged();
    Q_EMIT pictureChanged();
}

void GenerationStepsModel::setStep(int step)
{
    if (!hasSteps())
        return;
    step = std::clamp(step, 0, stepCount() - 1);
    if (step == m_picture.step)
        return;
    m_picture.step = step;
    if (m_picked >= 0) {
        m_picked = -1;
        Q_EMIT pickedChanged(-1);
    }
    rebuild();
    Q_EMIT pictureChanged();
}

void GenerationStepsModel::setShownSettings(const SamplingSettings &settings)
{
    if (!samplingProblem(settings).isEmpty())
        return;
    m_shown = settings;
    rebuild();
    Q_EMIT pictureChanged();
}

void GenerationStepsModel::setHead(int layer, int head)
{
    if (layer == m_layer && head == m_head)
        return;
    m_layer = layer;
    m_head = head;
    Q_EMIT headChanged(layer, head);
}

void GenerationStepsModel::setPicked(int64_t id)
{
    if (id == m_picked)
        return;
    m_picked = id;
    Q_EMIT pickedChanged(id);
}

void GenerationStepsModel::rebuild()
{
    if (hasSteps())
        m_picture = stepPicture(*m_steps, m_picture.step, m_shown);
}

} // namespace attnscope
