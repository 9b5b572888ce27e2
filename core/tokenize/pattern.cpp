#include "core/tokenize/pattern.h"

#include "core/tokenize/normalized_string.h"

namespace attnscope::tokenize {

Pattern Pattern::literal(std::u32string text)
{
    Pattern p;
    p.m_literal = std::move(text);
    return p;
}

Pattern Pattern::regex(const QString &expression, const JsonField &where)
{
    Pattern p;
    p.m_regex.emplace(compileHfRegex(expression));
    if (!p.m_regex->isValid())
        where.fail(QStringLiteral("invalid regular expression: %1").arg(p.m_regex->errorString()));
    return p;
}

Pattern Pattern::fromJson(const JsonField &field)
{
    field.toObject();
    if (field.has(QStringLiteral("String")))
        return literal(toUtf32(field[QStringLiteral("String")].toString()));
    if (field.has(QStringLiteral("Regex")))
        return regex(field[QStringLiteral("Regex")].toString(), field[QStringLiteral("Regex")]);
    field.fail(QStringLiteral("expected {\"String\": …} or {\"Regex\": …}"));
}

std::vector<CharRange> Pattern::find(const std::u32string &text) const
{
    if (m_regex)
        return findRegexMatches(*m_regex, text);
    std::vector<CharRange> matches;
    if (m_literal.empty())
        return matches;
    size_t at = text.find(m_literal);
    while (at != std::u32string::npos) {
        matches.emplace_back(at, at + m_literal.size());
        at = text.find(m_literal, at + m_literal.size());
    }
    return matches;
}

QRegularExpression compileHfRegex(const QString &pattern, RegexFlavor flavor)
{
    const QString word = flavor == RegexFlavor::Oniguruma ? QStringLiteral(R"(\p{L}\p{M}\p{Nd}\p{Pc})")
                                                          : QStringLiteral(R"(\p{L}\p{M}\p{Nd}\p{Nl}\p{Pc}\x{200C}\x{200D})");
    QString out;
    bool inClass = false;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QChar c = pattern.at(i);
        if (c == QLatin1Char('\\') && i + 1 < pattern.size()) {
            const QChar next = pattern.at(++i);
            if (next == QLatin1Char('w'))
                out += inClass ? word : QLatin1Char('[') + word + QLatin1Char(']');
            else if (next == QLatin1Char('W') && !inClass)
                out += QStringLiteral("[^") + word + QLatin1Char(']');
            else
                out += c + QString(next);
            continue;
        }
        if (c == QLatin1Char('[') && !inClass) {
            inClass = true;
            out += c;
            if (i + 1 < pattern.size() && pattern.at(i + 1) == QLatin1Char('^'))
                out += pattern.at(++i);
            if (i + 1 < pattern.size() && pattern.at(i + 1) == QLatin1Char(']')) // a leading ] is literal
                out += pattern.at(++i);
            continue;
        }
        if (c == QLatin1Char(']') && inClass)
            inClass = false;
        out += c;
    }
    QRegularExpression regex(out, QRegularExpression::UseUnicodePropertiesOption);
    regex.optimize();
    return regex;
}

std::vector<CharRange> findRegexMatches(const QRegularExpression &regex, const std::u32string &text)
{
    const QString utf16 = toQString(text);
    // UTF-16 index → code point index.
    std::vector<size_t> charAt(size_t(utf16.size()) + 1);
    size_t chars = 0;
    for (qsizetype i = 0; i < utf16.size(); ++i) {
        charAt[size_t(i)] = chars;
        if (!(utf16.at(i).isHighSurrogate() && i + 1 < utf16.size()))
            ++chars;
    }
    charAt[size_t(utf16.size())] = chars;
    std::vector<CharRange> matches;
    auto it = regex.globalMatch(utf16);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        if (m.capturedLength() > 0)
            matches.emplace_back(charAt[size_t(m.capturedStart())], charAt[size_t(m.capturedEnd())]);
    }
    return matches;
}

} // namespace attnscope::tokenize
