#include "core/attention/variant_parameters.h"

#include <algorithm>
#include <cmath>

namespace attnscope {

namespace {

QString number(double value)
{
    return QString::number(value, 'g', 10);
}

} // namespace

QString VariantParameter::checked(const QString &variant, const QString &value) const
{
    const QString where = QStringLiteral("variant '%1', parameter '%2'").arg(variant, name);
    bool ok = false;
    switch (kind) {
    case Kind::Integer:
    case Kind::Real: {
        const double parsed = kind == Kind::Integer ? double(value.toLongLong(&ok))
                                                    : value.toDouble(&ok);
        if (!ok || !std::isfinite(parsed))
            throw VariantSpecError(QStringLiteral("%1: '%2' is not %3").arg(where, value,
                kind == Kind::Integer ? QStringLiteral("an integer") : QStringLiteral("a number")));
        if (parsed < minimum || parsed > maximum)
            throw VariantSpecError(QStringLiteral("%1: %2 is outside %3")
                                       .arg(where, value, rangeText()));
        return number(parsed);
    }
    case Kind::Choice:
        if (!choices.contains(value))
            throw VariantSpecError(QStringLiteral("%1: '%2' is not one of %3")
                                       .arg(where, value, rangeText()));
        return value;
    case Kind::Indices: // empty = no index
        if (!value.isEmpty())
            parseIndexList(value, where);
        return value;
    }
    return value;
}

QString VariantParameter::rangeText() const
{
    switch (kind) {
    case Kind::Integer:
    case Kind::Real:
        return QStringLiteral("%1 … %2").arg(number(minimum), number(maximum));
    case Kind::Choice:
        return choices.join(QStringLiteral(" | "));
    case Kind::Indices:
        return QStringLiteral("token indices like 0-3,7");
    }
    return {};
}

std::vector<int> parseIndexList(const QString &text, const QString &what)
{
    const auto bad = [&](const QString &problem) {
        return VariantSpecError(QStringLiteral("%1: %2 in '%3' (expected a list like 0-3,5)")
                                    .arg(what, problem, text));
    };
    if (text.trimmed().isEmpty())
        throw bad(QStringLiteral("empty list"));
    std::vector<int> indices;
    for (const QString &piece : text.split(QLatin1Char(','))) {
        const QStringList ends = piece.split(QLatin1Char('-'));
        bool okFirst = false;
        bool okLast = false;
        const int first = ends.value(0).toInt(&okFirst);
        const int last = ends.size() == 2 ? ends[1].toInt(&okLast) : first;
        if (ends.size() > 2 || !okFirst || (ends.size() == 2 && !okLast))
            throw bad(QStringLiteral("'%1' is not an index or a range").arg(piece));
        if (first < 0 || last < first)
            throw bad(QStringLiteral("'%1' is not an increasing range of indices ≥ 0").arg(piece));
        if (last - first > 1000000)
            throw bad(QStringLiteral("'%1' is too long a range").arg(piece));
        for (int index = first; index <= last; ++index)
            indices.push_back(index);
    }
    std::sort(indices.begin(), indices.end());
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
    return indices;
}

VariantParameters::VariantParameters(QString variant, std::vector<VariantParameter> declared,
                                     std::map<QString, QString> given)
    : m_variant(std::move(variant)), m_declared(std::move(declared)), m_values(std::move(given))
{
    for (const VariantParameter &parameter : m_declared)
        m_values.emplace(parameter.name, parameter.defaultValue);
}

const VariantParameter &VariantParameters::declared(const QString &name) const
{
    for (const VariantParameter &parameter : m_declared)
        if (parameter.name == name)
            return parameter;
    throw std::logic_error(QStringLiteral("variant '%1' reads undeclared parameter '%2'")
                               .arg(m_variant, name).toStdString());
}

int64_t VariantParameters::integer(const QString &name) const
{
    declared(name);
    return m_values.at(name).toLongLong();
}

double VariantParameters::real(const QString &name) const
{
    declared(name);
    return m_values.at(name).toDouble();
}

QString VariantParameters::text(const QString &name) const
{
    declared(name);
    return m_values.at(name);
}

std::vector<int> VariantParameters::indices(const QString &name) const
{
    if (text(name).isEmpty())
        return {};
    return parseIndexList(text(name), QStringLiteral("variant '%1', parameter '%2'")
                                          .arg(m_variant, name));
}

QString VariantParameters::spec() const
{
    QStringList changed;
    for (const VariantParameter &parameter : m_declared) {
        const QString &value = m_values.at(parameter.name);
        if (value != parameter.defaultValue)
            changed << parameter.name + QLatin1Char('=') + value;
    }
    return changed.isEmpty() ? m_variant
                             : m_variant + QLatin1Char(':') + changed.join(QLatin1Char(','));
}

} // namespace attnscope
