// ByteFallback decoder (<0xNN> runs back to text, U+FFFD per byte when invalid) and Fuse (joins all).
#include "core/tokenize/component_factory.h"
#include "core/tokenize/vocabulary.h"

namespace attnscope::tokenize {

namespace {

bool isValidUtf8(const std::string &bytes)
{
    const NormalizedString decoded = NormalizedString::fromUtf8(bytes.data(), qint64(bytes.size()));
    for (size_t i = 0; i < decoded.size(); ++i) // an invalid byte decodes to U+FFFD spanning 1 byte
        if (decoded.chars[i] == 0xFFFD && decoded.spans[i].end - decoded.spans[i].begin == 1)
            return false;
    return true;
}

class ByteFallbackDecoder : public Decoder {
public:
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override
    {
        std::vector<std::string> out;
        std::string bytes;
        size_t byteCount = 0;
        auto flush = [&]() {
            if (byteCount == 0)
                return;
            if (isValidUtf8(bytes)) {
                out.push_back(bytes);
            } else {
                for (size_t i = 0; i < byteCount; ++i)
                    out.push_back("\xEF\xBF\xBD");
            }
            bytes.clear();
            byteCount = 0;
        };
        for (std::string &token : tokens) {
            const int byte = byteFallbackValue(token);
            if (byte >= 0) {
                bytes += char(byte);
                ++byteCount;
            } else {
                flush();
                out.push_back(std::move(token));
            }
        }
        flush();
        return out;
    }
};

class FuseDecoder : public Decoder {
public:
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override
    {
        std::string joined;
        for (const std::string &token : tokens)
            joined += token;
        return {joined};
    }
};

} // namespace

std::unique_ptr<Decoder> makeByteFallbackDecoder(const JsonField &)
{
    return std::make_unique<ByteFallbackDecoder>();
}

std::unique_ptr<Decoder> makeFuseDecoder(const JsonField &)
{
    return std::make_unique<FuseDecoder>();
}

} // namespace attnscope::tokenize
