// attnscope-cli: the headless face of AttnScope. Same engine and renderers as the GUI.

#include <cstdio>
#include <exception>
#include <memory>

#include <unistd.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QGuiApplication>

#include "app/cli/command.h"
#include "core/attention/variant_parameters.h"
#include "core/io/failure_message.h"
#include "core/io/input_error.h"

using namespace attnscope;
using namespace attnscope::cli;

namespace {

void printError(const QString &line)
{
    std::fprintf(stderr, "attnscope-cli: %s\n", line.toLocal8Bit().constData());
}

QString usage()
{
    QString text = QStringLiteral("Usage: attnscope-cli COMMAND [options]\n\nCommands:\n");
    for (const Command &command : commands())
        text += QStringLiteral("  %1  %2\n").arg(QLatin1String(command.name), -10)
                    .arg(QLatin1String(command.summary));
    text += QStringLiteral("\nattnscope-cli COMMAND --help describes one command.\n"
                           "Exit codes: 0 success, 2 usage error, 3 bad input.");
    return text;
}

const Command *findCommand(const QString &name)
{
    for (const Command &command : commands())
        if (name == QLatin1String(command.name))
            return &command;
    return nullptr;
}

// Without XDG_RUNTIME_DIR (containers, CI) Qt warns on stderr, where scripts read our one-line
// errors: give it a private directory of its own.
void useQuietRuntimeDir()
{
    if (!qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR"))
        return;
    const QString dir = QDir::tempPath() + QStringLiteral("/attnscope-runtime-%1").arg(getuid());
    QDir().mkpath(dir);
    QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(dir));
}

// LibTorch's OpenMP threads spin after each element-wise op while OpenBLAS's own threads
// want the same cores for the next product: on two cores a forward pass ran at a third of
// the sgemm rate, at over half with passive waiting. libgomp reads the policy once, when it
// loads, so the process restarts itself once with it set (unless the user chose one).
void useWaitingOpenMpThreads(char *argv[])
{
    if (qEnvironmentVariableIsSet("OMP_WAIT_POLICY"))
        return;
    qputenv("OMP_WAIT_POLICY", "PASSIVE");
    execv("/proc/self/exe", argv); // returns only on failure: then run as we are
}

} // namespace

int main(int argc, char *argv[])
{
    useWaitingOpenMpThreads(argv);
    const QString first = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QString();
    const Command *command = findCommand(first);

    std::unique_ptr<QCoreApplication> app;
    if (command && command->needsGui) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        useQuietRuntimeDir();
        app = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("attnscope-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ATTNSCOPE_VERSION));

    if (first == QLatin1String("--version") || first == QLatin1String("-v")) {
        printLine(QByteArray("attnscope-cli " ATTNSCOPE_VERSION));
        return ExitSuccess;
    }
    if (first.isEmpty() || first == QLatin1String("--help") || first == QLatin1String("-h")
        || first == QLatin1String("help")) {
        printLine(usage().toUtf8());
        return first.isEmpty() ? ExitUsage : ExitSuccess;
    }
    if (!command) {
        printError(QStringLiteral("unknown command '%1'; run attnscope-cli --help").arg(first));
        return ExitUsage;
    }

    QStringList arguments = app->arguments().mid(1);
    try {
        return command->run(arguments);
    } catch (const UsageError &error) {
        printError(QStringLiteral("%1: %2").arg(first, QString::fromUtf8(error.what())));
        return ExitUsage;
    } catch (const VariantSpecError &error) { // a bad --variant SPEC is a usage error
        printError(QStringLiteral("%1: %2").arg(first, QString::fromUtf8(error.what())));
        return ExitUsage;
    } catch (const InputError &error) {
        printError(QString::fromUtf8(error.what()));
        return ExitBadInput;
    } catch (const std::exception &error) {
        // Out of memory or refused by LibTorch: one line naming what the command was given
        // (every command's first argument is its model folder or file), never library text.
        const QString source = arguments.value(1).startsWith(QLatin1Char('-')) ? QString() : arguments.value(1);
        if (isInputFailure(error)) {
            printError(failureMessage(error, source));
            return ExitBadInput;
        }
        printError(QStringLiteral("%1: %2").arg(first, failureMessage(error, source)));
        return ExitFailure;
    }
}
