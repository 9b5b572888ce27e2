#pragma once
// Runs the real attnscope-cli (ATTNSCOPE_CLI) for the benchmarks that measure it from outside:
// its peak resident set, from wait4's rusage of that child.

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <vector>

#include <QDir>
#include <QFile>
#include <QStringList>

extern char **environ;

namespace attnscope::bench {

// Peak RSS in bytes, or −1 when the CLI failed (its stderr is in `stderrText`).
inline double runCliPeakRss(const QStringList &arguments, QByteArray &stderrText)
{
    const QString errPath = QDir::temp().filePath(QStringLiteral("attnscope-bench-cli.err"));
    std::vector<QByteArray> storage{QByteArray(ATTNSCOPE_CLI)};
    for (const QString &argument : arguments)
        storage.push_back(argument.toUtf8());
    std::vector<char *> argv;
    for (QByteArray &bytes : storage)
        argv.push_back(bytes.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, errPath.toLocal8Bit().constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0)
        return -1;
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    QFile err(errPath);
    err.open(QIODevice::ReadOnly);
    stderrText = err.readAll();
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? double(usage.ru_maxrss) * 1024 : -1;
}

} // namespace attnscope::bench
