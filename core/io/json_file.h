#pragma once
// A JSON file that must hold one object (config.json, *.index.json …), with the one-line
// InputError every loader gives: missing, unreadable, invalid JSON (with the offset), not an
// object.

#include <QJsonObject>
#include <QString>

namespace attnscope {

QJsonObject readJsonObject(const QString &path);

} // namespace attnscope
