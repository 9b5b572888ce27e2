#include "core/analysis/analysis.h"

#include <cmath>

namespace attnscope {

namespace {

QString canonical(const QString &analysis, const AnalysisOption &option, const QString &value)
{
    const QString where = QStringLiteral("analysis '%1', option '%2'").arg(analysis, option.name);
    const auto fail = [&](const QString &problem) {
        return AnalysisOptionError(where + QStringLiteral(": ") + problem);
    };
    switch (option.kind) {
    case AnalysisOption::Kind::Flag:
        if (value.isEmpty() || value == QLatin1String("false") || value == QLatin1String("0"))
            return QString();
        if (value == QLatin1String("true") || value == QLatin1String("1"))
            return QStringLiteral("1");
        throw fail(QStringLiteral("'%1' is not true or false").arg(value));
    case AnalysisOption::Kind::Text:
        return value;
    case AnalysisOption::Kind::Choice:
        if (!option.choices.contains(value))
            throw fail(QStringLiteral("'%1' is not one of %2")
                           .arg(value, option.choices.join(QStringLiteral(" | "))));
        return value;
    case AnalysisOption::Kind::Integer:
    case AnalysisOption::Kind::Real: {
        bool ok = false;
        const bool integer = option.kind == AnalysisOption::Kind::Integer;
        const double parsed = integer ? double(value.toLongLong(&ok)) : value.toDouble(&ok);
        if (!ok || !std::isfinite(parsed))
            throw fail(QStringLiteral("'%1' is not %2")
                           .arg(value, integer ? QStringLiteral("an integer") : QStringLiteral("a number")));
        if (parsed < option.minimum || parsed > option.maximum)
            throw fail(QStringLiteral("%1 is outside %2 … %3")
                           .arg(value).arg(option.minimum, 0, 'g', 12).arg(option.maximum, 0, 'g', 12));
        return QString::number(parsed, 'g', 17);
    }
    }
    return value;
}

} // namespace

AnalysisOptions::AnalysisOptions(const QString &analysis, const std::vector<AnalysisOption> &declared,
                                 const std::map<QString, QString> &given)
{
    for (const auto &entry : given) {
        bool known = false;
        for (const AnalysisOption &option : declared)
            known = known || option.name == entry.first;
        if (!known)
            throw AnalysisOptionError(
                QStringLiteral("analysis '%1' has no option '%2'").arg(analysis, entry.first));
    }
    for (const AnalysisOption &option : declared) {
        const auto found = given.find(option.name);
        m_values[option.name] = canonical(analysis, option,
                                          found == given.end() ? option.defaultValue : found->second);
    }
}

const QString &AnalysisOptions::value(const QString &name) const
{
    const auto found = m_values.find(name);
    if (found == m_values.end())
        throw std::logic_error("analysis reads undeclared option " + name.toStdString());
    return found->second;
}

int64_t AnalysisOptions::integer(const QString &name) const { return value(name).toLongLong(); }
double AnalysisOptions::real(const QString &name) const { return value(name).toDouble(); }
QString AnalysisOptions::choice(const QString &name) const { return value(name); }
bool AnalysisOptions::flag(const QString &name) const { return !value(name).isEmpty(); }
QString AnalysisOptions::text(const QString &name) const { return value(name); }

AnalysisOption integerOption(const QString &name, int64_t defaultValue, int64_t minimum,
                             int64_t maximum, const QString &description)
{
    return {name, AnalysisOption::Kind::Integer, QString::number(defaultValue), double(minimum),
            double(maximum), {}, description};
}

AnalysisOption realOption(const QString &name, double defaultValue, double minimum, double maximum,
                          const QString &description)
{
    return {name, AnalysisOption::Kind::Real, QString::number(defaultValue, 'g', 17), minimum,
            maximum, {}, description};
}

AnalysisOption choiceOption(const QString &name, const QStringList &choices, const QString &description)
{
    return {name, AnalysisOption::Kind::Choice, choices.value(0), 0, 0, choices, description};
}

AnalysisOption flagOption(const QString &name, const QString &description)
{
    return {name, AnalysisOption::Kind::Flag, QString(), 0, 0, {}, description};
}

AnalysisOption textOption(const QString &name, const QString &description)
{
    return {name, AnalysisOption::Kind::Text, QString(), 0, 0, {}, description};
}

} // namespace attnscope
