#include "core/tokenize/split_behavior.h"

#include "core/tokenize/components.h"

namespace attnscope::tokenize {

SplitBehavior parseSplitBehavior(const JsonField &field)
{
    const QString name = field.toString();
    if (name == QLatin1String("Removed")) return SplitBehavior::Removed;
    if (name == QLatin1String("Isolated")) return SplitBehavior::Isolated;
    if (name == QLatin1String("MergedWithPrevious")) return SplitBehavior::MergedWithPrevious;
    if (name == QLatin1String("MergedWithNext")) return SplitBehavior::MergedWithNext;
    if (name == QLatin1String("Contiguous")) return SplitBehavior::Contiguous;
    field.fail(QStringLiteral("unsupported split behavior \"%1\"").arg(name));
}

void splitByMatches(const NormalizedString &piece, const std::vector<CharRange> &matches,
                    SplitBehavior behavior, std::vector<NormalizedString> &out, bool invert)
{
    struct Part { size_t begin, end; bool match; };
    std::vector<Part> parts;
    parts.reserve(matches.size() * 2 + 1);
    size_t last = 0;
    for (const auto &[begin, end] : matches) {
        if (begin > last)
            parts.push_back({last, begin, invert});
        parts.push_back({begin, end, !invert});
        last = end;
    }
    if (last < piece.size())
        parts.push_back({last, piece.size(), invert});

    std::vector<Part> merged;
    merged.reserve(parts.size());
    bool previousMatch = false;
    switch (behavior) {
    case SplitBehavior::Isolated:
        merged = parts;
        break;
    case SplitBehavior::Removed:
        for (const Part &p : parts)
            if (!p.match)
                merged.push_back(p);
        break;
    case SplitBehavior::MergedWithPrevious:
        for (const Part &p : parts) {
            if (p.match && !previousMatch && !merged.empty())
                merged.back().end = p.end;
            else
                merged.push_back(p);
            previousMatch = p.match;
        }
        break;
    case SplitBehavior::MergedWithNext:
        for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
            if (it->match && !previousMatch && !merged.empty())
                merged.back().begin = it->begin;
            else
                merged.push_back(*it);
            previousMatch = it->match;
        }
        std::reverse(merged.begin(), merged.end());
        break;
    case SplitBehavior::Contiguous:
        for (size_t i = 0; i < parts.size(); ++i) {
            if (i > 0 && parts[i].match == previousMatch)
                merged.back().end = parts[i].end;
            else
                merged.push_back(parts[i]);
            previousMatch = parts[i].match;
        }
        break;
    }
    for (const Part &p : merged)
        if (p.end > p.begin)
            out.push_back(piece.slice(p.begin, p.end));
}

namespace {

class CharSplit : public PreTokenizer {
public:
    CharSplit(bool (*isDelimiter)(char32_t), SplitBehavior behavior) : m_isDelimiter(isDelimiter), m_behavior(behavior) {}
    void preTokenize(std::vector<NormalizedString> &pieces) const override
    {
        splitEach(pieces, [this](const NormalizedString &piece, std::vector<NormalizedString> &out) {
            splitByMatches(piece, findChars(piece.chars, m_isDelimiter), m_behavior, out);
        });
    }

private:
    bool (*m_isDelimiter)(char32_t);
    SplitBehavior m_behavior;
};

} // namespace

std::unique_ptr<PreTokenizer> makeCharSplit(bool (*isDelimiter)(char32_t), SplitBehavior behavior)
{
    return std::make_unique<CharSplit>(isDelimiter, behavior);
}

} // namespace attnscope::tokenize
