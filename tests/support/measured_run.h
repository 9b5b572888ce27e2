#pragma once
// A run of a program (attnscope-cli) measured from outside, for the hostile-input tests and the
// benchmarks: exit code, time, peak resident set (getrusage of the child through wait4), and
// its stderr; killed past a time limit. stdin and stdout are /dev/null; OMP_WAIT_POLICY is set
// to PASSIVE so that the CLI does not restart itself, and Qt runs offscreen.

#include <csignal>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QElapsedTimer>
#include <QFile>
#include <QProcessEnvironment>
#include <QStringList>
#include <QThread>

namespace attnscope::test {

struct MeasuredRun {
    int exitCode = -1;
    bool killed = false;   // ran past the time limit
    bool crashed = false;  // ended by a signal of its own
    QByteArray err;
    qint64 ms = 0;
    qint64 peakKiB = 0;    // the child's peak resident set (getrusage via wait4)
};

// Runs the CLI with stdin and stdout on /dev/null; killed after timeoutMs.
inline MeasuredRun runMeasured(const QString &program, const QStringList &arguments, const QString &errFile,
                               int timeoutMs)
{
    std::vector<QByteArray> storage{QFile::encodeName(program)};
    for (const QString &argument : arguments)
        storage.push_back(argument.toUtf8());
    std::vector<char *> argv;
    for (QByteArray &item : storage)
        argv.push_back(item.data());
    argv.push_back(nullptr);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("OMP_WAIT_POLICY"), QStringLiteral("PASSIVE")); // no re-exec of itself
    std::vector<QByteArray> envStorage;
    for (const QString &entry : env.toStringList())
        envStorage.push_back(entry.toUtf8());
    std::vector<char *> envp;
    for (QByteArray &item : envStorage)
        envp.push_back(item.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    const QByteArray errPath = QFile::encodeName(errFile);
    posix_spawn_file_actions_addopen(&actions, 2, errPath.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    MeasuredRun run;
    QElapsedTimer timer;
    timer.start();
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0)
        return run;
    int status = 0;
    struct rusage usage {};
    for (;;) {
        const pid_t done = wait4(pid, &status, WNOHANG, &usage);
        if (done == pid)
            break;
        if (timer.elapsed() > timeoutMs && !run.killed) {
            kill(pid, SIGKILL);
            run.killed = true;
        }
        QThread::msleep(5);
    }
    run.ms = timer.elapsed();
    run.peakKiB = usage.ru_maxrss;
    run.crashed = WIFSIGNALED(status) && !run.killed;
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    QFile err(errFile);
    if (err.open(QIODevice::ReadOnly))
        run.err = err.readAll();
    return run;
}

} // namespace attnscope::test
