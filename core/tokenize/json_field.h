#pragma once
// A value inside a tokenizer file together with its path ("model.vocab"), so every
// error names the file and the field.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace attnscope::tokenize {

class JsonField {
public:
    JsonField(QString file, QString path, QJsonValue value);

    const QString &file() const { return m_file; }
    const QString &path() const { return m_path; }
    const QJsonValue &value() const { return m_value; }
    bool isNull() const { return m_value.isNull() || m_value.isUndefined(); }

    JsonField operator[](const QString &key) const; // a missing key gives a null field
    JsonField at(qsizetype index) const;
    bool has(const QString &key) const;

    // Each throws InputError "<file>: field <path>: expected …" on a wrong or missing value.
    QJsonObject toObject() const;
    QJsonArray toArray() const;
    QString toString() const;
    qint64 toInt() const;
    double toDouble() const;
    bool toBool() const;

    QString stringOr(const QString &key, const QString &fallback) const;
    bool boolOr(const QString &key, bool fallback) const;
    [[noreturn]] void fail(const QString &problem) const;

private:
    void require(bool ok, const char *expected) const;

    QString m_file;
    QString m_path;
    QJsonValue m_value;
};

// Parses a JSON file's bytes; throws InputError(file, …) on a syntax error. (Qt's parser
// drops U+FEFF inside strings, so raw ones are escaped first: Llama's vocabulary has one.)
QJsonDocument parseJson(QByteArray data, const QString &file);

} // namespace attnscope::tokenize
