#pragma once
// How a worker job of AttentionRun or GenerationRun tells its owner something: queued to the
// owner's thread, and dropped when the owner is gone or a newer job has started since
// (state->generation counts the jobs; `job` is this one's number).

#include <functional>
#include <memory>

#include <QMetaObject>
#include <QPointer>

namespace attnscope {

template <typename Owner, typename State>
std::function<void(std::function<void(Owner *)>)> postIfLatest(Owner *owner, std::shared_ptr<State> state, int job)
{
    const QPointer<Owner> self(owner);
    return [self, state, job](std::function<void(Owner *)> signal) {
        QMetaObject::invokeMethod(self, [self, state, job, signal] {
            if (self && state->generation == job)
                signal(self.data());
        }, Qt::QueuedConnection);
    };
}

} // namespace attnscope
