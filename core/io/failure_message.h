#pragma once
// The one line a user sees for any failure, so that no library text ("[enforce fail at …]",
// "numel: integer multiplication overflow", "std::bad_alloc") reaches them: our InputError
// as it is; an allocation that failed, or a tensor operation that the library refused, as a
// line naming the file being worked on. The CLI exits 3 on these; the GUI shows the line.

#include <exception>

#include <QString>

namespace attnscope {

// `source`: the file or folder the work was about (the CLI's first argument, the GUI's open
// model or attention file); may be empty.
QString failureMessage(const std::exception &error, const QString &source);

// True for failures caused by the input (InputError, memory, tensor library); false for
// what can only be a bug of ours.
bool isInputFailure(const std::exception &error);

} // namespace attnscope
