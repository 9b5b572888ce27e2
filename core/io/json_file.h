#pragma once
// A JSON file that must hold one object (config.json, *.index.json …), with the one-line
// InputError every loader gives: missing, unreadable, invalid JSON (with the offset), not an
// object. And the writer of such files.

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace attnscope {

QJsonObject readJsonObject(const QString &path);

// Writes the object indented, atomically; InputError(path, …) when it cannot.
void writeJsonFile(const QString &path, const QJsonObject &object);

// Writes text atomically (model cards, vocabularies); InputError(path, …) when it cannot.
void writeTextFile(const QString &path, const QByteArray &text);

} // namespace attnscope
