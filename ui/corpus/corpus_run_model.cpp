#include "ui/corpus/corpus_run_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/io/input_error.h"
#include "core/io/safetensors_file.h"
#include "viz/figure/figure_request.h"

namespace attnscope {

namespace {

constexpr qint64 kMostAggregateBytes = qint64(512) << 20;

QString fileIn(const QString &dir, const char *name) { return QDir(dir).filePath(QLatin1String(name)); }

double numberOr(const QJsonValue &value, double fallback = std::numeric_limits<double>::quiet_NaN())
{
    return value.isDouble() ? value.toDouble() : fallback;
}

QJsonObject readObject(const QString &path, const QString &missing)
{
    QFile file(path);
    if (!file.exists())
        throw InputError(path, missing);
    if (!file.open(QIODevice::ReadOnly))
        throw InputError(path, QStringLiteral("cannot read: %1").arg(file.errorString()));
    if (file.size() > kMostAggregateBytes)
        throw InputError(path, QStringLiteral("is larger than an aggregate can be (%1 bytes)").arg(file.size()));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        throw InputError(path, QStringLiteral("is not a JSON object (%1)").arg(error.errorString()));
    return document.object();
}

// The example index a line of examples.jsonl starts with ({"index":N,…}, as the CLI writes it).
int64_t leadingIndex(const QByteArray &line)
{
    static const QByteArray prefix("{\"index\":");
    if (!line.startsWith(prefix))
        return QJsonDocument::fromJson(line).object().value(QStringLiteral("index")).toInteger(-1);
    const qsizetype end = line.indexOf(',', prefix.size());
    bool ok = false;
    const qint64 index = line.mid(prefix.size(), end - prefix.size()).toLongLong(&ok);
    return ok ? index : -1;
}

} // namespace

bool looksLikeCorpusRun(const QString &dir)
{
    return QFileInfo(dir).isDir() && QFileInfo::exists(fileIn(dir, "manifest.json")) && !QFileInfo::exists(fileIn(dir, "config.json"));
}

int CorpusHistogram::binOf(double value) const
{
    const int bins = int(counts.size());
    if (!(high > low))
        return 0;
    return std::clamp(int(std::floor((value - low) / (high - low) * bins)), 0, bins - 1);
}

CorpusRunModel::CorpusRunModel(const QString &dir) : m_dir(QDir::cleanPath(QFileInfo(dir).absoluteFilePath()))
{
    if (!QFileInfo(dir).isDir())
        throw InputError(dir, QStringLiteral("is not a folder"));
    if (!QFileInfo::exists(fileIn(dir, "manifest.json")))
        throw InputError(dir, QStringLiteral("holds no manifest.json, so it is not a corpus run (attnscope-cli batch --out makes one)"));
    m_manifest = readCorpusManifest(m_dir);
    readAggregate();
    const CorpusRowReader rows(m_dir); // a values.bin cut short throws here, before anything is shown
    if (rows.rows() != m_examples)
        throw InputError(fileIn(m_dir, "values.bin"), QStringLiteral("holds %1 examples but aggregate.json counts %2: the run changed "
                                                                    "after it was aggregated").arg(rows.rows()).arg(m_examples));
    readQueryKeys();
    readExamples();
}

CorpusRunModel::~CorpusRunModel() = default;

void CorpusRunModel::readAggregate()
{
    const QString path = fileIn(m_dir, "aggregate.json");
    const QJsonObject json = readObject(path, QStringLiteral("is missing: the run has not finished (attnscope-cli batch --resume "
                                                             "completes it)"));
    m_examples = json.value(QStringLiteral("examples")).toInteger(-1);
    if (m_examples < 1)
        throw InputError(path, QStringLiteral("counts no examples"));
    const QJsonObject interval = json.value(QStringLiteral("interval")).toObject();
    m_level = numberOr(interval.value(QStringLiteral("level")), 0.95);
    m_intervalMethod = QStringLiteral("%1, %2 resamples")
                           .arg(interval.value(QStringLiteral("method")).toString(QStringLiteral("bootstrap")))
                           .arg(interval.value(QStringLiteral("resamples")).toInt());
    const QJsonObject scores = json.value(QStringLiteral("scores")).toObject();
    int64_t offset = 0;
    for (const CorpusScore &block : m_manifest.blocks) {
        const QJsonObject score = scores.value(block.name).toObject();
        const QJsonArray means = score.value(QStringLiteral("mean")).toArray(), lows = score.value(QStringLiteral("ci_low")).toArray(),
                         highs = score.value(QStringLiteral("ci_high")).toArray(), counts = score.value(QStringLiteral("examples")).toArray(),
                         tops = score.value(QStringLiteral("top")).toArray();
        const qsizetype size = qsizetype(block.size());
        if (means.size() != size || lows.size() != size || highs.size() != size || counts.size() != size || tops.size() != size)
            throw InputError(path, QStringLiteral("score '%1' lacks the %2 means, intervals, counts and top lists its manifest shape asks for")
                                       .arg(block.name).arg(size));
        CorpusScoreSummary summary{block.name, block.shape, offset, {}};
        for (qsizetype k = 0; k < size; ++k) {
            CorpusEntryStats entry{numberOr(means[k]), numberOr(lows[k]), numberOr(highs[k]), counts[k].toInteger(), {}};
            for (const QJsonValue &pair : tops[k].toArray())
                entry.top.emplace_back(pair.toArray().at(0).toInteger(-1), numberOr(pair.toArray().at(1)));
            summary.entries.push_back(std::move(entry));
        }
        m_scores.push_back(std::move(summary));
        offset += block.size();
    }
}

void CorpusRunModel::readQueryKeys()
{
    const QString path = fileIn(m_dir, "qk.safetensors");
    if (!QFileInfo::exists(path)) {
        m_queryKeyProblem = QStringLiteral("This run has no query–key sample: attnscope-cli batch … --qk-sample N writes one.");
        return;
    }
    try {
        auto file = SafetensorsFile::open(path);
        const torch::Tensor examples = file->load("example").to(torch::kInt64).contiguous();
        const torch::Tensor positions = file->load("position").to(torch::kInt64).contiguous();
        const QJsonArray tokens = QJsonDocument::fromJson(file->metadata().value(QStringLiteral("tokens")).toUtf8()).array();
        if (examples.dim() != 1 || positions.sizes() != examples.sizes() || tokens.size() != examples.numel())
            throw InputError(path, QStringLiteral("its example, position and token lists differ in length"));
        m_sampleExample.assign(examples.data_ptr<int64_t>(), examples.data_ptr<int64_t>() + examples.numel());
        m_samplePosition.assign(positions.data_ptr<int64_t>(), positions.data_ptr<int64_t>() + positions.numel());
        for (const QJsonValue &token : tokens)
            m_sampleToken << token.toString();
        m_queryKeys = std::move(file);
    } catch (const std::exception &problem) {
        m_queryKeyProblem = QString::fromUtf8(problem.what());
        m_sampleExample.clear();
        m_samplePosition.clear();
        m_sampleToken.clear();
    }
}

void CorpusRunModel::readExamples()
{
    std::set<int64_t> wanted(m_sampleExample.begin(), m_sampleExample.end());
    for (const CorpusScoreSummary &score : m_scores)
        for (const CorpusEntryStats &entry : score.entries)
            for (const auto &[index, value] : entry.top)
                wanted.insert(index);
    QFile file(fileIn(m_dir, "examples.jsonl"));
    if (!file.open(QIODevice::ReadOnly))
        return; // the lists then show indices without their text
    while (!file.atEnd()) {
        const QByteArray line = file.readLine();
        const int64_t index = leadingIndex(line);
        if (!wanted.count(index))
            continue;
        const QJsonObject json = QJsonDocument::fromJson(line).object();
        m_listed[index] = {index, json.value(QStringLiteral("line")).toInteger(), json.value(QStringLiteral("tokens")).toInteger(),
                           json.value(QStringLiteral("text")).toString()};
    }
    QFile errors(fileIn(m_dir, "errors.jsonl"));
    if (errors.open(QIODevice::ReadOnly))
        while (!errors.atEnd())
            m_errors += errors.readLine().endsWith('\n');
}

QString CorpusRunModel::resolved(const QString &path) const
{
    if (path.isEmpty())
        return {};
    if (QFileInfo(path).isAbsolute())
        return QFileInfo::exists(path) ? path : QString();
    // Relative to where the CLI ran, which the manifest does not say: the folder the run is in
    // or one above it (--out runs/today), else the current folder.
    QStringList bases{m_dir};
    for (QDir up(m_dir); bases.size() < 5 && up.cdUp();)
        bases << up.path();
    bases << QDir::currentPath();
    for (const QString &base : bases) {
        const QString candidate = QDir::cleanPath(QDir(base).filePath(path));
        if (QFileInfo::exists(candidate))
            return candidate;
    }
    return {};
}

QString CorpusRunModel::modelDir() const { return resolved(m_manifest.model); }
QString CorpusRunModel::corpusPath() const { return resolved(m_manifest.inputs); }
QString CorpusRunModel::corpusName() const { return QFileInfo(m_manifest.inputs).fileName(); }

int CorpusRunModel::scoreIndex(const QString &name) const
{
    for (size_t i = 0; i < m_scores.size(); ++i)
        if (m_scores[i].name == name)
            return int(i);
    return -1;
}

QString CorpusRunModel::scoreLabel(const QString &name)
{
    const QString method = name.section(QLatin1Char('/'), 0, 0), tensor = name.section(QLatin1Char('/'), 1);
    const QString known = figureScoreLabel(method, tensor);
    if (!known.isEmpty())
        return known;
    if (name == QLatin1String("logit-lens/top1_agreement"))
        return QStringLiteral("top-1 agreement (share of positions)");
    if (name == QLatin1String("sinks/received"))
        return QStringLiteral("attention received per key");
    return name;
}

QString CorpusRunModel::entryName(const CorpusScoreSummary &score, int64_t entry)
{
    if (score.perHead())
        return QStringLiteral("L%1 H%2").arg(entry / score.shape[1]).arg(entry % score.shape[1]);
    return entry == 0 ? QStringLiteral("embedding") : QStringLiteral("after L%1").arg(entry - 1);
}

std::optional<CorpusExampleInfo> CorpusRunModel::example(int64_t index) const
{
    const auto found = m_listed.find(index);
    return found == m_listed.end() ? std::nullopt : std::optional(found->second);
}

CorpusExample CorpusRunModel::readExample(int64_t index) const
{
    const QString path = corpusPath();
    if (path.isEmpty())
        throw InputError(m_manifest.inputs, QStringLiteral("the run's corpus file is not found (from %1)").arg(QDir::toNativeSeparators(m_dir)));
    CorpusReader reader(path, m_manifest.field, m_manifest.pairField);
    CorpusExample example;
    while (reader.next(example)) {
        if (example.index < index)
            continue;
        if (example.index > index || !example.error.isEmpty())
            break;
        const std::optional<CorpusExampleInfo> listed = this->example(index);
        if (listed && !QString::fromUtf8(example.text).startsWith(listed->text))
            throw InputError(QStringLiteral("%1:%2").arg(path).arg(example.line),
                             QStringLiteral("no longer holds the example the run scored: the file changed since"));
        return example;
    }
    throw InputError(path, QStringLiteral("has no readable example %1: the file changed since the run").arg(index));
}

CorpusHistogram CorpusRunModel::histogram(int score, int64_t entry, int bins) const
{
    const size_t column = size_t(m_scores.at(size_t(score)).offset + entry);
    double low = std::numeric_limits<double>::infinity(), high = -low;
    CorpusRow row;
    { // first pass: the range
        CorpusRowReader reader(m_dir);
        while (reader.next(row)) {
            const double value = row.values.at(column);
            if (!std::isnan(value)) {
                low = std::min(low, value);
                high = std::max(high, value);
            }
        }
    }
    CorpusHistogram histogram;
    histogram.counts.assign(size_t(std::max(1, bins)), 0);
    if (low > high) // nothing defined
        low = high = 0;
    histogram.low = low < high ? low : low - 0.5;
    histogram.high = low < high ? high : high + 0.5;
    CorpusRowReader reader(m_dir);
    while (reader.next(row)) {
        const double value = row.values.at(column);
        if (std::isnan(value)) {
            ++histogram.undefined;
            continue;
        }
        ++histogram.counts[size_t(histogram.binOf(value))];
        ++histogram.values;
    }
    return histogram;
}

QueryKeyPoints CorpusRunModel::queryKeys(int layer, int head) const
{
    QueryKeyPoints map;
    const std::string name = QStringLiteral("L%1H%2").arg(layer).arg(head).toStdString();
    if (!m_queryKeys || !m_queryKeys->contains(name))
        return map;
    const torch::Tensor points = m_queryKeys->load(name).to(torch::kFloat64).contiguous();
    if (points.dim() != 2 || points.size(1) != 2 || points.size(0) != 2 * int64_t(m_sampleExample.size()))
        return map;
    const double *xy = points.data_ptr<double>();
    for (int64_t i = 0; i < points.size(0); ++i)
        map.points.emplace_back(xy[2 * i], xy[2 * i + 1]);
    return map;
}

QString CorpusRunModel::tokenInContext(int64_t i, int around) const
{
    const int64_t n = int64_t(m_sampleExample.size());
    if (i < 0 || i >= n)
        return {};
    QStringList words;
    for (int64_t j = std::max<int64_t>(0, i - around); j < std::min(n, i + around + 1); ++j)
        if (m_sampleExample[size_t(j)] == m_sampleExample[size_t(i)])
            words << (j == i ? QStringLiteral("[%1]").arg(m_sampleToken[int(j)]) : m_sampleToken[int(j)]);
    return words.join(QLatin1Char(' '));
}

} // namespace attnscope
