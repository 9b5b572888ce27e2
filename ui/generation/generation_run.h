#pragma once
// Generates in a worker thread for the generation studio: loads the model folder and its
// tokenizer (kept for the next run), generates with each step's attention captured, reports
// progress per step; stop() ends the generation after the step in flight, keeping the steps
// written so far. branch() continues a generation from one of its steps with another token
// written there ("Continue from here"). Signals arrive on the owner's thread.

#include <memory>

#include <QObject>
#include <QString>

#include "core/models/sampling.h"

namespace attnscope {

struct GenerationSteps;

class GenerationRun : public QObject {
    Q_OBJECT
public:
    explicit GenerationRun(QObject *parent = nullptr);
    ~GenerationRun() override; // stops and waits for the worker

    // A run still going is stopped first (its result dropped).
    void start(const QString &modelDir, const QString &prompt, int maxNewTokens, const SamplingSettings &sampling);
    // `token` written at `step` of `steps` (from `steps.model`): the ids before it and the
    // logits of the steps up to it kept, then maxNewTokens − step − 1 more tokens generated.
    void branch(std::shared_ptr<const GenerationSteps> steps, int step, int64_t token, int maxNewTokens,
                const SamplingSettings &sampling);
    void stop();
    bool isRunning() const;
    std::shared_ptr<const GenerationSteps> result() const; // of the last finished run

Q_SIGNALS:
    void progress(int written, int budget);
    void finished();
    void failed(const QString &message); // one line

private:
    struct Job;
    void run(Job job);

    struct Private;
    std::shared_ptr<Private> d;
};

} // namespace attnscope
