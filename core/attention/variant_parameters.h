#pragma once
// The parameters of one attention variant: what a variant declares (name, kind, default,
// range, description — the CLI help, GUI menus and docs read these) and the values one SPEC
// gave it, already checked by parseVariantSpec().

#include <map>
#include <stdexcept>
#include <vector>

#include <QString>
#include <QStringList>

namespace attnscope {

// A SPEC that cannot be parsed; what() is one line naming the variant or parameter at fault.
// The CLI answers it with exit code 2.
class VariantSpecError : public std::invalid_argument {
public:
    explicit VariantSpecError(const QString &what) : std::invalid_argument(what.toStdString()) {}
};

struct VariantParameter {
    enum class Kind { Integer, Real, Choice, Indices };
    QString name;
    Kind kind = Kind::Real;
    QString defaultValue;   // as written in a SPEC
    double minimum = 0;     // Integer and Real only, inclusive
    double maximum = 0;
    QStringList choices;    // Choice only
    QString description;

    // `value` as canonical SPEC text ("08" → "8"); throws VariantSpecError when it is not of
    // this kind or out of range.
    QString checked(const QString &variant, const QString &value) const;
    QString rangeText() const; // "1 … 4096", "zero | mean", "indices like 0-3,7"
};

// "0-3,5" → {0, 1, 2, 3, 5} (sorted, unique). Throws VariantSpecError mentioning `what`.
std::vector<int> parseIndexList(const QString &text, const QString &what);

class VariantParameters {
public:
    VariantParameters(QString variant, std::vector<VariantParameter> declared,
                      std::map<QString, QString> given);

    const QString &variant() const { return m_variant; }
    int64_t integer(const QString &name) const;
    double real(const QString &name) const;
    QString text(const QString &name) const;
    std::vector<int> indices(const QString &name) const;

    // "name" or "name:key=value,…" with the values that differ from their defaults.
    QString spec() const;

private:
    const VariantParameter &declared(const QString &name) const;

    QString m_variant;
    std::vector<VariantParameter> m_declared;
    std::map<QString, QString> m_values; // every declared parameter, defaults filled in
};

} // namespace attnscope
