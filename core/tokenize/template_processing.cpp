// TemplateProcessing: "[CLS] $A [SEP]" style templates for single sentences and pairs.
#include "core/tokenize/component_factory.h"

#include <map>

namespace attnscope::tokenize {

namespace {

struct TemplatePiece {
    bool sequence = false;
    int sequenceIndex = 0; // A = 0, B = 1
    QString special;       // the special token's name
    int typeId = 0;
};

struct SpecialToken {
    std::vector<int64_t> ids;
    std::vector<QString> tokens;
};

TemplatePiece parsePieceString(const QString &text, const JsonField &where)
{
    TemplatePiece piece;
    QString name = text;
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon > 0) {
        bool ok = false;
        const int typeId = text.mid(colon + 1).toInt(&ok);
        if (ok) {
            piece.typeId = typeId;
            name = text.left(colon);
        }
    }
    if (name.startsWith(QLatin1Char('$'))) {
        const QString which = name.mid(1);
        piece.sequence = true;
        if (which.isEmpty() || which == QLatin1String("A") || which == QLatin1String("a"))
            piece.sequenceIndex = 0;
        else if (which == QLatin1String("B") || which == QLatin1String("b"))
            piece.sequenceIndex = 1;
        else if (colon < 0 && which.toInt() >= 0 && !which.isEmpty() && which.at(0).isDigit()) {
            piece.sequenceIndex = 0;
            piece.typeId = which.toInt();
        } else
            where.fail(QStringLiteral("cannot read template piece \"%1\"").arg(text));
    } else {
        piece.special = name;
    }
    return piece;
}

std::vector<TemplatePiece> parseTemplate(const JsonField &field)
{
    std::vector<TemplatePiece> pieces;
    if (field.value().isString()) {
        for (const QString &part : field.toString().split(QLatin1Char(' '), Qt::SkipEmptyParts))
            pieces.push_back(parsePieceString(part, field));
        return pieces;
    }
    const qsizetype count = field.toArray().size();
    for (qsizetype i = 0; i < count; ++i) {
        const JsonField item = field.at(i);
        TemplatePiece piece;
        if (item.value().isString()) {
            piece = parsePieceString(item.toString(), item);
        } else if (item.has(QStringLiteral("Sequence"))) {
            const JsonField s = item[QStringLiteral("Sequence")];
            piece.sequence = true;
            const QString id = s[QStringLiteral("id")].toString();
            if (id != QLatin1String("A") && id != QLatin1String("B"))
                s[QStringLiteral("id")].fail(QStringLiteral("expected \"A\" or \"B\""));
            piece.sequenceIndex = id == QLatin1String("B") ? 1 : 0;
            piece.typeId = int(s[QStringLiteral("type_id")].toInt());
        } else if (item.has(QStringLiteral("SpecialToken"))) {
            const JsonField s = item[QStringLiteral("SpecialToken")];
            piece.special = s[QStringLiteral("id")].toString();
            piece.typeId = int(s[QStringLiteral("type_id")].toInt());
        } else {
            item.fail(QStringLiteral("expected a Sequence or a SpecialToken"));
        }
        pieces.push_back(piece);
    }
    return pieces;
}

class TemplateProcessing : public PostProcessor {
public:
    TemplateProcessing(std::vector<TemplatePiece> single, std::vector<TemplatePiece> pair,
                       std::map<QString, SpecialToken> specials)
        : m_single(std::move(single)), m_pair(std::move(pair)), m_specials(std::move(specials)) {}

    std::vector<Token> process(std::vector<Token> first, std::vector<Token> *second, bool addSpecialTokens) const override
    {
        std::vector<Token> out;
        for (const TemplatePiece &piece : second ? m_pair : m_single) {
            if (piece.sequence) {
                const std::vector<Token> &tokens = piece.sequenceIndex == 0 ? first : *second;
                for (Token t : tokens) {
                    t.typeId = piece.typeId;
                    out.push_back(std::move(t));
                }
            } else if (addSpecialTokens) {
                const SpecialToken &special = m_specials.at(piece.special);
                for (size_t i = 0; i < special.ids.size(); ++i) {
                    Token t;
                    t.id = special.ids[i];
                    t.token = special.tokens[i];
                    t.byteBegin = t.byteEnd = 0;
                    t.special = true;
                    t.typeId = piece.typeId;
                    out.push_back(std::move(t));
                }
            }
        }
        return out;
    }

private:
    std::vector<TemplatePiece> m_single, m_pair;
    std::map<QString, SpecialToken> m_specials;
};

} // namespace

std::unique_ptr<PostProcessor> makeTemplateProcessing(const JsonField &field, const Model &)
{
    std::map<QString, SpecialToken> specials;
    const JsonField specialField = field[QStringLiteral("special_tokens")];
    if (!specialField.isNull()) {
        const QJsonObject object = specialField.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const JsonField entry = specialField[it.key()];
            SpecialToken special;
            const JsonField ids = entry[QStringLiteral("ids")];
            const JsonField tokens = entry[QStringLiteral("tokens")];
            const qsizetype count = ids.toArray().size();
            if (tokens.toArray().size() != count)
                entry.fail(QStringLiteral("ids and tokens differ in length"));
            for (qsizetype i = 0; i < count; ++i) {
                special.ids.push_back(ids.at(i).toInt());
                special.tokens.push_back(tokens.at(i).toString());
            }
            specials.emplace(entry.stringOr(QStringLiteral("id"), it.key()), std::move(special));
        }
    }
    std::vector<TemplatePiece> single = parseTemplate(field[QStringLiteral("single")]);
    std::vector<TemplatePiece> pair = parseTemplate(field[QStringLiteral("pair")]);
    for (const auto *pieces : {&single, &pair})
        for (const TemplatePiece &piece : *pieces)
            if (!piece.sequence && !specials.count(piece.special))
                field[QStringLiteral("special_tokens")].fail(
                    QStringLiteral("the template uses \"%1\" but does not define it").arg(piece.special));
    return std::make_unique<TemplateProcessing>(std::move(single), std::move(pair), std::move(specials));
}

} // namespace attnscope::tokenize
