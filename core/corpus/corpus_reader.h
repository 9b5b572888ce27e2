#pragma once
// The examples of a corpus file, one at a time, so that a corpus of any size streams through
// a bounded buffer: .txt (one example per non-empty line), .jsonl (one JSON object per line,
// the text under --field, "text" by default) or .csv (RFC 4180 with a header row; quoted
// fields may hold commas, quotes and line breaks). A second field holds the other sentence of
// a pair (or a target). Every example gets the next index, malformed ones too, so that
// shards (every N-th index) and resumed runs see the same numbering.

#include <cstdint>
#include <memory>

#include <QByteArray>
#include <QFile>
#include <QString>

namespace attnscope {

struct CorpusExample {
    int64_t index = 0;  // 0, 1, 2 … in file order
    int64_t line = 0;   // 1-based line where the example starts
    QByteArray text;
    QByteArray pair;    // the second field, or empty
    QString error;      // a malformed example: what is wrong with it (text and pair empty)
};

class CorpusReader {
public:
    static constexpr int64_t kMostExampleBytes = 1 << 20; // longer examples are malformed

    // Throws InputError naming the file: not a regular file, no read access, an unknown
    // extension, a CSV whose header lacks the field.
    CorpusReader(const QString &path, const QString &field, const QString &pairField);
    ~CorpusReader();

    // The next example; false at the end of the file.
    bool next(CorpusExample &example);

private:
    enum class Format { Text, JsonLines, Csv };
    // One physical line without its line break; false at the end. Lines past the bound are
    // read to their end and returned cut, with `tooLong` set.
    bool readLine(QByteArray &line, bool &tooLong);
    bool nextCsvRecord(QByteArray &record, bool &tooLong, bool &unterminated);

    QString m_path;
    Format m_format = Format::Text;
    QString m_field, m_pairField;
    int m_fieldColumn = -1, m_pairColumn = -1;
    QFile m_file;
    int64_t m_line = 0;
    int64_t m_index = 0;
};

} // namespace attnscope
