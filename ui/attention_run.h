#pragma once
// Runs a model folder on a text (or an image) in a worker thread: loads the model and its
// tokenizer (kept for the next run of the same folder), tokenizes, runs the forward pass and records every
// layer's and head's attention. With variant specs it runs the reference and the variants
// (compareVariant) and keeps both records and the comparison. Reports progress per layer;
// cancel() stops the pass at the next layer. Signals arrive on the owner's thread.

#include <atomic>
#include <functional>
#include <map>
#include <memory>

#include <QJsonObject>
#include <QObject>
#include <QStringList>

namespace attnscope {

class AttentionRecord;
struct AnalysisResult;
struct VisionImage;

class AttentionRun : public QObject {
    Q_OBJECT
public:
    explicit AttentionRun(QObject *parent = nullptr);
    ~AttentionRun() override; // cancels and waits for the worker

    // Starts a run; a run still going is cancelled first. variantSpecs: SPEC strings as in
    // attnscope-cli --variant (none: the reference only).
    // textPair: the second sentence of a pair (models with sentence types), or empty.
    void start(const QString &modelDir, const QString &text, const QStringList &variantSpecs = {},
               const QString &textPair = {});
    // Runs a vision model on an image file, preprocessed as its preprocessor_config.json says.
    void startImage(const QString &modelDir, const QString &imagePath);
    // Shows attention loaded from a file as this run's result (finished() follows, queued);
    // analyses that need a model then refuse with one line.
    void showRecord(std::shared_ptr<const AttentionRecord> record);
    void cancel();
    bool isRunning() const;
    // Runs an analysis of core/analysis on the last finished run (its model, input and
    // record); options by name as `attnscope-cli analyze --NAME VALUE` takes them. Cancel
    // drops the result (analyses that rerun the model are not interrupted midway).
    void startAnalysis(const QString &method, const std::map<QString, QString> &options);
    // After a comparison, analyses read the reference record instead of the variant's.
    void analyseReference(bool reference);
    std::shared_ptr<const AnalysisResult> analysisResult() const;

    // The last finished run's record (the variant's when it compared one) and token display
    // strings (null/empty before one).
    std::shared_ptr<const AttentionRecord> record() const;
    // With variants: the reference record (null otherwise) and the comparison as
    // attnscope-cli compare prints it (empty otherwise).
    std::shared_ptr<const AttentionRecord> referenceRecord() const;
    QJsonObject comparison() const;
    QStringList tokens() const;
    bool causal() const;
    // What the user should know about the last run's input (longer than the model's
    // positions …), one line each.
    QStringList warnings() const;
    // After an image run: the image, as loaded and as the model saw it (null otherwise).
    std::shared_ptr<const VisionImage> visionImage() const;
    QStringList classLabels() const; // the model's id2label, for classifiers

Q_SIGNALS:
    void progress(int done, int total); // layers
    void finished();
    void analysisFinished(const QString &method); // analysisResult() holds its result
    void failed(const QString &message); // one line
    void cancelled();

private:
    // Delivers a signal of the current run on the owner's thread (older runs' are dropped).
    using Post = std::function<void(std::function<void(AttentionRun *)>)>;
    // Cancels the running work (without waiting for it) and queues `work` on the one worker
    // thread, with its own cancel flag; a cancellation or an error it throws becomes
    // cancelled() or failed(one line).
    void runInWorker(std::function<void(const Post &, const std::atomic<bool> &cancelled)> work);

    struct Private;
    std::shared_ptr<Private> d;
};

} // namespace attnscope
