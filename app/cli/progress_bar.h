#pragma once
// A one-line progress bar on stderr for long work (loading, each layer, writing), drawn only
// when stderr is a terminal so that scripts reading our one-line messages never see it.

#include <QString>

namespace attnscope::cli {

class ProgressBar {
public:
    ProgressBar();
    ~ProgressBar(); // clears the line
    ProgressBar(const ProgressBar &) = delete;
    ProgressBar &operator=(const ProgressBar &) = delete;

    void show(const QString &stage, int done = 0, int total = 0);
    void clear();

private:
    bool m_enabled = false;
    bool m_drawn = false;
};

} // namespace attnscope::cli
