#include "core/models/common/engine_threads.h"

#include <mutex>

#include <QThread>
#include <torch/torch.h>

#include "core/models/common/memory_reuse.h"

namespace attnscope {

namespace {
void setThreadsOnce(int threads)
{
    static std::once_flag once;
    std::call_once(once, [threads] {
        keepFreedMemoryForReuse();
        at::set_num_threads(std::max(1, threads));
    });
}
} // namespace

void useAllCores()
{
    setThreadsOnce(QThread::idealThreadCount());
}

void useThreads(int threads)
{
    setThreadsOnce(threads);
}

} // namespace attnscope
