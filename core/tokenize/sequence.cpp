// The Sequence normalizer, pre-tokenizer, post-processor and decoder: run their parts in order.
#include "core/tokenize/component_factory.h"

namespace attnscope::tokenize {

namespace {

template <typename Part, typename Make>
std::vector<std::unique_ptr<Part>> makeParts(const JsonField &list, Make make)
{
    std::vector<std::unique_ptr<Part>> parts;
    const qsizetype count = list.toArray().size();
    for (qsizetype i = 0; i < count; ++i)
        if (auto part = make(list.at(i)))
            parts.push_back(std::move(part));
    return parts;
}

class NormalizerSequence : public Normalizer {
public:
    explicit NormalizerSequence(std::vector<std::unique_ptr<Normalizer>> parts) : m_parts(std::move(parts)) {}
    void normalize(NormalizedString &text) const override
    {
        for (const auto &part : m_parts)
            part->normalize(text);
    }

private:
    std::vector<std::unique_ptr<Normalizer>> m_parts;
};

class PreTokenizerSequence : public PreTokenizer {
public:
    explicit PreTokenizerSequence(std::vector<std::unique_ptr<PreTokenizer>> parts) : m_parts(std::move(parts)) {}
    void preTokenize(std::vector<NormalizedString> &pieces) const override
    {
        for (const auto &part : m_parts)
            part->preTokenize(pieces);
    }

private:
    std::vector<std::unique_ptr<PreTokenizer>> m_parts;
};

class PostProcessorSequence : public PostProcessor {
public:
    explicit PostProcessorSequence(std::vector<std::unique_ptr<PostProcessor>> parts) : m_parts(std::move(parts)) {}
    std::vector<Token> process(std::vector<Token> first, std::vector<Token> *second, bool addSpecialTokens) const override
    {
        // Like HF, every processor but the last sees the sequences apart; the last one joins them.
        for (size_t i = 0; i + 1 < m_parts.size(); ++i) {
            first = m_parts[i]->process(std::move(first), nullptr, addSpecialTokens);
            if (second)
                *second = m_parts[i]->process(std::move(*second), nullptr, addSpecialTokens);
        }
        if (m_parts.empty()) {
            if (second)
                first.insert(first.end(), second->begin(), second->end());
            return first;
        }
        return m_parts.back()->process(std::move(first), second, addSpecialTokens);
    }

private:
    std::vector<std::unique_ptr<PostProcessor>> m_parts;
};

class DecoderSequence : public Decoder {
public:
    explicit DecoderSequence(std::vector<std::unique_ptr<Decoder>> parts) : m_parts(std::move(parts)) {}
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override
    {
        for (const auto &part : m_parts)
            tokens = part->decodeChain(std::move(tokens));
        return tokens;
    }

private:
    std::vector<std::unique_ptr<Decoder>> m_parts;
};

} // namespace

std::unique_ptr<Normalizer> makeNormalizerSequence(const JsonField &field)
{
    return std::make_unique<NormalizerSequence>(makeParts<Normalizer>(field["normalizers"], makeNormalizer));
}

std::unique_ptr<PreTokenizer> makePreTokenizerSequence(const JsonField &field)
{
    return std::make_unique<PreTokenizerSequence>(makeParts<PreTokenizer>(field["pretokenizers"], makePreTokenizer));
}

std::unique_ptr<PostProcessor> makePostProcessorSequence(const JsonField &field, const Model &model)
{
    auto make = [&model](const JsonField &part) { return makePostProcessor(part, model); };
    return std::make_unique<PostProcessorSequence>(makeParts<PostProcessor>(field["processors"], make));
}

std::unique_ptr<Decoder> makeDecoderSequence(const JsonField &field)
{
    return std::make_unique<DecoderSequence>(makeParts<Decoder>(field["decoders"], makeDecoder));
}

} // namespace attnscope::tokenize
