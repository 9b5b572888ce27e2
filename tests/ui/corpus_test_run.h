#pragma once
// What the Corpus view tests share: a small corpus of grammar-demo sentences, a batch run of
// it through the real CLI, and plain file helpers.

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <QtTest>

namespace corpus_test {

const QString kGrammar = QStringLiteral(ATTNSCOPE_SOURCE_DIR "/resources/demos/grammar");
const QString kStories = QStringLiteral(ATTNSCOPE_SHARED_DIR "/models/stories260K");
constexpr const char *kWords[] = {"the", "dog", "dogs", "cat", "cats", "sees", "see", "that", "is", "are", "happy", "big"};

// Sentences of 3 to 9 words ending in " .", the same every time.
inline QStringList corpusLines(int count)
{
    QStringList lines;
    uint32_t state = 2029;
    for (int e = 0; e < count; ++e) {
        state = state * 1664525u + 1013904223u;
        const int words = 3 + int(state >> 24) % 7;
        QStringList sentence;
        for (int w = 0; w < words; ++w) {
            state = state * 1664525u + 1013904223u;
            sentence << QLatin1String(kWords[(state >> 20) % 12]);
        }
        lines << sentence.join(QLatin1Char(' ')) + QStringLiteral(" .");
    }
    return lines;
}

inline QByteArray contentOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

inline void writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

inline QJsonObject jsonOf(const QString &path) { return QJsonDocument::fromJson(contentOf(path)).object(); }

// Copies the run's files into `to`, leaving out `without`.
inline void copyRun(const QString &from, const QString &to, const QString &without = QString())
{
    for (const QString &name : QDir(from).entryList(QDir::Files))
        if (name != without)
            QFile::copy(QDir(from).filePath(name), QDir(to).filePath(name));
}


// Runs `attnscope-cli batch ARGUMENTS`; empty on success, else its exit code and stderr.
inline QString runBatch(const QStringList &arguments)
{
    QProcess cli;
    cli.start(QStringLiteral(ATTNSCOPE_CLI), QStringList{QStringLiteral("batch")} + arguments);
    if (!cli.waitForFinished(300000))
        return QStringLiteral("attnscope-cli batch did not finish");
    return cli.exitCode() == 0 ? QString() : QStringLiteral("exit %1: %2").arg(cli.exitCode()).arg(QString::fromUtf8(cli.readAllStandardError()));
}

} // namespace corpus_test
