#include "viz/library_versions.h"

#include <opencv2/core/version.hpp>
#include <torch/version.h>

namespace attnscope {

LibraryVersions libraryVersions()
{
    return {QString::fromLatin1(qVersion()), QStringLiteral(TORCH_VERSION),
            QStringLiteral(CV_VERSION)};
}

QString libraryVersionsLine()
{
    const LibraryVersions versions = libraryVersions();
    return QStringLiteral("Qt %1, LibTorch %2, OpenCV %3")
        .arg(versions.qt, versions.libtorch, versions.opencv);
}

} // namespace attnscope
