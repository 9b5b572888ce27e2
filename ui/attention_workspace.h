#pragma once
// The place to look at a text model's attention: the input text with Run and Cancel, a
// progress bar, the layer and head to show, and the head view of that head. The run happens
// in a worker (AttentionRun); the head's tiles come from the record through a TilePyramid.

#include <memory>

#include <QWidget>

namespace attnscope {

class AttentionRun;
class HeadView;

class AttentionWorkspace : public QWidget {
    Q_OBJECT
public:
    // summary: one line about the model (type, architecture) shown above the text.
    AttentionWorkspace(const QString &modelDir, const QString &summary, QWidget *parent = nullptr);
    ~AttentionWorkspace() override;

    void setText(const QString &text);
    QString text() const;
    int layer() const;
    int head() const;
    AttentionRun *run() const;
    HeadView *headView() const;
    bool isReady() const; // a run finished and its head's overview is drawn

public Q_SLOTS:
    void startRun();
    void cancelRun();
    void showHead(int layer, int head);

Q_SIGNALS:
    void ready(); // the shown head's overview is drawn after a run
    void headShown(int layer, int head);

private:
    void onRunFinished();
    void setRunning(bool running);

    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace attnscope
