#include "viz/library_versions.h"

#include <opencv2/core/version.hpp>
#include <torch/version.h>

namespace attnscope {

LibraryVersions libraryVersions()
{
    return {QString::fromLatin1(qVersion()), QStringLiteral(TORCH_VERSION),
            QStringLiteral(CV_VERSION)};
}

} // namespace attnscope
