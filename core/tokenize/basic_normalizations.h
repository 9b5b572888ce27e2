#pragma once
// Normalizations that other normalizers reuse (BertNormalizer strips accents and lowercases).

#include <QString>

#include "core/tokenize/normalized_string.h"

namespace attnscope::tokenize {

void applyNormalizationForm(NormalizedString &text, QString::NormalizationForm form);
void lowercase(NormalizedString &text);     // full Unicode lowercase, char by char
void stripAccents(NormalizedString &text);  // drops every combining mark (M*)

} // namespace attnscope::tokenize
