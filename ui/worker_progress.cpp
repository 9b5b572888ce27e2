#include "ui/worker_progress.h"

#include <QPointer>
#include <QProgressBar>

namespace attnscope {

std::function<void(int64_t, int64_t)> progressTo(QProgressBar *bar)
{
    QPointer<QProgressBar> target = bar;
    return [target](int64_t done, int64_t total) {
        QMetaObject::invokeMethod(target, [target, done, total] {
            if (target) {
                target->setRange(0, int(total));
                target->setValue(int(done));
            }
        }, Qt::QueuedConnection);
    };
}

} // namespace attnscope
