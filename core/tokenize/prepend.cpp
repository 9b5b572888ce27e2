// Prepend normalizer: puts a string (usually "▁") before every non-empty piece.
#include "core/tokenize/component_factory.h"

namespace attnscope::tokenize {

namespace {

class Prepend : public Normalizer {
public:
    explicit Prepend(std::u32string text) : m_text(std::move(text)) {}
    void normalize(NormalizedString &text) const override { text.prepend(m_text); }

private:
    std::u32string m_text;
};

} // namespace

std::unique_ptr<Normalizer> makePrepend(const JsonField &field)
{
    return std::make_unique<Prepend>(toUtf32(field[QStringLiteral("prepend")].toString()));
}

} // namespace attnscope::tokenize
