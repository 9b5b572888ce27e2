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

// "Qt 6.4.2, LibTorch 1.13.1, OpenCV 4.6.0": one line for --version and bug reports.
QString libraryVersionsLine();

} // namespace attnscope
