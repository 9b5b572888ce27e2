#include "core/io/safetensors_file.h"

#include <algorithm>
#include <cmath>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>

#include "core/io/input_error.h"
#include "core/io/checked_size.h"
#include "core/io/tensor_layout.h"

namespace attnscope {

namespace {
// The format's own bound (the reference implementation refuses larger headers).
constexpr qint64 kMaxHeaderBytes = 100'000'000;
const QString kMetadataKey = QStringLiteral("__metadata__");

// A JSON number that is a non-negative integer exactly representable in a double, else -1.
int64_t wholeNumber(const QJsonValue &value)
{
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < 0 || number > 9007199254740992.0 || std::floor(number) != number)
        return -1;
    return static_cast<int64_t>(number);
}

using Entry = SafetensorsFile::Entry;

// The format requires the byte ranges to cover the data section exactly, in order and with
// no gap: a header length that is off by one shifts every tensor and shows up here. Empty
// tensors occupy no bytes, so they overlap nothing and leave no gap.
void checkTiling(const std::map<std::string, Entry> &entries, std::vector<std::string> &order,
                 qint64 headerBytes, qint64 dataBytes, const QString &path)
{
    const auto fail = [&path](const QString &problem) { throw InputError(path, problem); };
    std::stable_sort(order.begin(), order.end(), [&entries](const std::string &a, const std::string &b) {
        const Entry &first = entries.at(a), &second = entries.at(b);
        return std::make_pair(first.begin, first.end) < std::make_pair(second.begin, second.end);
    });
    qint64 expected = 0;
    const std::string *previous = nullptr;
    for (const std::string &name : order) {
        const Entry &current = entries.at(name);
        if (current.begin == current.end)
            continue;
        if (current.begin < expected)
            fail(QStringLiteral("tensors '%1' and '%2' overlap")
                     .arg(QString::fromStdString(*previous), QString::fromStdString(name)));
        if (current.begin > expected)
            fail(QStringLiteral("tensor '%1' starts at data byte %2, but the tensors before it end at byte %3 "
                                "(the data offsets must cover the data section without gaps)")
                     .arg(QString::fromStdString(name)).arg(current.begin).arg(expected));
        expected = current.end;
        previous = &name;
    }
    if (expected != dataBytes)
        fail(QStringLiteral("the tensors cover %1 bytes but the data section after the %2-byte header holds %3 "
                            "(is the header length right?)")
                 .arg(expected).arg(headerBytes).arg(dataBytes));
}

} // namespace

std::unique_ptr<SafetensorsFile> SafetensorsFile::open(const QString &path)
{
    std::unique_ptr<SafetensorsFile> file(new SafetensorsFile(MappedFile::open(path)));
    file->parseHeader();
    return file;
}

void SafetensorsFile::fail(const QString &problem) const
{
    throw InputError(m_file->path(), problem);
}

void SafetensorsFile::parseHeader()
{
    if (m_file->size() < 8)
        fail(QStringLiteral("is truncated: %1 bytes, shorter than the 8-byte header length")
                 .arg(m_file->size()));
    const quint64 headerBytes = qFromLittleEndian<quint64>(m_file->data());
    if (headerBytes > quint64(m_file->size() - 8))
        fail(QStringLiteral("header length %1 is larger than the file (%2 bytes)")
                 .arg(headerBytes).arg(m_file->size()));
    if (headerBytes > quint64(kMaxHeaderBytes))
        fail(QStringLiteral("header length %1 exceeds the 100 MB the format allows").arg(headerBytes));
    m_dataStart = 8 + qint64(headerBytes);
    const QByteArray text = QByteArray::fromRawData(reinterpret_cast<const char *>(m_file->data()) + 8,
                                                    qsizetype(headerBytes));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        fail(QStringLiteral("header is not valid JSON at offset %1 (%2)")
                 .arg(error.offset).arg(error.errorString()));
    if (!doc.isObject())
        fail(QStringLiteral("header is not a JSON object"));
    const QJsonObject header = doc.object();
    const qint64 dataBytes = m_file->size() - m_dataStart;

    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() == kMetadataKey) {
            if (!it.value().isObject())
                fail(QStringLiteral("__metadata__ is not a JSON object"));
            const QJsonObject metadata = it.value().toObject();
            for (auto m = metadata.begin(); m != metadata.end(); ++m) {
                if (!m.value().isString())
                    fail(QStringLiteral("__metadata__ value '%1' is not a string").arg(m.key()));
                m_metadata.insert(m.key(), m.value().toString());
            }
            continue;
        }
        const QString where = QStringLiteral("tensor '%1'").arg(it.key());
        const QJsonObject object = it.value().toObject();
        if (!it.value().isObject())
            fail(where + QStringLiteral(" is not described by a JSON object"));
        Entry entry;
        entry.dtype = object.value(QStringLiteral("dtype")).toString();
        const std::optional<SafetensorsDtype> dtype = safetensorsDtype(entry.dtype);
        if (!dtype)
            fail(where + QStringLiteral(" has unknown dtype '%1'")
                             .arg(object.value(QStringLiteral("dtype")).toVariant().toString()));
        const QJsonValue shape = object.value(QStringLiteral("shape"));
        if (!shape.isArray())
            fail(where + QStringLiteral(" has no shape array"));
        for (const QJsonValue &dim : shape.toArray()) {
            entry.shape.push_back(wholeNumber(dim));
            if (entry.shape.back() < 0)
                fail(where + QStringLiteral(" has a shape dimension that is not a non-negative integer"));
        }
        const QJsonArray offsets = object.value(QStringLiteral("data_offsets")).toArray();
        entry.begin = offsets.size() == 2 ? wholeNumber(offsets[0]) : -1;
        entry.end = offsets.size() == 2 ? wholeNumber(offsets[1]) : -1;
        if (entry.begin < 0 || entry.end < entry.begin)
            fail(where + QStringLiteral(" needs data_offsets [begin, end] with 0 <= begin <= end"));
        if (entry.end > dataBytes)
            fail(where + QStringLiteral(" data_offsets [%1, %2] lie outside the %3 data bytes of the file")
                             .arg(entry.begin).arg(entry.end).arg(dataBytes));
        const std::optional<int64_t> bytes = checkedByteSize(entry.shape, dtype->bytes);
        if (!bytes || *bytes != entry.end - entry.begin)
            fail(where + QStringLiteral(" holds %1 bytes but shape %2 of %3 needs %4")
                             .arg(entry.end - entry.begin).arg(shapeText(entry.shape), entry.dtype,
                                                               bytes ? QString::number(*bytes)
                                                                     : QStringLiteral("too many (over 2^62)")));
        m_entries.emplace(it.key().toStdString(), entry);
        m_order.push_back(it.key().toStdString());
    }

    checkTiling(m_entries, m_order, m_dataStart - 8, dataBytes, m_file->path());
}

std::vector<std::string> SafetensorsFile::names() const
{
    return m_order;
}

bool SafetensorsFile::contains(const std::string &name) const
{
    return m_entries.count(name) > 0;
}

const SafetensorsFile::Entry &SafetensorsFile::entry(const std::string &name) const
{
    const auto it = m_entries.find(name);
    if (it == m_entries.end())
        fail(QStringLiteral("has no tensor '%1'").arg(QString::fromStdString(name)));
    return it->second;
}

torch::Tensor SafetensorsFile::load(const std::string &name) const
{
    const Entry &found = entry(name);
    const std::optional<torch::ScalarType> type = safetensorsDtype(found.dtype)->type;
    if (!type)
        fail(QStringLiteral("tensor '%1' has dtype %2, which LibTorch 1.13 cannot hold")
                 .arg(QString::fromStdString(name), found.dtype));
    std::vector<int64_t> strides(found.shape.size(), 1);
    for (size_t i = found.shape.size(); i-- > 1;)
        strides[i - 1] = strides[i] * std::max<int64_t>(found.shape[i], 1);
    return m_file->tensor(m_dataStart + found.begin, *type, found.shape, strides);
}

} // namespace attnscope
