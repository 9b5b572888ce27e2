#include "ui/generation/generation_run.h"

#include <atomic>
#include <mutex>

#include <QFuture>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <torch/torch.h>

#include "core/capture/generation_steps.h"
#include "core/io/failure_message.h"
#include "core/io/model_config.h"
#include "core/models/generation.h"
#include "core/models/model.h"
#include "core/tokenize/tokenizer.h"
#include "ui/latest_job_post.h"

namespace attnscope {

struct GenerationRun::Job {
    QString modelDir;
    QString prompt;                                 // tokenized, unless a branch
    std::shared_ptr<const GenerationSteps> branched; // the generation branched from
    int step = 0;
    int64_t token = 0;
    int maxNewTokens = 0;
    SamplingSettings sampling;
};

struct GenerationRun::Private {
    // Touched by the worker only, one job at a time.
    QString loadedDir;
    std::unique_ptr<Model> model;
    std::shared_ptr<const tokenize::Tokenizer> tokenizer;

    std::shared_ptr<std::atomic<bool>> stopRequested = std::make_shared<std::atomic<bool>>(false);
    std::atomic<int> generation{0}; // signals of an older job are dropped
    QThreadPool jobs;
    QFuture<void> worker;
    mutable std::mutex resultLock;
    std::shared_ptr<const GenerationSteps> result;

    void load(const QString &dir)
    {
        if (dir == loadedDir)
            return;
        model.reset();
        tokenizer.reset();
        loadedDir.clear();
        model = loadModel(dir);
        tokenizer = tokenize::loadTokenizer(dir);
        loadedDir = dir;
    }

    GenerationSteps generateFor(const Job &job, const std::atomic<bool> &stop,
                                const std::function<void(int64_t, int64_t)> &progress)
    {
        load(job.modelDir);
        GenerationRequest request;
        request.sampling = job.sampling;
        request.stopIds = stopIdsOf(ModelConfig::load(job.modelDir));
        request.captureAttention = true;
        request.stop = &stop;
        request.progress = progress;
        if (!job.branched) {
            request.promptIds = torch::tensor(tokenizer->encode(job.prompt).ids(), torch::kInt64);
            request.maxNewTokens = job.maxNewTokens;
            return generationSteps(generate(*model, request, {}), tokenizer, job.modelDir, job.sampling);
        }
        const GenerationSteps &before = *job.branched;
        std::vector<int64_t> prefix(before.ids.begin(), before.ids.begin() + before.writtenPosition(job.step));
        prefix.push_back(job.token);
        request.promptIds = torch::tensor(prefix, torch::kInt64);
        request.maxNewTokens = std::max(0, job.maxNewTokens - job.step - 1);
        GenerationSteps after = generationSteps(generate(*model, request, {}), tokenizer, job.modelDir, job.sampling);
        // The steps up to the branch chose from the logits they had; the rest from the new run's.
        after.promptTokens = before.promptTokens;
        after.stepLogits = torch::cat({before.stepLogits.slice(0, 0, job.step + 1), after.stepLogits});
        after.branchedAt = job.step;
        return after;
    }
};

GenerationRun::GenerationRun(QObject *parent) : QObject(parent), d(std::make_shared<Private>())
{
    d->jobs.setMaxThreadCount(1);
}

GenerationRun::~GenerationRun()
{
    stop();
    d->jobs.waitForDone();
}

void GenerationRun::stop()
{
    d->stopRequested->store(true);
}

bool GenerationRun::isRunning() const
{
    return d->worker.isRunning();
}

std::shared_ptr<const GenerationSteps> GenerationRun::result() const
{
    const std::lock_guard<std::mutex> lock(d->resultLock);
    return d->result;
}

void GenerationRun::start(const QString &modelDir, const QString &prompt, int maxNewTokens,
                          const SamplingSettings &sampling)
{
    Job job;
    job.modelDir = modelDir;
    job.prompt = prompt;
    job.maxNewTokens = maxNewTokens;
    job.sampling = sampling;
    run(std::move(job));
}

void GenerationRun::branch(std::shared_ptr<const GenerationSteps> steps, int step, int64_t token, int maxNewTokens,
                           const SamplingSettings &sampling)
{
    Job job;
    job.modelDir = steps->model;
    job.branched = std::move(steps);
    job.step = step;
    job.token = token;
    job.maxNewTokens = maxNewTokens;
    job.sampling = sampling;
    run(std::move(job));
}

// The job in flight is stopped, not waited for: the new one starts when it ends.
void GenerationRun::run(Job job)
{
    stop();
    const auto stopRequested = std::make_shared<std::atomic<bool>>(false);
    d->stopRequested = stopRequested;
    const int generation = ++d->generation;
    const std::shared_ptr<Private> state = d;
    const auto post = postIfLatest(this, state, generation);
    d->worker = QtConcurrent::run(&d->jobs, [state, post, job, stopRequested, generation] {
        at::init_num_threads();
        try {
            const torch::NoGradGuard noGradients;
            auto steps = std::make_shared<const GenerationSteps>(state->generateFor(
                job, *stopRequested, [post](int64_t written, int64_t budget) {
                    post([written, budget](GenerationRun *run) { Q_EMIT run->progress(int(written), int(budget)); });
                }));
            if (state->generation != generation)
                return; // a newer job replaced this one
            {
                const std::lock_guard<std::mutex> lock(state->resultLock);
                state->result = std::move(steps);
            }
            post([](GenerationRun *run) { Q_EMIT run->finished(); });
        } catch (const std::exception &error) { // out of memory included: one line, never an abort
            const QString message = failureMessage(error, job.modelDir);
            post([message](GenerationRun *run) { Q_EMIT run->failed(message); });
        }
    });
}

} // namespace attnscope
