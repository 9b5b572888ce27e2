#pragma once
// Progress reported from a worker thread to a progress bar on the UI thread (queued; safe
// after the bar is gone).

#include <cstdint>
#include <functional>

class QProgressBar;

namespace attnscope {

std::function<void(int64_t done, int64_t total)> progressTo(QProgressBar *bar);

} // namespace attnscope
