#include "viz/generation_step.h"

#include <algorithm>
#include <stdexcept>

#include <torch/torch.h>

#include "core/capture/generation_steps.h"

namespace attnscope {

StepPicture stepPicture(const GenerationSteps &steps, int step, const SamplingSettings &shown, int candidates)
{
    if (step < 0 || step >= steps.steps())
        throw std::out_of_range("step " + std::to_string(step) + " is outside the " + std::to_string(steps.steps())
                                + " steps");
    StepPicture picture;
    picture.step = step;
    picture.steps = steps.steps();
    picture.query = steps.queryOf(step);
    picture.writtenId = steps.ids[size_t(steps.writtenPosition(step))];
    picture.written = steps.tokens.value(int(steps.writtenPosition(step)));
    picture.shown = shown;

    const torch::Tensor distribution = samplingDistribution(steps.stepLogits[step], shown);
    const int count = int(std::min<int64_t>(candidates, distribution.numel()));
    const auto [top, order] = distribution.topk(count);
    const auto probabilities = top.accessor<double, 1>();
    const auto ids = order.accessor<int64_t, 1>();
    for (int i = 0; i < count; ++i)
        if (probabilities[i] > 0 || ids[i] == picture.writtenId)
            picture.candidates.push_back({ids[i], steps.tokenText(ids[i]), probabilities[i]});
    picture.chosenProbability = distribution[picture.writtenId].item<double>();
    const bool listed = std::any_of(picture.candidates.begin(), picture.candidates.end(),
                                    [&](const StepCandidate &candidate) { return candidate.id == picture.writtenId; });
    if (!listed) // the written token always has its bar, below the most likely ones
        picture.candidates.push_back({picture.writtenId, picture.written, picture.chosenProbability});
    picture.chosenRank = picture.chosenProbability > 0
                             ? (distribution > picture.chosenProbability).sum().item<int64_t>() + 1 : 0;

    const int64_t keys = picture.query + 1;
    const torch::Tensor rows = steps.attentions.select(2, picture.query).slice(2, 0, keys).contiguous();
    picture.layers = int(rows.size(0));
    picture.heads = int(rows.size(1));
    picture.rows.assign(rows.data_ptr<float>(), rows.data_ptr<float>() + rows.numel());
    picture.peak = rows.numel() > 0 ? rows.max().item<double>() : 0.0;
    picture.keyLabels = steps.tokens.mid(0, int(keys));
    return picture;
}

QString stepSummary(const StepPicture &picture)
{
    const QString rank = picture.chosenRank > 0
                             ? QStringLiteral("rank %1, %2 %").arg(picture.chosenRank)
                                   .arg(picture.chosenProbability * 100.0, 0, 'f', 1)
                             : QStringLiteral("left out by these settings");
    return QStringLiteral("step %1 of %2 wrote %3 (%4)").arg(picture.step + 1).arg(picture.steps)
        .arg(picture.written, rank);
}

QString distributionCaption(const SamplingSettings &shown)
{
    SamplingSettings drawn = shown;
    drawn.greedy = false;
    QString caption = samplingCaption(drawn);
    caption = caption.left(caption.lastIndexOf(QStringLiteral(" · seed"))); // the seed draws, it does not shape
    return QStringLiteral("the distribution at %1").arg(caption);
}

} // namespace attnscope
