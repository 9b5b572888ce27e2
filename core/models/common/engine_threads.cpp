#include "core/models/common/engine_threads.h"

#include <mutex>

#include <QThread>
#include <torch/torch.h>

namespace attnscope {

void useAllCores()
{
    static std::once_flag once;
    std::call_once(once, [] { at::set_num_threads(std::max(1, QThread::idealThreadCount())); });
}

} // namespace attnscope
