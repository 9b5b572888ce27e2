// BertProcessing ([CLS] A [SEP] B [SEP], B typed 1) and RobertaProcessing
// (<s> A </s></s> B </s>, all typed 0, with ByteLevel offset trimming).
#include "core/tokenize/byte_level.h"
#include "core/tokenize/component_factory.h"

namespace attnscope::tokenize {

namespace {

struct NamedToken {
    QString token;
    int64_t id;
};

NamedToken parseNamedToken(const JsonField &field) // ["[CLS]", 101]
{
    if (field.toArray().size() != 2)
        field.fail(QStringLiteral("expected [token, id]"));
    return {field.at(0).toString(), field.at(1).toInt()};
}

Token specialToken(const NamedToken &named, int typeId)
{
    Token t;
    t.id = named.id;
    t.token = named.token;
    t.byteBegin = t.byteEnd = 0;
    t.special = true;
    t.typeId = typeId;
    return t;
}

class ClsSepProcessing : public PostProcessor {
public:
    ClsSepProcessing(NamedToken cls, NamedToken sep, bool roberta, bool trimOffsets, bool addPrefixSpace)
        : m_cls(std::move(cls)), m_sep(std::move(sep)), m_roberta(roberta), m_trimOffsets(trimOffsets),
          m_addPrefixSpace(addPrefixSpace) {}

    std::vector<Token> process(std::vector<Token> first, std::vector<Token> *second, bool addSpecialTokens) const override
    {
        if (m_roberta && m_trimOffsets) {
            trimByteLevelOffsets(first, m_addPrefixSpace);
            if (second)
                trimByteLevelOffsets(*second, m_addPrefixSpace);
        }
        const int secondType = m_roberta ? 0 : 1;
        if (second)
            for (Token &t : *second)
                t.typeId = secondType;
        std::vector<Token> out;
        if (addSpecialTokens)
            out.push_back(specialToken(m_cls, 0));
        out.insert(out.end(), first.begin(), first.end());
        if (addSpecialTokens)
            out.push_back(specialToken(m_sep, 0));
        if (second) {
            if (addSpecialTokens && m_roberta)
                out.push_back(specialToken(m_sep, 0));
            out.insert(out.end(), second->begin(), second->end());
            if (addSpecialTokens)
                out.push_back(specialToken(m_sep, secondType));
        }
        return out;
    }

private:
    NamedToken m_cls, m_sep;
    bool m_roberta, m_trimOffsets, m_addPrefixSpace;
};

} // namespace

std::unique_ptr<PostProcessor> makeBertProcessing(const JsonField &field, const Model &)
{
    return std::make_unique<ClsSepProcessing>(parseNamedToken(field[QStringLiteral("cls")]),
                                              parseNamedToken(field[QStringLiteral("sep")]), false, false, false);
}

std::unique_ptr<PostProcessor> makeRobertaProcessing(const JsonField &field, const Model &)
{
    return std::make_unique<ClsSepProcessing>(parseNamedToken(field[QStringLiteral("cls")]),
                                              parseNamedToken(field[QStringLiteral("sep")]), true,
                                              field.boolOr(QStringLiteral("trim_offsets"), true),
                                              field.boolOr(QStringLiteral("add_prefix_space"), true));
}

} // namespace attnscope::tokenize
