#include "core/capture/vision_tokens.h"

#include "core/models/model.h"

namespace attnscope {

std::vector<RecordedToken> visionTokens(const ModelInfo &info, int gridRows, int gridCols)
{
    std::vector<RecordedToken> tokens;
    const QString leading[] = {QStringLiteral("[CLS]"), QStringLiteral("[DIST]")};
    for (int i = 0; i < info.leadingTokens; ++i) {
        RecordedToken token;
        token.text = i < info.leadingTokenNames.size() ? info.leadingTokenNames.at(i) : leading[std::min(i, 1)];
        token.special = true;
        tokens.push_back(token);
    }
    for (int row = 0; row < gridRows; ++row)
        for (int col = 0; col < gridCols; ++col) {
            RecordedToken token;
            token.text = QStringLiteral("patch %1,%2").arg(row).arg(col);
            tokens.push_back(token);
        }
    return tokens;
}

} // namespace attnscope
