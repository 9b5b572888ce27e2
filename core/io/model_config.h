#pragma once
// config.json with typed accessors that fail with a clear one-line InputError naming the
// file and the field.

#include <optional>

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace attnscope {

class ModelConfig {
public:
    static ModelConfig load(const QString &modelDir); // reads MODEL_DIR/config.json
    static ModelConfig fromJson(const QJsonObject &json, const QString &path);

    const QJsonObject &json() const { return m_json; }
    const QString &path() const { return m_path; }

    QString modelType() const; // "model_type", required
    QStringList architectures() const;

    bool has(const QString &key) const { return m_json.contains(key); }
    // Required fields: throw InputError("config.json: field 'x' is missing / is not an integer").
    qint64 integer(const QString &key) const;
    double number(const QString &key) const;
    QString string(const QString &key) const;
    bool boolean(const QString &key) const;
    // Optional fields with a default; still throw when present with the wrong type.
    qint64 integer(const QString &key, qint64 fallback) const;
    double number(const QString &key, double fallback) const;
    QString string(const QString &key, const QString &fallback) const;
    bool boolean(const QString &key, bool fallback) const;
    QJsonObject object(const QString &key) const; // empty when absent or null

    [[noreturn]] void fail(const QString &problem) const; // InputError(path, problem)

private:
    QJsonObject m_json;
    QString m_path;
};

} // namespace attnscope
