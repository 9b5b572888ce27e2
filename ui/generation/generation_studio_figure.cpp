// The generation studio's figure (File → Export…, its Export… button): the step shown, as
// `attnscope-cli render --view generation` draws it, and the line that draws it again.
#include "ui/generation/generation_studio.h"

#include <QFileInfo>
#include <QLabel>

#include "core/capture/generation_steps.h"
#include "ui/export_figure_dialog.h"
#include "ui/generation/generation_steps_model.h"
#include "viz/figure/generation_figure.h"

namespace attnscope {

namespace {

bool drawnAlike(const SamplingSettings &a, const SamplingSettings &b)
{
    return a.greedy == b.greedy && a.temperature == b.temperature && a.topK == b.topK && a.topP == b.topP
           && (a.greedy || a.seed == b.seed);
}

QStringList samplingArguments(const SamplingSettings &settings)
{
    if (settings.greedy)
        return {QStringLiteral("--greedy")};
    return {QStringLiteral("--temperature"), QString::number(settings.temperature), QStringLiteral("--top-k"),
            QString::number(settings.topK), QStringLiteral("--top-p"), QString::number(settings.topP),
            QStringLiteral("--seed"), QString::number(settings.seed)};
}

} // namespace

std::unique_ptr<FigureContent> GenerationStudio::figure(const FigureRequest &request) const
{
    const std::shared_ptr<const GenerationSteps> steps = m_model->steps();
    if (!m_model->hasSteps())
        throw FigureRequestError(QStringLiteral("generate first: there is no step to draw"));
    GenerationFigureData data;
    data.picture = m_model->picture();
    data.model = QFileInfo(steps->model.isEmpty() ? m_file : steps->model).fileName();
    data.generated = steps->sampling;
    data.layer = request.layer >= 0 && request.layer < steps->layers() ? request.layer : m_model->layer();
    data.head = request.head >= 0 && request.head < steps->heads() ? request.head : m_model->head();
    if (!request.colormap.isEmpty())
        data.style.colormap = Colormap::byName(request.colormap);
    return generationFigure(std::move(data));
}

FigureRequest GenerationStudio::figureRequest() const
{
    FigureRequest request;
    request.view = QStringLiteral("generation");
    request.layer = m_model->layer();
    request.head = m_model->head();
    return request;
}

QString GenerationStudio::figureSourcePath() const
{
    const std::shared_ptr<const GenerationSteps> steps = m_model->steps();
    if (!steps || steps->branchedAt >= 0)
        return {};
    if (!m_file.isEmpty())
        return m_file;
    return drawnAlike(steps->sampling, m_model->shownSettings()) && !m_generatedPrompt.isEmpty() ? m_modelDir
                                                                                                  : QString();
}

QStringList GenerationStudio::figureInputArguments() const
{
    const std::shared_ptr<const GenerationSteps> steps = m_model->steps();
    if (!steps)
        return {};
    const QStringList step{QStringLiteral("--step"), QString::number(m_model->step() + 1)};
    if (!m_file.isEmpty()) // the file's tokens, the distribution at the settings shown
        return step + (drawnAlike(steps->sampling, m_model->shownSettings())
                           ? QStringList() : samplingArguments(m_model->shownSettings()));
    return QStringList{QStringLiteral("--text"), m_generatedPrompt, QStringLiteral("--max-new-tokens"),
                       QString::number(m_generatedBudget)}
           + samplingArguments(steps->sampling) + step;
}

void GenerationStudio::exportFigure()
{
    if (!m_model->hasSteps())
        return;
    ExportFigureDialog dialog(figureRequest(), [this](const FigureRequest &request) { return figure(request); },
                              figureSourcePath(), figureInputArguments(), this);
    dialog.exec();
}

} // namespace attnscope
