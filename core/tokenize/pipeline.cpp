#include "core/tokenize/pipeline.h"

#include "core/tokenize/component_factory.h"

namespace attnscope::tokenize {

namespace {

// True when `value` or any object nested in it satisfies `is`.
template <typename Predicate>
bool mentions(const QJsonValue &value, const Predicate &is)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (is(object))
            return true;
        for (const QJsonValue &child : object)
            if (mentions(child, is))
                return true;
    } else if (value.isArray()) {
        for (const QJsonValue &child : value.toArray())
            if (mentions(child, is))
                return true;
    }
    return false;
}

bool isByteLevel(const QJsonObject &component)
{
    return component.value(QStringLiteral("type")).toString() == QLatin1String("ByteLevel");
}

// SentencePiece's "▁" as a space: a Metaspace pre-tokenizer or decoder, or (Llama's legacy
// tokenizer.json) a decoder that replaces "▁" by " ".
bool isMetaspace(const QJsonObject &component)
{
    const QString space = QStringLiteral("\u2581");
    const QString type = component.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("Metaspace"))
        return component.value(QStringLiteral("replacement")).toString(space) == space;
    return type == QLatin1String("Replace")
        && component.value(QStringLiteral("pattern")).toObject().value(QStringLiteral("String")).toString() == space
        && component.value(QStringLiteral("content")).toString() == QLatin1String(" ");
}

TokenStyle tokenStyleOf(const JsonField &root)
{
    const QJsonValue preTokenizer = root[QStringLiteral("pre_tokenizer")].value();
    const QJsonValue decoder = root[QStringLiteral("decoder")].value();
    if (mentions(preTokenizer, isByteLevel) || mentions(decoder, isByteLevel))
        return TokenStyle::ByteLevel;
    if (mentions(preTokenizer, isMetaspace) || mentions(decoder, isMetaspace))
        return TokenStyle::Metaspace;
    return TokenStyle::Plain;
}

Token addedTokenAt(const TextPart &part, int typeId)
{
    const AddedToken &added = *part.added;
    const NormalizedString &text = part.text;
    Token t;
    t.id = added.id;
    t.token = toQString(text.chars); // like HF: the matched text, with any lstrip/rstrip spaces
    const ByteSpan span = text.originalSpan(0, text.size());
    t.byteBegin = span.begin;
    t.byteEnd = span.end;
    t.special = added.special;
    t.typeId = typeId;
    t.sequence = typeId;
    return t;
}

} // namespace

PipelineParts readPipeline(const JsonField &root, std::unique_ptr<Model> model, AddedIds addedIds)
{
    root.toObject();
    PipelineParts parts;
    parts.normalizer = makeNormalizer(root[QStringLiteral("normalizer")]);
    parts.preTokenizer = makePreTokenizer(root[QStringLiteral("pre_tokenizer")]);
    parts.model = model ? std::move(model) : makeModel(root[QStringLiteral("model")]);
    parts.postProcessor = makePostProcessor(root[QStringLiteral("post_processor")], *parts.model);
    parts.decoder = makeDecoder(root[QStringLiteral("decoder")]);
    parts.style = tokenStyleOf(root);

    const JsonField added = root[QStringLiteral("added_tokens")];
    const qsizetype count = added.isNull() ? 0 : added.toArray().size();
    int64_t nextId = parts.model->vocabSize();
    for (qsizetype i = 0; i < count; ++i) {
        const JsonField entry = added.at(i);
        AddedToken token;
        token.id = entry[QStringLiteral("id")].toInt();
        const QString content = entry[QStringLiteral("content")].toString();
        token.content = toUtf32(content);
        if (addedIds == AddedIds::AsHuggingFace) {
            const int64_t modelId = parts.model->tokenToId(content.toStdString());
            token.id = modelId >= 0 ? modelId : nextId;
            nextId = std::max(nextId, token.id + 1);
        }
        token.special = entry.boolOr(QStringLiteral("special"), false);
        token.lstrip = entry.boolOr(QStringLiteral("lstrip"), false);
        token.rstrip = entry.boolOr(QStringLiteral("rstrip"), false);
        token.singleWord = entry.boolOr(QStringLiteral("single_word"), false);
        token.normalized = entry.boolOr(QStringLiteral("normalized"), !token.special);
        if (token.normalized && parts.normalizer) { // matched against normalized text
            NormalizedString content;
            content.chars = token.content;
            content.spans.assign(content.chars.size(), ByteSpan{});
            parts.normalizer->normalize(content);
            token.content = content.chars;
        }
        parts.added.add(std::move(token));
    }
    return parts;
}

PipelineTokenizer::PipelineTokenizer(PipelineParts parts) : p(std::move(parts)) {}

void PipelineTokenizer::encodeModelText(NormalizedString text, int typeId, std::vector<Token> &out) const
{
    if (text.empty())
        return;
    std::vector<NormalizedString> pieces;
    pieces.push_back(std::move(text));
    if (p.preTokenizer)
        p.preTokenizer->preTokenize(pieces);
    for (const NormalizedString &piece : pieces) {
        for (const ModelToken &m : p.model->tokenize(piece.chars)) {
            Token t;
            t.id = m.id;
            t.token = QString::fromStdString(m.value);
            const ByteSpan span = piece.originalSpan(m.begin, m.end);
            t.byteBegin = span.begin;
            t.byteEnd = span.end;
            t.typeId = typeId;
            t.sequence = typeId;
            out.push_back(std::move(t));
        }
    }
}

std::vector<Token> PipelineTokenizer::encodeSequence(const QByteArray &text, int typeId) const
{
    std::vector<Token> tokens;
    const NormalizedString input = NormalizedString::fromUtf8(text.constData(), text.size());
    for (TextPart &raw : p.added.split(input, false)) {
        if (raw.added) {
            tokens.push_back(addedTokenAt(raw, typeId));
            continue;
        }
        if (raw.text.empty())
            continue;
        if (p.normalizer)
            p.normalizer->normalize(raw.text);
        for (TextPart &part : p.added.split(raw.text, true)) {
            if (part.added)
                tokens.push_back(addedTokenAt(part, typeId));
            else
                encodeModelText(std::move(part.text), typeId, tokens);
        }
    }
    return tokens;
}

// Offsets trimmed by whole bytes (ByteLevel's "Ġ" standing for a prepended space) can land
// inside a multi-byte char; like HF's char offsets they move back to its start.
static void snapToCharStart(qint64 &offset, const QByteArray &text)
{
    while (offset > 0 && offset < text.size() && (uchar(text[offset]) & 0xC0) == 0x80)
        --offset;
}

Encoding PipelineTokenizer::encodeSequences(const QByteArray &first, const QByteArray *second, bool addSpecialTokens) const
{
    std::vector<Token> a = encodeSequence(first, 0);
    std::vector<Token> b;
    if (second)
        b = encodeSequence(*second, 1);
    Encoding encoding;
    if (p.postProcessor) {
        encoding.tokens = p.postProcessor->process(std::move(a), second ? &b : nullptr, addSpecialTokens);
    } else {
        encoding.tokens = std::move(a);
        encoding.tokens.insert(encoding.tokens.end(), b.begin(), b.end());
    }
    for (Token &t : encoding.tokens) {
        const QByteArray &text = t.sequence == 1 && second ? *second : first;
        snapToCharStart(t.byteBegin, text);
        snapToCharStart(t.byteEnd, text);
        const AddedToken *added = p.added.find(t.id);
        t.special = t.special || (added && added->special);
        t.text = added ? toQString(added->content) : t.special ? t.token : displayText(t.token.toStdString(), p.style);
    }
    return encoding;
}

int64_t PipelineTokenizer::vocabSize() const
{
    int64_t size = p.model->vocabSize();
    for (const AddedToken &t : p.added.tokens())
        if (p.model->idToToken(t.id).empty())
            ++size;
    return size;
}

QString PipelineTokenizer::idToToken(int64_t id) const
{
    if (const AddedToken *added = p.added.find(id))
        return toQString(added->content);
    return QString::fromStdString(p.model->idToToken(id));
}

QString PipelineTokenizer::idToText(int64_t id) const
{
    if (const AddedToken *added = p.added.find(id))
        return toQString(added->content);
    return displayText(p.model->idToToken(id), p.style);
}

int64_t PipelineTokenizer::tokenToId(const QString &token) const
{
    const std::u32string content = toUtf32(token);
    for (const AddedToken &t : p.added.tokens())
        if (t.content == content)
            return t.id;
    return p.model->tokenToId(token.toStdString());
}

QString PipelineTokenizer::decode(const std::vector<int64_t> &ids, bool skipSpecialTokens) const
{
    std::vector<std::string> tokens;
    for (int64_t id : ids) {
        const AddedToken *added = p.added.find(id);
        if (added && added->special && skipSpecialTokens)
            continue;
        const QString token = idToToken(id);
        if (!token.isEmpty())
            tokens.push_back(token.toStdString());
    }
    if (!p.decoder) {
        QStringList joined;
        for (const std::string &t : tokens)
            joined << QString::fromStdString(t);
        return joined.join(QLatin1Char(' '));
    }
    QString text;
    for (const std::string &piece : p.decoder->decodeChain(std::move(tokens)))
        text += QString::fromStdString(piece);
    return text;
}

} // namespace attnscope::tokenize
