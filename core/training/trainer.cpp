#include "core/training/trainer.h"

#include <algorithm>
#include <cmath>

#include <torch/torch.h>

namespace attnscope {

double learningRateAt(const TrainingSchedule &schedule, int step)
{
    if (step <= schedule.warmupSteps)
        return schedule.learningRate * double(step) / double(std::max(1, schedule.warmupSteps));
    const double progress = double(step - schedule.warmupSteps)
                            / double(std::max(1, schedule.steps - schedule.warmupSteps));
    const double cosine = 0.5 * (1.0 + std::cos(M_PI * std::min(1.0, progress)));
    return schedule.finalLearningRate + (schedule.learningRate - schedule.finalLearningRate) * cosine;
}

double train(DemoCheckpoint &checkpoint, const TrainingSchedule &schedule, const ExampleLoss &exampleLoss,
             const TrainingObserver &observer)
{
    std::vector<torch::Tensor> parameters;
    for (const auto &[name, value] : checkpoint.parameters())
        if (value.requires_grad())
            parameters.push_back(value);
    torch::optim::AdamW optimizer(parameters, torch::optim::AdamWOptions(schedule.learningRate)
                                                  .betas({0.9, 0.98})
                                                  .weight_decay(schedule.weightDecay));
    const int tail = std::max(1, schedule.steps / 10);
    double tailLoss = 0;
    int64_t example = 0;
    for (int step = 1; step <= schedule.steps; ++step) {
        if (observer.cancelled && observer.cancelled->load())
            throw TrainingCancelled();
        for (auto &group : optimizer.param_groups())
            static_cast<torch::optim::AdamWOptions &>(group.options()).lr(learningRateAt(schedule, step));
        optimizer.zero_grad();
        const torch::AutoGradMode gradients(true);
        const std::unique_ptr<Model> model = checkpoint.build();
        torch::Tensor loss = torch::zeros({});
        for (int i = 0; i < schedule.batch; ++i)
            loss = loss + exampleLoss(*model, example++);
        loss = loss / double(schedule.batch);
        loss.backward();
        torch::nn::utils::clip_grad_norm_(parameters, schedule.clipNorm);
        optimizer.step();
        const double value = loss.item<double>();
        if (step > schedule.steps - tail)
            tailLoss += value / double(tail);
        if (observer.stepDone)
            observer.stepDone(step, schedule.steps, value);
    }
    return tailLoss;
}

} // namespace attnscope
