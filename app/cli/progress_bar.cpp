#include "app/cli/progress_bar.h"

#include <cstdio>

#include <unistd.h>

namespace attnscope::cli {

namespace {
constexpr int kBarWidth = 30;
}

ProgressBar::ProgressBar() : m_enabled(isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar()
{
    clear();
}

void ProgressBar::show(const QString &stage, int done, int total)
{
    if (!m_enabled)
        return;
    QString line = stage;
    if (total > 0) {
        const int filled = kBarWidth * done / total;
        line = QStringLiteral("[%1%2] %3 %4/%5")
                   .arg(QString(filled, QLatin1Char('#')), QString(kBarWidth - filled, QLatin1Char(' ')), stage)
                   .arg(done).arg(total);
    }
    // \r and erase-to-end redraw the same line.
    std::fprintf(stderr, "\r%s\033[K", line.toLocal8Bit().constData());
    std::fflush(stderr);
    m_drawn = true;
}

void ProgressBar::clear()
{
    if (!m_drawn)
        return;
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    m_drawn = false;
}

} // namespace attnscope::cli
