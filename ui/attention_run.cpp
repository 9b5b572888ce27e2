#include "ui/attention_run.h"

#include <atomic>
#include <mutex>

#include <QFuture>
#include <QImage>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <torch/torch.h>

#include "core/analysis/analysis.h"
#include "core/analysis/analysis_registry.h"
#include "core/analysis/context_tokenizer.h"
#include "core/attention/variant_report.h"
#include "core/attention/variant_spec.h"
#include "core/capture/attention_record.h"
#include "core/capture/causal_check.h"
#include "core/capture/encoded_text.h"
#include "core/capture/progress_recorder.h"
#include "core/capture/vision_tokens.h"
#include "core/io/input_error.h"
#include "core/io/model_config.h"
#include "core/io/failure_message.h"
#include "core/models/model.h"
#include "core/models/position_limit.h"
#include "core/tokenize/tokenizer.h"
#include "ui/latest_job_post.h"
#include "ui/vision_image.h"
#include "viz/image_decoding.h"
#include "viz/image_preprocessor.h"

namespace attnscope {

struct AttentionRun::Private {
    // Touched by the worker only, one run at a time.
    QString loadedDir;
    std::unique_ptr<Model> model;
    std::unique_ptr<tokenize::Tokenizer> tokenizer;
    ModelInput lastInput; // of the last finished run, for analyses

    // The newest job's flag; each job keeps its own, so a new one never waits for the old.
    std::shared_ptr<std::atomic<bool>> cancelRequested = std::make_shared<std::atomic<bool>>(false);
    std::atomic<int> generation{0}; // signals of an older run are dropped
    QThreadPool jobs;               // one thread: jobs run in turn, the model is not shared
    QFuture<void> worker;

    // Written by the worker before it signals, read on the owner's thread after.
    mutable std::mutex resultLock;
    std::shared_ptr<const AttentionRecord> record;
    std::shared_ptr<const AttentionRecord> referenceRecord;
    QJsonObject comparison;
    std::shared_ptr<const AnalysisResult> analysis;
    QStringList tokens;
    bool causal = false;
    std::shared_ptr<const VisionImage> image;
    QStringList labels;
    QStringList warnings;
    std::atomic<bool> analyseReference{false};

    // Vision models have no tokenizer.
    void load(const QString &dir)
    {
        if (dir == loadedDir)
            return;
        model.reset();
        tokenizer.reset();
        loadedDir.clear();
        model = loadModel(dir);
        if (!model->info().vision)
            tokenizer = tokenize::loadTokenizer(dir);
        loadedDir = dir;
    }
    void keep(std::shared_ptr<const AttentionRecord> newRecord, std::shared_ptr<const AttentionRecord> newReference,
              const QJsonObject &newComparison, std::shared_ptr<const VisionImage> newImage,
              const QStringList &newWarnings = {})
    {
        const std::lock_guard<std::mutex> lock(resultLock);
        warnings = newWarnings;
        tokens.clear();
        for (const RecordedToken &token : newRecord->tokens)
            tokens << token.text;
        record = std::move(newRecord);
        referenceRecord = std::move(newReference);
        comparison = newComparison;
        // Attention from a file: causal when nothing above the diagonal has weight.
        causal = model ? model->info().causal : hasNoFutureWeight(*record);
        image = std::move(newImage);
        labels = model ? model->info().labels : QStringList();
    }
};

namespace {

QImage imageOf(const cv::Mat &rgb)
{
    return QImage(rgb.data, rgb.cols, rgb.rows, int(rgb.step), QImage::Format_RGB888).copy();
}

} // namespace

AttentionRun::AttentionRun(QObject *parent) : QObject(parent), d(std::make_shared<Private>())
{
    d->jobs.setMaxThreadCount(1);
}

AttentionRun::~AttentionRun()
{
    cancel();
    d->jobs.waitForDone();
}

void AttentionRun::cancel()
{
    d->cancelRequested->store(true);
}

bool AttentionRun::isRunning() const
{
    return d->worker.isRunning();
}

// The job in flight is cancelled, not waited for: the new one starts when it stops, so the
// UI thread never blocks on a slow analysis or pass.
void AttentionRun::runInWorker(std::function<void(const Post &, const std::atomic<bool> &)> work)
{
    cancel();
    const auto cancelled = std::make_shared<std::atomic<bool>>(false);
    d->cancelRequested = cancelled;
    const int generation = ++d->generation;
    const std::shared_ptr<Private> state = d;
    const Post post = postIfLatest(this, state, generation);
    d->worker = QtConcurrent::run(&d->jobs, [post, work, cancelled, state] {
        at::init_num_threads();
        try {
            if (*cancelled)
                throw ForwardCancelled();
            work(post, *cancelled);
        } catch (const ForwardCancelled &) {
            post([](AttentionRun *run) { Q_EMIT run->cancelled(); });
        } catch (const std::exception &error) { // out of memory included: a message, never an abort
            const QString message = failureMessage(error, state->loadedDir);
            post([message](AttentionRun *run) { Q_EMIT run->failed(message); });
        }
    });
}

void AttentionRun::startAnalysis(const QString &method, const std::map<QString, QString> &options)
{
    const std::shared_ptr<Private> state = d;
    runInWorker([state, method, options](const Post &post, const std::atomic<bool> &cancelled) {
        const Analysis *analysis = findAnalysis(method);
        if (!analysis)
            throw AnalysisOptionError(QStringLiteral("no analysis named '%1'").arg(method));
        AnalysisContext context;
        {
            const std::lock_guard<std::mutex> lock(state->resultLock);
            context.record = state->analyseReference && state->referenceRecord ? state->referenceRecord : state->record;
        }
        if (!context.record)
            throw InputError(method, QStringLiteral("run the model on an input first"));
        if (!state->model && analysis->needsModel())
            throw InputError(method, QStringLiteral("needs the model: open its folder instead of an attention file"));
        context.model = state->model.get();
        context.input = state->lastInput;
        if (state->tokenizer) // shares the run's ownership: lives as long as the context
            setContextTokenizer(context, std::shared_ptr<const tokenize::Tokenizer>(state, state->tokenizer.get()));
        auto result = std::make_shared<const AnalysisResult>(
            analysis->run(context, AnalysisOptions(method, analysis->options(), options)));
        if (cancelled)
            throw ForwardCancelled();
        {
            const std::lock_guard<std::mutex> lock(state->resultLock);
            state->analysis = std::move(result);
        }
        post([method](AttentionRun *run) { Q_EMIT run->analysisFinished(method); });
    });
}

std::shared_ptr<const AnalysisResult> AttentionRun::analysisResult() const
{
    const std::lock_guard<std::mutex> lock(d->resultLock);
    return d->analysis;
}

void AttentionRun::analyseReference(bool reference)
{
    d->analyseReference = reference;
}

void AttentionRun::start(const QString &modelDir, const QString &text, const QStringList &variantSpecs, const QString &textPair)
{
    const std::shared_ptr<Private> state = d;
    runInWorker([state, modelDir, text, variantSpecs, textPair](const Post &post, const std::atomic<bool> &cancelled) {
        const torch::NoGradGuard noGradients;
        state->load(modelDir);
        if (state->model->info().vision)
            throw InputError(modelDir, QStringLiteral("is a vision model: open an image instead of a text"));
        const bool pair = !textPair.isEmpty();
        const tokenize::Encoding encoding = pair ? state->tokenizer->encodePair(text.toUtf8(), textPair.toUtf8())
                                                 : state->tokenizer->encode(text.toUtf8());
        QStringList warnings;
        if (const QString warning = positionLimitWarning(ModelConfig::load(modelDir), int64_t(encoding.ids().size()));
            !warning.isEmpty())
            warnings << warning;
        const auto reportLayer = [post](int done, int total) {
            post([done, total](AttentionRun *run) { Q_EMIT run->progress(done, total); });
        };
        std::shared_ptr<const AttentionRecord> record, referenceRecord;
        QJsonObject comparison;
        if (variantSpecs.isEmpty()) {
            auto recorded = std::make_shared<AttentionRecord>();
            recorded->tokens = recordedTokensOf(encoding);
            recorded->modelName = modelDir;
            ProgressRecorder progress(*recorded, cancelled, reportLayer);
            recorded->logits = state->model->forward(modelInputOf(encoding, pair), {}, &progress);
            record = recorded;
        } else {
            const VariantReport report = compareVariant(
                *state->model, comparisonInputOf(encoding, pair, *state->tokenizer), parsePlan(variantSpecs),
                ComparisonProgress{&cancelled, reportLayer});
            record = report.variantRecord;
            referenceRecord = report.referenceRecord;
            comparison = variantReportJson(report, [&](int64_t id) { return state->tokenizer->idToToken(id); },
                                           [&](int64_t id) { return state->tokenizer->idToText(id); });
        }
        state->lastInput = modelInputOf(encoding, pair);
        state->keep(std::move(record), std::move(referenceRecord), comparison, nullptr, warnings);
        post([](AttentionRun *run) {
            Q_EMIT run->progress(1, 1);
            Q_EMIT run->finished();
        });
    });
}

void AttentionRun::startImage(const QString &modelDir, const QString &imagePath)
{
    const std::shared_ptr<Private> state = d;
    runInWorker([state, modelDir, imagePath](const Post &post, const std::atomic<bool> &cancelled) {
        const torch::NoGradGuard noGradients;
        state->load(modelDir);
        const ModelInfo &info = state->model->info();
        if (!info.vision)
            throw InputError(modelDir, QStringLiteral("is a text model: type a text instead of opening an image"));
        const DecodedImage decoded = decodeImage(imagePath);
        const PreparedImage prepared = prepareImage(decoded.rgb, ImagePreprocessing::load(modelDir), info.patchSize, imagePath);
        auto image = std::make_shared<VisionImage>();
        image->path = imagePath;
        image->original = imageOf(decoded.rgb);
        image->modelView = imageOf(prepared.modelView);
        image->geometry = prepared.geometry;
        image->leadingTokens = info.leadingTokens;
        image->warning = decoded.warning;
        auto recorded = std::make_shared<AttentionRecord>();
        recorded->tokens = visionTokens(info, prepared.geometry.gridRows(), prepared.geometry.gridCols());
        recorded->modelName = modelDir;
        ModelInput input;
        input.pixelValues = prepared.pixelValues;
        ProgressRecorder progress(*recorded, cancelled, [post](int done, int total) {
            post([done, total](AttentionRun *run) { Q_EMIT run->progress(done, total); });
        });
        recorded->logits = state->model->forward(input, {}, &progress);
        state->lastInput = input;
        state->keep(std::move(recorded), nullptr, {}, std::move(image));
        post([](AttentionRun *run) {
            Q_EMIT run->progress(1, 1);
            Q_EMIT run->finished();
        });
    });
}

void AttentionRun::showRecord(std::shared_ptr<const AttentionRecord> record)
{
    const std::shared_ptr<Private> state = d;
    runInWorker([state, record](const Post &post, const std::atomic<bool> &) {
        state->model.reset();
        state->tokenizer.reset();
        state->loadedDir.clear();
        state->lastInput = ModelInput{};
        state->keep(record, nullptr, {}, nullptr);
        post([](AttentionRun *run) {
            Q_EMIT run->progress(1, 1);
            Q_EMIT run->finished();
        });
    });
}

std::shared_ptr<const VisionImage> AttentionRun::visionImage() const
{
    const std::lock_guard<std::mutex> lock(d->resultLock);
    return d->image;
}

QStringList AttentionRun::classLabels() const
{
    const std::lock_guard<std::mutex> lock(d->resultLock);
    return d->labels;
}

std::shared_ptr<const AttentionRecord> AttentionRun::record() const
{
    const std::lock_guard<std::mutex> lock(d->resultLock);
    return d->record;
}

QStringList AttentionRun::tokens() const
{
    const std::lock_guard<std::mutex> lock(d->resultLock);
    return d->tokens;
}

std::shared_ptr<const AttentionRecord> AttentionRun::referenceRecord() const
{
    const std::lock_guard<std::mutex> lock(d->resultLock);
    return d->referenceRecord;
}

QJsonObject AttentionRun::comparison() const
{
    const std::lock_guard<std::mutex> lock(d->resultLock);
    return d->comparison;
}

QStringList AttentionRun::warnings() const
{
    const std::lock_guard<std::mutex> lock(d->resultLock);
    return d->warnings;
}

bool AttentionRun::causal() const
{
    const std::lock_guard<std::mutex> lock(d->resultLock);
    return d->causal;
}

} // namespace attnscope
