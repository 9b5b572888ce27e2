#pragma once
// The one error type for bad input: a file (or other source) and what is wrong with it.
// Every loader throws it; the CLI turns it into exit code 3 and the GUI into a message box,
// both showing what() as a single line.

#include <stdexcept>
#include <string>

#include <QString>

namespace attnscope {

class InputError : public std::runtime_error {
public:
    InputError(const QString &source, const QString &problem)
        : std::runtime_error(format(source, problem).toStdString()),
          m_source(source), m_problem(problem) {}

    const QString &source() const { return m_source; }
    const QString &problem() const { return m_problem; }

private:
    static QString format(const QString &source, const QString &problem)
    {
        QString line = source.isEmpty() ? problem : source + QStringLiteral(": ") + problem;
        line.replace(QLatin1Char('\n'), QLatin1Char(' '));
        return line;
    }

    QString m_source;
    QString m_problem;
};

} // namespace attnscope
