// ByteFallback decoder (<0xNN> runs back to text, U+FFFD per byte when invalid) and Fuse (joins all).
#include "core/tokenize/component_factory.h"

namespace attnscope::tokenize {

namespace {

int parseByteToken(const std::string &token)
{
    if (token.size() != 6 || token.compare(0, 3, "<0x") != 0 || token[5] != '>')
        return -1;
    bool ok = false;
    const int value = QByteArray::fromStdString(token.substr(3, 2)).toInt(&ok, 16);
    return ok ? value : -1;
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
            const QString text = QString::fromUtf8(bytes.data(), qsizetype(bytes.size()));
            if (text.toUtf8() == QByteArray::fromStdString(bytes) && !text.contains(QChar(0xFFFD))) {
                out.push_back(bytes);
            } else {
                for (size_t i = 0; i < byteCount; ++i)
                    out.push_back("\xEF\xBF\xBD");
            }
            bytes.clear();
            byteCount = 0;
        };
        for (std::string &token : tokens) {
            const int byte = parseByteToken(token);
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
