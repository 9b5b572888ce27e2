#pragma once
// Runs a model folder on a text in a worker thread: loads the model and its tokenizer (kept
// for the next run of the same folder), tokenizes, runs the forward pass and records every
// layer's and head's attention. Reports progress per layer; cancel() stops the pass at the
// next layer. Signals arrive on the thread that owns the object.

#include <memory>

#include <QObject>
#include <QStringList>

namespace attnscope {

class AttentionRecord;

class AttentionRun : public QObject {
    Q_OBJECT
public:
    explicit AttentionRun(QObject *parent = nullptr);
    ~AttentionRun() override; // cancels and waits for the worker

    // Starts a run; a run still going is cancelled first.
    void start(const QString &modelDir, const QString &text);
    void cancel();
    bool isRunning() const;

    // The last finished run's record and token display strings (null/empty before one).
    std::shared_ptr<const AttentionRecord> record() const;
    QStringList tokens() const;
    bool causal() const;

Q_SIGNALS:
    void progress(int done, int total); // layers
    void finished();
    void failed(const QString &message); // one line
    void cancelled();

private:
    struct Private;
    std::shared_ptr<Private> d;
};

} // namespace attnscope
