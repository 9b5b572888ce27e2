// A SentencePiece tokenizer.model run by libsentencepiece. Control and unknown pieces
// (<s>, </s>, <unk>) written in the text are split out first, as transformers does, and each
// stretch in between is encoded on its own; bos/eos follow tokenizer_config.json.
#include <sentencepiece_processor.h>

#include <QFileInfo>

#include "core/io/input_error.h"
#include "core/tokenize/added_vocabulary.h"
#include "core/tokenize/display_text.h"
#include "core/tokenize/legacy_files.h"

namespace attnscope::tokenize {

namespace {

class SentencePieceTokenizer : public Tokenizer {
public:
    explicit SentencePieceTokenizer(const QString &file)
    {
        const auto status = m_sp.Load(file.toStdString());
        if (!status.ok())
            throw InputError(file, QStringLiteral("not a SentencePiece model: %1").arg(QString::fromStdString(status.ToString())));
        for (int id = 0; id < m_sp.GetPieceSize(); ++id) {
            if (m_sp.IsControl(id) || m_sp.IsUnknown(id)) {
                AddedToken token;
                token.id = id;
                token.content = toUtf32(QString::fromStdString(m_sp.IdToPiece(id)));
                token.special = true;
                m_added.add(std::move(token));
            }
        }
        const QJsonObject config = readTokenizerConfig(QFileInfo(file).absolutePath());
        m_addBos = config.value(QStringLiteral("add_bos_token")).toBool(true) && m_sp.bos_id() >= 0;
        m_addEos = config.value(QStringLiteral("add_eos_token")).toBool(false) && m_sp.eos_id() >= 0;
    }

    int64_t vocabSize() const override { return m_sp.GetPieceSize(); }
    QString idToToken(int64_t id) const override
    {
        return id >= 0 && id < m_sp.GetPieceSize() ? QString::fromStdString(m_sp.IdToPiece(int(id))) : QString();
    }
    int64_t tokenToId(const QString &token) const override
    {
        const std::string piece = token.toStdString();
        const int id = m_sp.PieceToId(piece);
        return m_sp.IdToPiece(id) == piece ? id : -1;
    }
    QString decode(const std::vector<int64_t> &ids, bool skipSpecialTokens) const override
    {
        std::vector<int> kept;
        for (int64_t id : ids)
            if (id >= 0 && id < m_sp.GetPieceSize() && !(skipSpecialTokens && m_sp.IsControl(int(id))))
                kept.push_back(int(id));
        return QString::fromStdString(m_sp.DecodeIds(kept));
    }

protected:
    Encoding encodeSequences(const QByteArray &first, const QByteArray *second, bool addSpecialTokens) const override
    {
        Encoding encoding;
        auto addSequence = [&](const QByteArray &text, int typeId) {
            if (addSpecialTokens && m_addBos)
                encoding.tokens.push_back(special(m_sp.bos_id(), typeId));
            encodeText(text, typeId, encoding.tokens);
            if (addSpecialTokens && m_addEos)
                encoding.tokens.push_back(special(m_sp.eos_id(), typeId));
        };
        addSequence(first, 0);
        if (second)
            addSequence(*second, 1);
        return encoding;
    }

private:
    Token special(int id, int typeId) const
    {
        Token t;
        t.id = id;
        t.token = t.text = QString::fromStdString(m_sp.IdToPiece(id));
        t.byteBegin = t.byteEnd = 0;
        t.special = true;
        t.typeId = typeId;
        t.sequence = typeId;
        return t;
    }

    void encodeText(const QByteArray &text, int typeId, std::vector<Token> &out) const
    {
        const NormalizedString input = NormalizedString::fromUtf8(text.constData(), text.size());
        for (const TextPart &part : m_added.split(input, false)) {
            if (part.added) {
                Token t = special(int(part.added->id), typeId);
                const ByteSpan span = part.text.originalSpan(0, part.text.size());
                t.byteBegin = span.begin;
                t.byteEnd = span.end;
                out.push_back(std::move(t));
                continue;
            }
            if (part.text.empty())
                continue;
            const std::string utf8 = toUtf8(part.text.chars);
            std::vector<size_t> charAtByte(utf8.size() + 1); // byte → char index in part
            for (size_t i = 0, b = 0; i < part.text.size(); ++i)
                for (size_t n = toUtf8(part.text.chars[i]).size(); n > 0; --n)
                    charAtByte[b++] = i;
            charAtByte[utf8.size()] = part.text.size();
            const auto pieces = m_sp.EncodeAsImmutableProto(utf8);
            for (const auto &piece : pieces.pieces()) {
                Token t;
                t.id = piece.id();
                t.token = QString::fromStdString(piece.piece());
                t.text = displayText(piece.piece(), TokenStyle::Plain);
                const size_t begin = charAtByte[std::min<size_t>(piece.begin(), utf8.size())];
                size_t end = charAtByte[std::min<size_t>(piece.end(), utf8.size())];
                if (begin == end && end < part.text.size()) // the dummy "▁" belongs to the next char
                    ++end;
                const ByteSpan span = part.text.originalSpan(begin, end);
                t.byteBegin = span.begin;
                t.byteEnd = span.end;
                t.typeId = typeId;
                t.sequence = typeId;
                out.push_back(std::move(t));
            }
        }
    }

    sentencepiece::SentencePieceProcessor m_sp;
    AddedVocabulary m_added;
    bool m_addBos = true;
    bool m_addEos = false;
};

} // namespace

std::unique_ptr<Tokenizer> loadSentencePiece(const QString &file)
{
    return std::make_unique<SentencePieceTokenizer>(file);
}

} // namespace attnscope::tokenize
