#include "core/corpus/corpus_reader.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QList>

#include "core/io/input_error.h"

namespace attnscope {

namespace {

// The fields of one CSV record (quotes removed, "" inside quotes read as one quote).
QList<QByteArray> csvFields(const QByteArray &record)
{
    QList<QByteArray> fields;
    QByteArray field;
    bool quoted = false;
    for (qsizetype i = 0; i < record.size(); ++i) {
        const char c = record[i];
        if (quoted) {
            if (c == '"' && i + 1 < record.size() && record[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields << field;
            field.clear();
        } else if (c != '\r') {
            field += c;
        }
    }
    fields << field;
    return fields;
}

// Whether a record so far leaves a quoted field open (an odd number of quotes).
bool opensQuote(const QByteArray &text)
{
    return text.count('"') % 2 == 1;
}

} // namespace

CorpusReader::CorpusReader(const QString &path, const QString &field, const QString &pairField)
    : m_path(path), m_field(field), m_pairField(pairField), m_file(path)
{
    const QFileInfo info(path);
    if (!info.exists())
        throw InputError(path, QStringLiteral("no such file"));
    if (!info.isFile())
        throw InputError(path, QStringLiteral("is not a regular file"));
    const QString suffix = info.suffix().toLower();
    if (suffix == QLatin1String("jsonl"))
        m_format = Format::JsonLines;
    else if (suffix == QLatin1String("csv"))
        m_format = Format::Csv;
    else if (suffix != QLatin1String("txt"))
        throw InputError(path, QStringLiteral("is not a corpus file (expected .txt, .jsonl or .csv, found .%1)").arg(suffix));
    if (m_format == Format::Text && !pairField.isEmpty())
        throw InputError(path, QStringLiteral("a .txt corpus has one text per line: a second field needs .jsonl or .csv"));
    if (!m_file.open(QIODevice::ReadOnly))
        throw InputError(path, QStringLiteral("cannot read: %1").arg(m_file.errorString()));
    if (m_format == Format::JsonLines && m_field.isEmpty())
        m_field = QStringLiteral("text");
    if (m_format != Format::Csv)
        return;
    QByteArray header;
    bool tooLong = false, unterminated = false;
    if (!nextCsvRecord(header, tooLong, unterminated) || tooLong || unterminated)
        throw InputError(path, QStringLiteral("has no readable header row"));
    const QList<QByteArray> names = csvFields(header);
    QStringList known;
    for (int i = 0; i < names.size(); ++i) {
        const QString name = QString::fromUtf8(names[i]).trimmed();
        known << name;
        if (name == m_field || (m_field.isEmpty() && i == 0))
            m_fieldColumn = i;
        if (!m_pairField.isEmpty() && name == m_pairField)
            m_pairColumn = i;
    }
    if (m_fieldColumn < 0)
        throw InputError(path, QStringLiteral("has no column '%1' (columns: %2)").arg(m_field, known.join(QStringLiteral(", "))));
    if (!m_pairField.isEmpty() && m_pairColumn < 0)
        throw InputError(path, QStringLiteral("has no column '%1' (columns: %2)").arg(m_pairField, known.join(QStringLiteral(", "))));
}

CorpusReader::~CorpusReader() = default;

bool CorpusReader::readLine(QByteArray &line, bool &tooLong)
{
    line.clear();
    tooLong = false;
    if (m_file.atEnd())
        return false;
    ++m_line;
    while (!m_file.atEnd()) {
        QByteArray chunk = m_file.readLine(64 * 1024 + 1);
        if (chunk.isEmpty() && !m_file.atEnd())
            throw InputError(m_path, QStringLiteral("cannot read line %1: %2").arg(m_line).arg(m_file.errorString()));
        const bool ended = chunk.endsWith('\n');
        if (ended)
            chunk.chop(1);
        if (line.size() + chunk.size() <= kMostExampleBytes)
            line += chunk;
        else
            tooLong = true;
        if (ended)
            break;
    }
    if (line.endsWith('\r'))
        line.chop(1);
    return true;
}

bool CorpusReader::nextCsvRecord(QByteArray &record, bool &tooLong, bool &unterminated)
{
    QByteArray line;
    if (!readLine(record, tooLong))
        return false;
    unterminated = false;
    while (opensQuote(record)) { // a quoted field goes on on the next line
        bool lineTooLong = false;
        if (!readLine(line, lineTooLong)) {
            unterminated = true;
            break;
        }
        tooLong = tooLong || lineTooLong || record.size() + line.size() + 1 > kMostExampleBytes;
        if (tooLong) {
            record.clear();
            continue; // read on to the record's end, keeping nothing
        }
        record += '\n';
        record += line;
    }
    return true;
}

bool CorpusReader::next(CorpusExample &example)
{
    QByteArray line;
    bool tooLong = false;
    for (;;) {
        bool unterminated = false;
        const int64_t start = m_line + 1;
        const bool read = m_format == Format::Csv ? nextCsvRecord(line, tooLong, unterminated) : readLine(line, tooLong);
        if (!read)
            return false;
        if (!tooLong && !unterminated && line.trimmed().isEmpty())
            continue; // blank lines are no examples
        example = CorpusExample();
        example.index = m_index++;
        example.line = start;
        if (tooLong) {
            example.error = QStringLiteral("longer than %1 bytes").arg(kMostExampleBytes);
            return true;
        }
        if (unterminated) {
            example.error = QStringLiteral("a quoted field is never closed");
            return true;
        }
        switch (m_format) {
        case Format::Text:
            example.text = line;
            return true;
        case Format::JsonLines: {
            QJsonParseError parseError;
            const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
            if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
                example.error = parseError.error != QJsonParseError::NoError
                                    ? QStringLiteral("not JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset)
                                    : QStringLiteral("not a JSON object");
                return true;
            }
            const QJsonObject object = document.object();
            const QJsonValue text = object.value(m_field), pair = object.value(m_pairField);
            if (!text.isString())
                example.error = QStringLiteral("no text field '%1'").arg(m_field);
            else if (!m_pairField.isEmpty() && !pair.isString())
                example.error = QStringLiteral("no text field '%1'").arg(m_pairField);
            else {
                example.text = text.toString().toUtf8();
                example.pair = m_pairField.isEmpty() ? QByteArray() : pair.toString().toUtf8();
            }
            return true;
        }
        case Format::Csv: {
            const QList<QByteArray> fields = csvFields(line);
            if (fields.size() <= std::max(m_fieldColumn, m_pairColumn)) {
                example.error = QStringLiteral("has %1 fields, the header more").arg(fields.size());
                return true;
            }
            example.text = fields[m_fieldColumn];
            if (m_pairColumn >= 0)
                example.pair = fields[m_pairColumn];
            return true;
        }
        }
    }
}

} // namespace attnscope
