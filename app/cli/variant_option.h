#pragma once
// The repeatable --variant SPEC option of the commands that run a model.

#include <QCommandLineParser>

#include "core/attention/variant.h"

namespace attnscope::cli {

// Adds --variant SPEC; its help and `description` (shown first) list every variant.
void addVariantOption(QCommandLineParser &parser, const QString &description);

// The plan of the given --variant SPECs (reference when none). A bad SPEC throws
// VariantSpecError, which attnscope-cli answers with exit code 2.
AttentionPlan variantPlan(const QCommandLineParser &parser);

} // namespace attnscope::cli
