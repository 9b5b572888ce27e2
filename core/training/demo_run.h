#pragma once
// What every demo trainer is given: where to write the model, how long to train (0 = the
// demo's own default, which reproduces the shipped weights) and who watches.

#include <QString>

#include "core/training/trainer.h"

namespace attnscope {

struct DemoRun {
    QString outDir;
    int steps = 0;
    uint64_t seed = 0;
    TrainingObserver observer;
};

// What a trainer reports back: the numbers its model card quotes.
struct DemoResult {
    double finalLoss = 0;
    QString findings; // Markdown: the advertised properties, as measured by our analyses
};

// The demos' schedule: batches of 16, `run.steps` or the demo's default, a tenth of the steps
// (at most 200) of warm-up.
TrainingSchedule demoSchedule(const DemoRun &run, int defaultSteps, double learningRate,
                              double finalLearningRate);

// README.md, the model card: `about` (what it was trained on, what to look at), then how it
// was trained and what was measured.
void writeModelCard(const DemoRun &run, const QString &name, const QString &about,
                    const TrainingSchedule &schedule, const DemoResult &result);

} // namespace attnscope
