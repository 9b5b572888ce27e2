#include "core/io/failure_message.h"

#include <new>
#include <stdexcept>

#include <c10/util/Exception.h>

#include "core/io/input_error.h"

namespace attnscope {

namespace {
QString onSource(const QString &source, const QString &problem)
{
    return QString::fromUtf8(InputError(source, problem).what());
}
} // namespace

QString failureMessage(const std::exception &error, const QString &source)
{
    if (const auto *input = dynamic_cast<const InputError *>(&error))
        return QString::fromUtf8(input->what());
    if (dynamic_cast<const std::bad_alloc *>(&error) || dynamic_cast<const std::length_error *>(&error))
        return onSource(source, QStringLiteral("needs more memory than is available (an allocation failed); "
                                               "try a shorter input or fewer layers and heads"));
    if (dynamic_cast<const c10::Error *>(&error))
        return onSource(source, QStringLiteral("cannot be computed: the tensor library refused an operation on it "
                                               "(sizes or values it cannot handle)"));
    // Our own mistakes: the first line only (LibTorch adds backtraces).
    return QStringLiteral("internal error: ") + QString::fromUtf8(error.what()).section(QLatin1Char('\n'), 0, 0);
}

bool isInputFailure(const std::exception &error)
{
    return dynamic_cast<const InputError *>(&error) || dynamic_cast<const std::bad_alloc *>(&error)
           || dynamic_cast<const std::length_error *>(&error) || dynamic_cast<const c10::Error *>(&error);
}

} // namespace attnscope
