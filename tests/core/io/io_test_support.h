#pragma once
// Helpers shared by the core/io tests: files in a temporary folder, hand-made safetensors
// bytes, and the check that a bad input fails with one InputError line naming the file.

#include <QFile>
#include <QString>
#include <QTest>
#include <QtEndian>

#include "core/io/input_error.h"

namespace attnscope::testing {

inline void writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    QCOMPARE(file.write(bytes), bytes.size());
}

inline QByteArray readBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A .safetensors file from its header text and data bytes, exactly as given.
inline QByteArray safetensorsBytes(const QByteArray &header, const QByteArray &data)
{
    QByteArray bytes(8, '\0');
    qToLittleEndian<quint64>(quint64(header.size()), bytes.data());
    return bytes + header + data;
}

// The InputError message `action` throws, or an empty string when it succeeds. Any other
// exception escapes, so the test fails.
template <typename Action>
QString inputErrorOf(Action &&action)
{
    try {
        action();
    } catch (const InputError &error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

} // namespace attnscope::testing

// Requires `statement` to throw an InputError whose single line starts with `file` and
// mentions `problem`.
#define ATTNSCOPE_VERIFY_INPUT_ERROR(statement, file, problem)                                   \
    do {                                                                                       \
        const QString message_ = attnscope::testing::inputErrorOf([&] { statement; });         \
        QVERIFY2(!message_.isEmpty(), "no InputError was thrown");                              \
        QVERIFY2(message_.startsWith(QString(file) + QStringLiteral(": ")), qPrintable(message_)); \
        QVERIFY2(message_.contains(problem), qPrintable(message_));                             \
        QVERIFY2(!message_.contains(QLatin1Char('\n')), qPrintable(message_));                  \
    } while (false)
