#pragma once
// The demo trainer: AdamW with linear warm-up and cosine decay, gradient clipping, and a
// batch made of single examples whose losses are averaged (the engine runs one sequence or
// image per forward pass). Deterministic: example i of the run is always the same example.

#include <atomic>
#include <functional>

#include <torch/types.h>

#include "core/training/demo_checkpoint.h"

namespace attnscope {

struct TrainingSchedule {
    int steps = 1000;
    int batch = 16;
    double learningRate = 1e-3;
    double finalLearningRate = 1e-4; // the cosine ends here
    int warmupSteps = 100;
    double weightDecay = 0.01;
    double clipNorm = 1.0;
};

// The loss of example `index` (0, 1, 2 … over the whole run) under `model`.
using ExampleLoss = std::function<torch::Tensor(const Model &model, int64_t index)>;

struct TrainingObserver {
    // Called after each step on the training thread, with that step's mean loss.
    std::function<void(int step, int steps, double loss)> stepDone;
    const std::atomic<bool> *cancelled = nullptr; // checked before each step
};

struct TrainingCancelled : std::runtime_error {
    TrainingCancelled() : std::runtime_error("training cancelled") {}
};

// Trains the checkpoint's parameters in place; returns the mean loss of the last tenth of the
// steps. Throws TrainingCancelled when asked to stop.
double train(DemoCheckpoint &checkpoint, const TrainingSchedule &schedule, const ExampleLoss &exampleLoss,
             const TrainingObserver &observer = {});

// The learning rate at `step` (1-based): linear warm-up, then cosine down to the final rate.
double learningRateAt(const TrainingSchedule &schedule, int step);

} // namespace attnscope
