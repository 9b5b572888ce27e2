// tiktoken rank files as a byte-level BPE, built like transformers' TikTokenConverter:
// each rank becomes a byte-level vocabulary entry, every split of a token into two ranked
// pieces becomes a merge (ordered by the token's rank), and tiktoken's regex an isolated Split.
#include <QFileInfo>

#include "core/io/bounded_file.h"
#include "core/io/input_error.h"
#include "core/tokenize/bpe.h"
#include "core/tokenize/byte_level.h"
#include "core/tokenize/legacy_files.h"
#include "core/tokenize/legacy_json.h"
#include "core/tokenize/pipeline.h"

namespace attnscope::tokenize {

namespace {

const char *const kTiktokenPattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

std::string byteLevelString(const std::string &bytes)
{
    std::string out;
    for (unsigned char b : bytes)
        out += toUtf8(byteLevelChar(b));
    return out;
}

// cl100k_base's and Llama 3's longest tokens are 128 bytes; every split of a token is looked
// up (quadratic in its length), so a megabyte-long "token" is refused instead.
constexpr qsizetype kMaxTokenBytes = 512;

struct TiktokenSpecials {
    QJsonArray specials;     // added tokens
    QJsonObject postProcessor;
};

TiktokenSpecials specialsFor(const QString &file, qint64 rankCount)
{
    TiktokenSpecials e;
    using legacy::addedToken;
    if (QFileInfo(file).fileName().startsWith(QLatin1String("cl100k_base"))) {
        const std::pair<const char *, qint64> tokens[] = {{"<|endoftext|>", 100257}, {"<|fim_prefix|>", 100258},
            {"<|fim_middle|>", 100259}, {"<|fim_suffix|>", 100260}, {"<|endofprompt|>", 100276}};
        for (const auto &[name, id] : tokens)
            e.specials.append(addedToken(id, QLatin1String(name)));
        e.postProcessor = legacy::byteLevel(true, true, false);
        return e;
    }
    if (rankCount == 128000) { // Llama 3: Meta's tokenizer.py special tokens
        QStringList names = {QStringLiteral("<|begin_of_text|>"), QStringLiteral("<|end_of_text|>"),
            QStringLiteral("<|reserved_special_token_0|>"), QStringLiteral("<|reserved_special_token_1|>"),
            QStringLiteral("<|reserved_special_token_2|>"), QStringLiteral("<|reserved_special_token_3|>"),
            QStringLiteral("<|start_header_id|>"), QStringLiteral("<|end_header_id|>"),
            QStringLiteral("<|reserved_special_token_4|>"), QStringLiteral("<|eot_id|>")};
        for (int i = 5; i < 256 - 5; ++i)
            names << QStringLiteral("<|reserved_special_token_%1|>").arg(i);
        for (qsizetype i = 0; i < names.size(); ++i)
            e.specials.append(addedToken(128000 + i, names[i]));
        e.postProcessor = legacy::wrapTemplate(legacy::TemplateToken{QStringLiteral("<|begin_of_text|>"), 128000}, std::nullopt);
        return e;
    }
    throw InputError(file, QStringLiteral("unknown tiktoken encoding with %1 ranks (supported: cl100k_base, Llama 3)").arg(rankCount));
}

} // namespace

bool looksLikeTiktoken(const QString &file)
{
    try {
        requireRegularFile(file); // a FIFO would block the open
    } catch (const InputError &) {
        return false;
    }
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = f.readLine(4096).trimmed();
    const qsizetype space = line.indexOf(' ');
    bool ok = false;
    line.mid(space + 1).toLongLong(&ok);
    return space > 0 && ok && !QByteArray::fromBase64(line.left(space)).isEmpty();
}

std::unique_ptr<Tokenizer> loadTiktoken(const QString &file)
{
    const QByteArray data = readTokenizerFile(file);
    std::vector<std::string> byRank;
    std::unordered_map<std::string, int64_t> ranks;
    qsizetype lineNumber = 0;
    for (const QByteArray &raw : data.split('\n')) {
        ++lineNumber;
        const QByteArray line = raw.trimmed();
        if (line.isEmpty())
            continue;
        const QList<QByteArray> fields = line.split(' ');
        bool ok = false;
        const qint64 rank = fields.size() == 2 ? fields[1].toLongLong(&ok) : -1;
        const auto decoded = QByteArray::fromBase64Encoding(fields[0], QByteArray::AbortOnBase64DecodingErrors);
        if (!ok || rank != qint64(byRank.size()) || !decoded || decoded.decoded.isEmpty())
            throw InputError(file, QStringLiteral("line %1: expected \"<base64 token> %2\"").arg(lineNumber).arg(byRank.size()));
        if (decoded.decoded.size() > kMaxTokenBytes)
            throw InputError(file, QStringLiteral("line %1: a token of %2 bytes; tokens of at most %3 are read")
                                       .arg(lineNumber).arg(decoded.decoded.size()).arg(kMaxTokenBytes));
        byRank.push_back(decoded.decoded.toStdString());
        ranks.emplace(byRank.back(), rank);
    }
    Vocabulary vocab;
    MergeList merges;
    for (size_t rank = 0; rank < byRank.size(); ++rank) {
        const std::string &token = byRank[rank];
        vocab.add(byteLevelString(token), int64_t(rank));
        std::vector<std::pair<int64_t, int64_t>> splits; // ranks of (left, right)
        for (size_t i = 1; i < token.size(); ++i) {
            const auto left = ranks.find(token.substr(0, i));
            const auto right = ranks.find(token.substr(i));
            if (left != ranks.end() && right != ranks.end())
                splits.emplace_back(left->second, right->second);
        }
        std::sort(splits.begin(), splits.end());
        for (const auto &[left, right] : splits)
            merges.emplace_back(byteLevelString(byRank[size_t(left)]), byteLevelString(byRank[size_t(right)]));
    }
    const TiktokenSpecials encoding = specialsFor(file, qint64(byRank.size()));
    BpeOptions options;
    options.ignoreMerges = true;
    auto model = std::make_unique<BpeModel>(std::move(vocab), merges, options, file);

    using legacy::object;
    const QJsonObject split = object({{QStringLiteral("type"), QStringLiteral("Split")},
        {QStringLiteral("pattern"), object({{QStringLiteral("Regex"), QLatin1String(kTiktokenPattern)}})},
        {QStringLiteral("behavior"), QStringLiteral("Isolated")}, {QStringLiteral("invert"), false}});
    const QJsonObject root = object({
        {QStringLiteral("added_tokens"), encoding.specials},
        {QStringLiteral("pre_tokenizer"), object({{QStringLiteral("type"), QStringLiteral("Sequence")},
            {QStringLiteral("pretokenizers"), QJsonArray{split, legacy::byteLevel(false, false, true)}}})},
        {QStringLiteral("post_processor"), encoding.postProcessor},
        {QStringLiteral("decoder"), legacy::byteLevel(true, true, true)}});
    return std::make_unique<PipelineTokenizer>(readPipeline(JsonField(file, QString(), root), std::move(model), AddedIds::AsGiven));
}

} // namespace attnscope::tokenize
