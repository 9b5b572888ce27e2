#pragma once

#include <QString>

namespace attnscope {

// What to call a model folder in menus and titles: "org/name" for a Hugging Face hub
// snapshot (whose folder is a commit hash), otherwise the folder's own name.
QString modelDisplayName(const QString &dir);

} // namespace attnscope
