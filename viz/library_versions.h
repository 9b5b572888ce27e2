#pragma once
// Versions of the libraries AttnScope runs on, for --version and Help → About.

#include <QString>

namespace attnscope {

struct LibraryVersions {
    QString qt;
    QString libtorch;
    QString opencv;
};

LibraryVersions libraryVersions();

} // namespace attnscope
